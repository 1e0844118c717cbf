package io.opensase.core.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SpscLongRingTest
{
    @Test
    void shouldTakeNoMoreThanItsCapacityAndGiveBackInOrder()
    {
        final SpscLongRing ring = new SpscLongRing(8);
        final long[] in = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertEquals(8, ring.offer(in, 0, 10));
        assertEquals(0, ring.offer(in, 8, 2));
        assertEquals(8, ring.size());

        final long[] out = new long[5];
        assertEquals(5, ring.poll(out, 5));
        assertEquals(java.util.List.of(1L, 2L, 3L, 4L, 5L), java.util.Arrays.stream(out).boxed().toList());
        assertEquals(2, ring.offer(in, 8, 2));
        final long[] rest = new long[16];
        assertEquals(5, ring.poll(rest, 16));
        assertEquals(java.util.List.of(6L, 7L, 8L, 9L, 10L),
            java.util.Arrays.stream(rest, 0, 5).boxed().toList());
        assertEquals(0, ring.poll(rest, 16));
    }

    @Test
    void shouldRejectACapacityThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new SpscLongRing(12));
        assertThrows(IllegalArgumentException.class, () -> new SpscLongRing(1));
    }

    @Test
    @Timeout(60)
    void shouldHandEveryElementOverOnceAndInOrderBetweenTwoThreads() throws InterruptedException
    {
        final SpscLongRing ring = new SpscLongRing(64);
        final long total = 5_000_000;
        final Thread producer = new Thread(() ->
        {
            final long[] burst = new long[32];
            long next = 1;
            while (next <= total)
            {
                final int n = (int)Math.min(burst.length, total - next + 1);
                for (int i = 0; i < n; i++)
                {
                    burst[i] = next + i;
                }
                int offered = 0;
                while (offered < n)
                {
                    final int now = ring.offer(burst, offered, n - offered);
                    offered += now;
                    if (0 == now)
                    {
                        Thread.yield();
                    }
                }
                next += n;
            }
        });
        producer.start();
        final long[] burst = new long[17];
        long expected = 1;
        while (expected <= total)
        {
            final int n = ring.poll(burst, burst.length);
            for (int i = 0; i < n; i++)
            {
                if (burst[i] != expected)
                {
                    throw new AssertionError("expected " + expected + " got " + burst[i]);
                }
                expected++;
            }
        }
        producer.join();
        assertEquals(total + 1, expected);
        assertEquals(0, ring.size());
    }
}
