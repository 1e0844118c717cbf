package io.opensase.core.control.api;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per key (a principal, or a peer address before a principal is known): {@code ratePerSecond}
 * tokens a second, at most {@code burst} saved up. Thread-safe (one lock; the API's request rate is small).
 *
 * <p>The buckets are bounded: at {@value #MAX_KEYS} keys, the full ones (idle long enough to have refilled,
 * so forgetting them changes nothing) are dropped; when none is full, a new key is refused until one refills.
 */
final class RateLimiter
{
    static final int MAX_KEYS = 4096;
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final long nsPerToken;
    private final long capacityNs;
    private final Map<String, long[]> buckets = new HashMap<>();

    RateLimiter(final int ratePerSecond, final int burst)
    {
        this.nsPerToken = NS_PER_SECOND / ratePerSecond;
        this.capacityNs = nsPerToken * burst;
    }

    /**
     * Takes one token from {@code key}'s bucket at time {@code nowNs} (monotonic).
     *
     * @return 0 when taken; otherwise the nanoseconds until a token is there (at least 1).
     */
    synchronized long tryAcquire(final String key, final long nowNs)
    {
        // A bucket is the time at which it was empty (its "theoretical arrival time"): it holds
        // (now - emptyAt) / nsPerToken tokens, up to the burst.
        long[] emptyAt = buckets.get(key);
        if (null == emptyAt)
        {
            if (buckets.size() >= MAX_KEYS && !forgetFull(nowNs))
            {
                return nsPerToken;
            }
            emptyAt = new long[] {nowNs - capacityNs};
            buckets.put(key, emptyAt);
        }
        final long base = Math.max(emptyAt[0], nowNs - capacityNs);
        final long next = base + nsPerToken;
        if (next > nowNs)
        {
            return next - nowNs;
        }
        emptyAt[0] = next;
        return 0;
    }

    synchronized int keys()
    {
        return buckets.size();
    }

    private boolean forgetFull(final long nowNs)
    {
        boolean any = false;
        for (final Iterator<long[]> it = buckets.values().iterator(); it.hasNext();)
        {
            if (it.next()[0] <= nowNs - capacityNs)
            {
                it.remove();
                any = true;
            }
        }
        return any;
    }
}
