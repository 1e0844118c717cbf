package io.opensase.core.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How long one worker takes over each non-empty burst, from the start of its stages to the end of its
 * transmit: a histogram, the sum and the longest burst since the start ("worker stall").
 * <p>
 * The worker thread alone calls {@link #record}; it takes no lock and allocates nothing. It writes the
 * longest and the total with release stores into a padded array of its own, then records the value in the
 * active histogram of a {@link SingleWriterRecorder} (two uncontended atomic increments around a plain
 * histogram update). Control threads call {@link #snapshot}, which swaps the recorder's histograms, adds
 * the interval into a cumulative histogram kept here and summarises it; readers serialise on this object,
 * and the worker never waits for them.
 */
public final class BurstTimes
{
    /** Longest value the histogram tells apart; a longer burst is counted here (its exact length is the max). */
    public static final long HIGHEST_NS = 60_000_000_000L;
    /** Value resolution: two significant decimal digits, so any value read back is within 1% above the truth. */
    public static final int SIGNIFICANT_DIGITS = 2;

    private static final VarHandle WRITTEN = MethodHandles.arrayElementVarHandle(long[].class);
    /** 128 bytes on either side of the worker's two values: no other thread's data on their cache lines. */
    private static final int PAD = 16;
    private static final int MAX_NS = PAD;
    private static final int SUM_NS = PAD + 1;

    private final long[] written = new long[PAD + 2 + PAD];
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, HIGHEST_NS, SIGNIFICANT_DIGITS);
    /** Readers only, under this object's lock: everything swapped out of the recorder so far. */
    private final Histogram total = new Histogram(1, HIGHEST_NS, SIGNIFICANT_DIGITS);
    private Histogram interval;

    /** Worker thread: one burst took {@code durationNs}. */
    public void record(final long durationNs)
    {
        final long ns = Math.max(0, durationNs);
        if (ns > written[MAX_NS])
        {
            WRITTEN.setRelease(written, MAX_NS, ns);
        }
        WRITTEN.setRelease(written, SUM_NS, written[SUM_NS] + ns);
        recorder.recordValue(Math.min(ns, HIGHEST_NS));
    }

    /** Any thread: the longest burst so far, in nanoseconds, as last written by the worker. */
    public long maxNs()
    {
        return (long)WRITTEN.getAcquire(written, MAX_NS);
    }

    /**
     * Control threads: every burst recorded so far, summarised. The sum and the longest are read after the
     * histogram is swapped, and the worker writes them before it records, so they cover at least the bursts
     * the histogram counts (they may hold one or two more, being recorded at the time).
     */
    public synchronized BurstSummary snapshot()
    {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        final long sumNs = (long)WRITTEN.getAcquire(written, SUM_NS);
        return BurstSummary.of(total, sumNs, maxNs());
    }
}
