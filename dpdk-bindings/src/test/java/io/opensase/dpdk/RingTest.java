package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SP/SC rte_rings through the shim: FIFO order, exact capacity, and a hand-off from a worker lcore. */
@RequiresDpdk
class RingTest
{
    private static final int BURST = 32;

    @BeforeAll
    static void initialiseEal()
    {
        DpdkTestSupport.eal();
    }

    @Test
    void shouldKeepOrderAndHoldExactlyItsCapacity()
    {
        try (Ring ring = Ring.createSpsc(DpdkTestSupport.uniqueName("ring_"), 100); Arena arena = Arena.ofConfined())
        {
            final MemorySegment in = arena.allocate(ValueLayout.JAVA_LONG, 128);
            final MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, 128);
            for (int i = 0; i < 128; i++)
            {
                in.setAtIndex(ValueLayout.JAVA_LONG, i, 1000 + i);
            }

            assertEquals(100, ring.enqueueBurst(in, 128), "exactly the capacity fits");
            assertEquals(100, ring.count());
            assertEquals(0, ring.enqueueBurst(in, 1), "full");
            assertEquals(BURST, ring.dequeueBurst(out, BURST));
            assertEquals(100 - BURST, ring.dequeueBurst(out.asSlice(BURST * 8L), 128 - BURST), "what is left");
            for (int i = 0; i < 100; i++)
            {
                assertEquals(1000 + i, out.getAtIndex(ValueLayout.JAVA_LONG, i), "FIFO at " + i);
            }
            assertEquals(0, ring.dequeueBurst(out, 1), "empty");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldHandPointersFromAWorkerLcoreToThisThreadInOrder()
    {
        final int total = 200_000;
        try (Ring ring = Ring.createSpsc(DpdkTestSupport.uniqueName("ring_"), 1024); Arena arena = Arena.ofConfined())
        {
            final int worker = DpdkTestSupport.eal().workerLcores()[0];
            final AtomicBoolean stop = new AtomicBoolean();
            Lcore.launch(worker, lcore -> produce(ring, total, stop));
            final int produced;
            try
            {
                final MemorySegment burst = arena.allocate(ValueLayout.JAVA_LONG, BURST);
                long expected = 1;
                while (expected <= total)
                {
                    final int count = ring.dequeueBurst(burst, BURST);
                    for (int i = 0; i < count; i++)
                    {
                        assertEquals(expected++, burst.getAtIndex(ValueLayout.JAVA_LONG, i));
                    }
                }
            }
            finally
            {
                // The producer must stop before the ring is freed, whatever happened here.
                stop.set(true);
                produced = Lcore.await(worker);
            }
            assertEquals(total, produced);
            assertEquals(0, ring.count());
        }
    }

    /** Enqueues 1 .. total in bursts, spinning while the ring is full; returns how many went in. */
    private static int produce(final Ring ring, final int total, final AtomicBoolean stop)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment burst = arena.allocate(ValueLayout.JAVA_LONG, BURST);
            int next = 1;
            while (next <= total && !stop.get())
            {
                final int count = Math.min(BURST, total - next + 1);
                for (int i = 0; i < count; i++)
                {
                    burst.setAtIndex(ValueLayout.JAVA_LONG, i, next + i);
                }
                int done = 0;
                while (done < count && !stop.get())
                {
                    done += ring.enqueueBurst(burst.asSlice(done * 8L), count - done);
                }
                next += done;
            }
            return next - 1;
        }
    }

    @Test
    void shouldSayWhenTheNameIsTaken()
    {
        final String name = DpdkTestSupport.uniqueName("ring_");
        try (Ring ring = Ring.createSpsc(name, 64))
        {
            final DpdkException failure = assertThrows(DpdkException.class, () -> Ring.createSpsc(name, 64));

            assertEquals(Errno.EEXIST, failure.errno());
            assertTrue(failure.getMessage().contains("names are process-wide"), failure.getMessage());
            assertEquals(64, ring.capacity());
        }
    }
}
