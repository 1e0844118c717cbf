package io.opensase.core.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MpscLongRingTest
{
    @Test
    void shouldRefuseWhenFull()
    {
        final MpscLongRing ring = new MpscLongRing(4);
        for (long v = 1; v <= 4; v++)
        {
            assertTrue(ring.offer(v));
        }
        assertFalse(ring.offer(5));
        final long[] out = new long[8];
        assertEquals(4, ring.poll(out, 2, 6));
        assertEquals(List.of(0L, 0L, 1L, 2L, 3L, 4L), java.util.Arrays.stream(out, 0, 6).boxed().toList());
        assertTrue(ring.offer(5));
    }

    @Test
    @Timeout(60)
    void shouldDeliverEveryElementOfEveryProducerOnceAndInEachProducersOrder() throws InterruptedException
    {
        final MpscLongRing ring = new MpscLongRing(128);
        final int producers = 3;
        final long perProducer = 1_000_000;
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final long base = (long)(p + 1) << 40;
            final Thread thread = new Thread(() ->
            {
                for (long i = 1; i <= perProducer; i++)
                {
                    while (!ring.offer(base | i))
                    {
                        Thread.yield();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        final long[] last = new long[producers + 1];
        final long[] burst = new long[32];
        long received = 0;
        while (received < producers * perProducer)
        {
            final int n = ring.poll(burst, 0, burst.length);
            for (int i = 0; i < n; i++)
            {
                final int producer = (int)(burst[i] >>> 40);
                final long sequence = burst[i] & ((1L << 40) - 1);
                assertEquals(last[producer] + 1, sequence, "producer " + producer + " order");
                last[producer] = sequence;
            }
            received += n;
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        for (int p = 1; p <= producers; p++)
        {
            assertEquals(perProducer, last[p]);
        }
    }
}
