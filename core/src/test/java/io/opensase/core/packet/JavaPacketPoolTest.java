package io.opensase.core.packet;

import io.opensase.dpdk.Mbuf;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaPacketPoolTest
{
    @Test
    void shouldHandOutDistinctMbufShapedBuffersAndTakeThemBackFromAnyThread() throws InterruptedException
    {
        try (JavaPacketPool pool = new JavaPacketPool(64))
        {
            final MbufArray mbufs = new MbufArray(64);
            assertEquals(64, pool.allocate(mbufs, 64));
            assertEquals(64, pool.inUse());
            assertEquals(0, pool.allocate(new MbufArray(1), 1), "an empty pool hands out nothing");

            final Set<Long> distinct = new HashSet<>();
            for (final long mbuf : mbufs.addresses())
            {
                assertTrue(distinct.add(mbuf));
                assertEquals(mbuf + Mbuf.HEADER_SIZE + Mbuf.HEADROOM, Mbuf.dataAddress(mbuf), "data after the headroom");
                assertEquals(1, Mbuf.segments(mbuf));
            }

            final Thread other = new Thread(() -> pool.free(mbufs, 40));
            other.start();
            other.join();
            assertEquals(24, pool.inUse());
            assertEquals(40, pool.allocate(new MbufArray(64), 64), "freed buffers come back to the owner");
        }
    }
}
