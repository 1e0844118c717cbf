package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Packet mbuf pools: sizes, bulk alloc and free, in-use counts, and what a refusal says. */
@RequiresDpdk
class MempoolTest
{
    private static final int COUNT = 32;

    @BeforeAll
    static void initialiseEal()
    {
        DpdkTestSupport.eal();
    }

    @Test
    void shouldAllocateResetMbufsWithAJumboDataRoomAndTakeThemBack()
    {
        try (Mempool pool = Mempool.create(DpdkTestSupport.uniqueName("pool_"), 256, 0, Mempool.JUMBO_FRAME_CAPACITY);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment mbufs = DpdkTestSupport.pointers(arena, COUNT);

            assertEquals(0, pool.allocBulk(mbufs, COUNT));
            assertEquals(COUNT, pool.inUseCount());
            assertEquals(256 - COUNT, pool.availableCount());
            for (int i = 0; i < COUNT; i++)
            {
                final long mbuf = mbufs.getAtIndex(ValueLayout.JAVA_LONG, i);
                assertEquals(Mbuf.HEADROOM + Mempool.JUMBO_FRAME_CAPACITY, Mbuf.bufferLength(mbuf));
                assertEquals(Mbuf.HEADROOM, Mbuf.dataAddress(mbuf) - MemorySegment.NULL.reinterpret(Long.MAX_VALUE)
                    .get(ValueLayout.JAVA_LONG, mbuf + Mbuf.BUF_ADDR), "data starts after the headroom");
                assertEquals(0, Mbuf.packetLength(mbuf), "reset");
                assertEquals(1, Mbuf.segments(mbuf));
                assertEquals(0, Mbuf.next(mbuf));
                assertEquals(pool.handle().address(), MemorySegment.NULL.reinterpret(Long.MAX_VALUE)
                    .get(ValueLayout.JAVA_LONG, mbuf + Mbuf.POOL), "rte_mbuf.pool");
            }
            Mempool.freeBulk(mbufs, COUNT);
            assertEquals(0, pool.inUseCount());
        }
    }

    @Test
    void shouldAllocateAllOrNothing()
    {
        try (Mempool pool = Mempool.create(DpdkTestSupport.uniqueName("pool_"), 16, 0, Mempool.DEFAULT_FRAME_CAPACITY);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment mbufs = DpdkTestSupport.pointers(arena, 17);

            assertEquals(-Errno.ENOBUFS, pool.allocBulk(mbufs, 17), "one more than the pool holds");
            assertEquals(0, pool.inUseCount());
            assertThrows(IndexOutOfBoundsException.class, () -> pool.allocBulk(mbufs, 18), "beyond the array");
        }
    }

    @Test
    void shouldSayWhenTheNameIsTaken()
    {
        final String name = DpdkTestSupport.uniqueName("pool_");
        try (Mempool pool = Mempool.create(name, 64, 0, Mempool.DEFAULT_FRAME_CAPACITY))
        {
            final DpdkException failure = assertThrows(DpdkException.class,
                () -> Mempool.create(name, 64, 0, Mempool.DEFAULT_FRAME_CAPACITY));

            assertEquals(Errno.EEXIST, failure.errno());
            assertTrue(failure.getMessage().contains("names are process-wide"), failure.getMessage());
            assertEquals(name, pool.name());
        }
    }

    @Test
    void shouldSayWhenTheMemoryIsNotThere()
    {
        final DpdkException failure = assertThrows(DpdkException.class,
            () -> Mempool.create(DpdkTestSupport.uniqueName("pool_"), 200_000_000, 0, Mempool.DEFAULT_FRAME_CAPACITY));

        assertEquals(Errno.ENOMEM, failure.errno());
        assertTrue(failure.getMessage().contains("not enough free hugepage memory"), failure.getMessage());
    }

    @Test
    void shouldRefuseADataRoomThatDoesNotFitTheHeader()
    {
        assertThrows(IllegalArgumentException.class,
            () -> Mempool.create(DpdkTestSupport.uniqueName("pool_"), 64, 0, 65_536 - Mbuf.HEADROOM));
    }
}
