package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.BenchmarkJvm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Controls for the {@code -prof gc} figures of {@link PrefilterBenchmark} and {@link RuleMatcherBenchmark}:
 * {@link #loop()} is their loop over the same payloads reading one byte of each instead of scanning it, and
 * {@link #busy()} burns about as long as a scan per operation and allocates nothing. What
 * {@code gc.alloc.rate.norm} shows for them is JMH's own allocation, spread over the operations of an
 * iteration. Owned by the JMH thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class ScanLoopBaselineBenchmark
{
    private static final int PAYLOADS = 1024;
    private static final long BUSY_TOKENS = 4000;

    private Arena arena;
    private MemorySegment[] payloads;
    private int next;

    @Setup
    public void setUp()
    {
        arena = Arena.ofShared();
        payloads = IpsData.payloads(IpsData.payloadBytes(), PrefilterBenchmark.PAYLOAD, PAYLOADS, arena);
    }

    @Benchmark
    @OperationsPerInvocation(PrefilterBenchmark.BATCH)
    public long loop()
    {
        long sum = 0;
        for (int i = 0; i < PrefilterBenchmark.BATCH; i++)
        {
            sum += payloads[next].get(ValueLayout.JAVA_BYTE, i);
            next = next + 1 == PAYLOADS ? 0 : next + 1;
        }
        return sum;
    }

    /** No allocation and no memory traffic, about 5 us per operation like a Java scan. */
    @Benchmark
    public void busy()
    {
        Blackhole.consumeCPU(BUSY_TOKENS);
    }

    @TearDown
    public void tearDown()
    {
        arena.close();
    }
}
