package io.opensase.benchmarks.metrics;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.core.metrics.BurstTimes;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What timing a burst costs a worker, per burst: the two clock reads, {@link BurstTimes#record} (longest and
 * total, then HdrHistogram's single-writer recorder), the whole addition to {@code Worker.doWork}, the same
 * with a control thread swapping the histograms every 100 ms as the stats sampler does, and, for comparison,
 * a plain {@link Histogram} that a reader would have to copy racily. Run with {@code -prof gc}: the record
 * path allocates nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class BurstTimingBenchmark
{
    /** One worker's timing state; durations vary from call to call so that none is folded away. */
    @State(Scope.Thread)
    public static class Recording
    {
        final BurstTimes times = new BurstTimes();
        final Histogram plain = new Histogram(1, BurstTimes.HIGHEST_NS, BurstTimes.SIGNIFICANT_DIGITS);
        int next;

        long nextDurationNs()
        {
            return 800 + (next++ & 1023) * 37L;
        }
    }

    /** As {@link Recording}, with a reader thread taking a snapshot every 100 ms for the whole trial. */
    @State(Scope.Thread)
    public static class SampledRecording extends Recording
    {
        private Thread sampler;
        private volatile boolean running;

        @Setup(Level.Trial)
        public void startSampler()
        {
            running = true;
            sampler = new Thread(() ->
            {
                while (running)
                {
                    times.snapshot();
                    try
                    {
                        Thread.sleep(100);
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                }
            }, "burst-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        @TearDown(Level.Trial)
        public void stopSampler() throws InterruptedException
        {
            running = false;
            sampler.interrupt();
            sampler.join();
            System.out.printf("%n[bursts] recorded %d, longest %d ns%n", times.snapshot().count(), times.maxNs());
        }
    }

    @Benchmark
    public long clockPair()
    {
        final long startNs = System.nanoTime();
        return System.nanoTime() - startNs;
    }

    @Benchmark
    public void record(final Recording state)
    {
        state.times.record(state.nextDurationNs());
    }

    @Benchmark
    public void timedBurst(final Recording state)
    {
        final long startNs = System.nanoTime();
        state.times.record(System.nanoTime() - startNs);
    }

    @Benchmark
    public void timedBurstSampled(final SampledRecording state)
    {
        final long startNs = System.nanoTime();
        state.times.record(System.nanoTime() - startNs);
    }

    @Benchmark
    public void plainHistogram(final Recording state)
    {
        state.plain.recordValue(state.nextDurationNs());
    }
}
