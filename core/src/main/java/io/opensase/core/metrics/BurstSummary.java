package io.opensase.core.metrics;

import org.HdrHistogram.Histogram;

/**
 * One worker's burst times at one moment, since the start: how many bursts, their total and longest
 * duration, three percentiles, and cumulative counts at fixed bucket bounds (for a Prometheus histogram).
 * Percentiles are the top of the histogram bucket holding them (within 1% above the value), never more than
 * {@link #maxNs}; a bucket's count is likewise exact to the histogram's 1% resolution at its bound.
 *
 * @param count  bursts recorded.
 * @param sumNs  their total duration.
 * @param maxNs  the longest, exact: the worker's longest stall inside a burst.
 */
public record BurstSummary(long count, long sumNs, long maxNs, long p50Ns, long p99Ns, long p999Ns,
    long[] cumulativeCounts)
{
    /**
     * Bucket bounds, in nanoseconds: from 1 µs (a short burst) to 1 s (a stall). A fixed list, so that
     * the number of series per worker is fixed; bursts above the last bound count only in {@code +Inf}.
     */
    private static final long[] BOUNDS_NS = {
        1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
        1_000_000, 2_000_000, 5_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    public static final BurstSummary EMPTY = new BurstSummary(0, 0, 0, 0, 0, 0, new long[BOUNDS_NS.length]);

    public BurstSummary
    {
        cumulativeCounts = cumulativeCounts.clone();
    }

    /** Summarises {@code histogram}, whose bursts took {@code sumNs} together and {@code maxNs} at longest. */
    static BurstSummary of(final Histogram histogram, final long sumNs, final long maxNs)
    {
        final long count = histogram.getTotalCount();
        if (0 == count)
        {
            return new BurstSummary(0, sumNs, maxNs, 0, 0, 0, new long[BOUNDS_NS.length]);
        }
        final long[] cumulative = new long[BOUNDS_NS.length];
        for (int b = 0; b < BOUNDS_NS.length; b++)
        {
            cumulative[b] = histogram.getCountBetweenValues(0, BOUNDS_NS[b]);
        }
        return new BurstSummary(count, sumNs, maxNs, percentile(histogram, 50.0, maxNs),
            percentile(histogram, 99.0, maxNs), percentile(histogram, 99.9, maxNs), cumulative);
    }

    private static long percentile(final Histogram histogram, final double percentile, final long maxNs)
    {
        return Math.min(histogram.getValueAtPercentile(percentile), maxNs);
    }

    /** How many bucket bounds there are. */
    public static int bucketCount()
    {
        return BOUNDS_NS.length;
    }

    /** Bucket {@code b}'s upper bound, in nanoseconds. */
    public static long boundNs(final int b)
    {
        return BOUNDS_NS[b];
    }

    /** Bursts that took at most {@link #boundNs}{@code (b)}. */
    public long countAtMost(final int b)
    {
        return cumulativeCounts[b];
    }

    @Override
    public long[] cumulativeCounts()
    {
        return cumulativeCounts.clone();
    }
}
