package io.opensase.benchmarks.ring;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.core.ring.SpscLongRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Hand-off rate between two threads through the project's {@link SpscLongRing}, offering and polling
 * {@code long[]} bursts of 1 or 32 mbuf addresses.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class SpscLongRingBenchmark
{
    @Param({"1", "32"})
    public int burst;

    private SpscLongRing ring;

    /** The producer's burst: addresses written once, offered again on every call. */
    @State(Scope.Thread)
    public static class Source
    {
        final long[] elements = new long[Handoff.MAX_BURST];

        @Setup(Level.Trial)
        public void fill()
        {
            for (int i = 0; i < elements.length; i++)
            {
                elements[i] = 0x1000L + 64L * i;
            }
        }
    }

    /** The consumer's burst array. */
    @State(Scope.Thread)
    public static class Target
    {
        final long[] elements = new long[Handoff.MAX_BURST];
    }

    @Setup(Level.Trial)
    public void create()
    {
        ring = new SpscLongRing(Handoff.CAPACITY);
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void offer(final Source source, final HandoffCounters counters)
    {
        final int n = ring.offer(source.elements, 0, burst);
        if (0 == n)
        {
            counters.offersFailed++;
        }
        else
        {
            counters.offered += n;
        }
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long poll(final Target target, final HandoffCounters counters)
    {
        final int n = ring.poll(target.elements, burst);
        if (0 == n)
        {
            counters.pollsFailed++;
            return 0;
        }
        counters.polled += n;
        return target.elements[n - 1];
    }
}
