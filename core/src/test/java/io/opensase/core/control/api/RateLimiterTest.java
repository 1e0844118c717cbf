package io.opensase.core.control.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest
{
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long T0 = 5_000 * SECOND_NS;

    @Test
    void shouldAllowTheBurstThenTheRate()
    {
        final RateLimiter limiter = new RateLimiter(10, 5);

        for (int i = 0; i < 5; i++)
        {
            assertEquals(0, limiter.tryAcquire("alice", T0), "burst " + i);
        }
        assertEquals(SECOND_NS / 10, limiter.tryAcquire("alice", T0), "a token in 100 ms");
        assertEquals(SECOND_NS / 10 - 1000, limiter.tryAcquire("alice", T0 + 1000));
        assertEquals(0, limiter.tryAcquire("alice", T0 + SECOND_NS / 10));
        assertTrue(limiter.tryAcquire("alice", T0 + SECOND_NS / 10) > 0);

        long allowed = 0;
        for (long t = T0 + SECOND_NS / 10 + SECOND_NS / 1000; t <= T0 + 11 * SECOND_NS / 10; t += SECOND_NS / 1000)
        {
            allowed += limiter.tryAcquire("alice", t) == 0 ? 1 : 0;
        }
        assertEquals(10, allowed, "10 in the next second, polled every millisecond");
    }

    @Test
    void shouldSaveUpNoMoreThanTheBurst()
    {
        final RateLimiter limiter = new RateLimiter(2, 3);
        assertEquals(0, limiter.tryAcquire("bob", T0));

        final long later = T0 + 3600 * SECOND_NS;
        for (int i = 0; i < 3; i++)
        {
            assertEquals(0, limiter.tryAcquire("bob", later));
        }
        assertEquals(SECOND_NS / 2, limiter.tryAcquire("bob", later));
    }

    @Test
    void shouldKeepKeysApart()
    {
        final RateLimiter limiter = new RateLimiter(1, 1);

        assertEquals(0, limiter.tryAcquire("alice", T0));
        assertEquals(0, limiter.tryAcquire("bob", T0));
        assertEquals(0, limiter.tryAcquire("peer 127.0.0.1", T0));
        assertEquals(SECOND_NS, limiter.tryAcquire("alice", T0));
    }

    @Test
    void shouldBoundTheKeysItRemembers()
    {
        final RateLimiter limiter = new RateLimiter(1, 1);
        for (int i = 0; i < RateLimiter.MAX_KEYS; i++)
        {
            assertEquals(0, limiter.tryAcquire("peer " + i, T0));
        }
        assertEquals(RateLimiter.MAX_KEYS, limiter.keys());

        assertEquals(SECOND_NS, limiter.tryAcquire("peer new", T0), "no bucket has refilled: a new key waits");
        assertEquals(0, limiter.tryAcquire("peer new", T0 + SECOND_NS), "every bucket refilled and was forgotten");
        assertEquals(1, limiter.keys());
    }
}
