package io.opensase.benchmarks.ring;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.dpdk.Eal;
import io.opensase.dpdk.Ring;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hand-off rate between two threads through DPDK's {@code rte_ring} (single producer, single consumer),
 * reached through the project's C shim, one native call per burst of 1 or 32 mbuf addresses: the same
 * measurement as {@link SpscLongRingBenchmark}, for comparing the project's Java ring with DPDK's own.
 * <p>
 * Needs DPDK and hugepages (as root: {@code bin/prepare-hugepages}); run from the repository root so that
 * the shim in {@code dpdk-bindings/target/native} is found. EAL starts on a thread of its own, so that its
 * pinning of the starting thread to one CPU does not reach the measuring threads.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class RteRingBenchmark
{
    @Param({"1", "32"})
    public int burst;

    private Ring ring;

    /** The producer's burst, a Java array passed to DPDK as a heap segment. */
    @State(Scope.Thread)
    public static class Source
    {
        final long[] elements = new long[Handoff.MAX_BURST];
        final MemorySegment segment = MemorySegment.ofArray(elements);

        @Setup(Level.Trial)
        public void fill()
        {
            for (int i = 0; i < elements.length; i++)
            {
                elements[i] = 0x1000L + 64L * i;
            }
        }
    }

    /** The consumer's burst. */
    @State(Scope.Thread)
    public static class Target
    {
        final long[] elements = new long[Handoff.MAX_BURST];
        final MemorySegment segment = MemorySegment.ofArray(elements);
    }

    @Setup(Level.Trial)
    public void create() throws InterruptedException
    {
        if (!Eal.isInitialised())
        {
            final AtomicReference<RuntimeException> failure = new AtomicReference<>();
            final Thread starter = new Thread(() ->
            {
                try
                {
                    Eal.init(List.of("--in-memory", "--no-pci", "-l", "0-1", "--no-telemetry"));
                }
                catch (final RuntimeException ex)
                {
                    failure.set(ex);
                }
            }, "eal-start");
            starter.start();
            starter.join();
            if (null != failure.get())
            {
                throw failure.get();
            }
        }
        ring = Ring.createSpsc("bench_ring_" + System.nanoTime() % 100_000, Handoff.CAPACITY);
    }

    @TearDown(Level.Trial)
    public void close()
    {
        ring.close();
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void offer(final Source source, final HandoffCounters counters)
    {
        final int n = ring.enqueueBurst(source.segment, burst);
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
        final int n = ring.dequeueBurst(target.segment, burst);
        if (0 == n)
        {
            counters.pollsFailed++;
            return 0;
        }
        counters.polled += n;
        return target.elements[n - 1];
    }
}
