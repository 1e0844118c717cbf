package io.opensase.core.metrics;

import io.opensase.core.engine.BurstSink;
import io.opensase.core.engine.BurstSource;
import io.opensase.core.engine.Worker;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.Stage;
import io.opensase.core.pipeline.WorkerCounters;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Burst times: what the histogram gives back for known values, a worker's real bursts against a stage that
 * sleeps a known time, a reader swapping histograms while the writer records, and no allocation per record.
 */
class BurstTimesTest
{
    @Test
    void shouldGiveBackKnownDurationsWithinOnePercent()
    {
        final BurstTimes times = new BurstTimes();
        for (int i = 0; i < 980; i++)
        {
            times.record(10_000);
        }
        for (int i = 0; i < 19; i++)
        {
            times.record(300_000);
        }
        times.record(7_654_321);

        final BurstSummary summary = times.snapshot();
        assertEquals(1000, summary.count());
        assertEquals(980 * 10_000L + 19 * 300_000L + 7_654_321L, summary.sumNs());
        assertEquals(7_654_321, summary.maxNs(), "the longest is exact");
        assertWithinOnePercentAbove(10_000, summary.p50Ns());
        assertWithinOnePercentAbove(300_000, summary.p99Ns());
        assertWithinOnePercentAbove(300_000, summary.p999Ns());
        assertEquals(0, summary.countAtMost(bucket(5_000)));
        assertEquals(980, summary.countAtMost(bucket(10_000)));
        assertEquals(980, summary.countAtMost(bucket(200_000)));
        assertEquals(999, summary.countAtMost(bucket(500_000)));
        assertEquals(999, summary.countAtMost(bucket(5_000_000)));
        assertEquals(1000, summary.countAtMost(bucket(10_000_000)));
    }

    @Test
    void shouldKeepCountingAcrossSnapshots()
    {
        final BurstTimes times = new BurstTimes();
        times.record(1_000);
        assertEquals(1, times.snapshot().count());
        times.record(2_000);
        times.record(3_000);
        final BurstSummary summary = times.snapshot();
        assertEquals(3, summary.count(), "snapshots add up every interval since the start");
        assertEquals(6_000, summary.sumNs());
        assertEquals(3_000, summary.maxNs());
    }

    @Test
    void shouldCountABurstLongerThanTheRangeAndKeepItsExactLength()
    {
        final BurstTimes times = new BurstTimes();
        times.record(5_000);
        times.record(BurstTimes.HIGHEST_NS * 3);

        final BurstSummary summary = times.snapshot();
        assertEquals(2, summary.count());
        assertEquals(BurstTimes.HIGHEST_NS * 3, summary.maxNs());
        assertTrue(summary.p999Ns() <= summary.maxNs());
        assertEquals(1, summary.countAtMost(BurstSummary.bucketCount() - 1), "only +Inf holds the long one");
    }

    @Test
    void shouldSummariseNothingAsZeros()
    {
        final BurstSummary summary = new BurstTimes().snapshot();
        assertEquals(0, summary.count());
        assertEquals(0, summary.p50Ns());
        assertEquals(0, summary.maxNs());
    }

    @Test
    void shouldTimeAWorkersBurstsAgainstAStageThatSleeps()
    {
        final long sleepNs = TimeUnit.MILLISECONDS.toNanos(30);
        final int bursts = 20;
        final int sleepyBurst = 7;
        final int[] seen = new int[1];
        final Stage sleeper = burst ->
        {
            if (++seen[0] == sleepyBurst)
            {
                final long until = System.nanoTime() + sleepNs;
                long leftNs;
                while ((leftNs = until - System.nanoTime()) > 0)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(leftNs);
                }
            }
        };
        final Worker worker = new Worker("test-worker", new CountedSource(bursts), new Stage[] {sleeper},
            new NullSink(), new PacketBurst(4), null, new WorkerCounters());
        while (!worker.isDone())
        {
            worker.doWork();
        }

        final BurstSummary summary = worker.burstTimes().snapshot();
        assertEquals(bursts, summary.count(), "an empty poll is not a burst");
        assertTrue(summary.maxNs() >= sleepNs, "longest " + summary.maxNs() + " ns, slept " + sleepNs);
        assertTrue(summary.sumNs() >= sleepNs);
        assertTrue(summary.p50Ns() < sleepNs, "the other bursts are quick: p50 " + summary.p50Ns());
        assertEquals(bursts - 1, summary.countAtMost(bucket(10_000_000)), "one burst over 10 ms");
    }

    @Test
    void shouldLoseNoRecordWhileAReaderSwapsHistograms() throws Exception
    {
        final BurstTimes times = new BurstTimes();
        final int records = 2_000_000;
        final AtomicBoolean writing = new AtomicBoolean(true);
        final Thread writer = new Thread(() ->
        {
            for (int i = 0; i < records; i++)
            {
                times.record(100 + (i & 1023));
            }
            writing.set(false);
        });
        writer.start();
        long lastCount = 0;
        int snapshots = 0;
        while (writing.get())
        {
            final BurstSummary summary = times.snapshot();
            assertTrue(summary.count() >= lastCount, "counts never go back");
            assertTrue(summary.maxNs() >= (0 == summary.count() ? 0 : summary.p999Ns()),
                "the longest covers the histogram");
            lastCount = summary.count();
            snapshots++;
        }
        writer.join();
        final BurstSummary last = times.snapshot();
        assertEquals(records, last.count(), "after " + snapshots + " snapshots during the writes");
        assertEquals(1123, last.maxNs());
    }

    @Test
    void shouldAllocateNothingWhenRecording()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final BurstTimes times = new BurstTimes();
        for (int round = 0; round < 20; round++)
        {
            record(times, 100_000);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        record(times, 1_000_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by a million records");
    }

    private static void record(final BurstTimes times, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            times.record(500 + (i & 0xFFFF) * 37L);
        }
    }

    private static int bucket(final long boundNs)
    {
        for (int b = 0; b < BurstSummary.bucketCount(); b++)
        {
            if (BurstSummary.boundNs(b) == boundNs)
            {
                return b;
            }
        }
        throw new IllegalArgumentException("no bucket bound " + boundNs);
    }

    private static void assertWithinOnePercentAbove(final long expected, final long actual)
    {
        assertTrue(actual >= expected && actual <= expected + expected / 100,
            actual + " is not within 1% above " + expected);
    }

    /** Gives {@code bursts} bursts of one (unused) packet, with an empty poll after each. */
    private static final class CountedSource implements BurstSource
    {
        private final int bursts;
        private int given;
        private boolean empty;

        CountedSource(final int bursts)
        {
            this.bursts = bursts;
        }

        @Override
        public int receive(final PacketBurst burst)
        {
            empty = !empty;
            if (!empty || given == bursts)
            {
                return 0;
            }
            given++;
            return 1;
        }

        @Override
        public boolean isExhausted()
        {
            return given == bursts;
        }
    }

    private static final class NullSink implements BurstSink
    {
        @Override
        public void send(final PacketBurst burst)
        {
        }
    }
}
