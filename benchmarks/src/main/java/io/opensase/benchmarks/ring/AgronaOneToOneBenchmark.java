package io.opensase.benchmarks.ring;

import io.opensase.benchmarks.support.BenchmarkJvm;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
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
import java.util.function.Consumer;

/**
 * Hand-off rate between two threads through Agrona's {@link OneToOneConcurrentArrayQueue}, carrying
 * preallocated {@code Long} references. Agrona has no batch offer: a burst is offered one element at a time
 * and stops at the first refusal; the consumer uses {@code poll} for bursts of 1 and {@code drain} for 32.
 * Its forks export {@code jdk.internal.misc}, which Agrona 2.x needs.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX,
    BenchmarkJvm.AGRONA_UNSAFE_EXPORT})
public class AgronaOneToOneBenchmark
{
    @Param({"1", "32"})
    public int burst;

    private OneToOneConcurrentArrayQueue<Long> queue;

    /** The producer's side: cycles through the element pool. */
    @State(Scope.Thread)
    public static class Source
    {
        private final Long[] pool = Handoff.elementPool();
        private int next;

        Long get()
        {
            final Long element = pool[next];
            next = (next + 1) & (Handoff.POOL_SIZE - 1);
            return element;
        }
    }

    /** The consumer's side: keeps the last reference taken. */
    @State(Scope.Thread)
    public static class Sink implements Consumer<Long>
    {
        Long last;

        @Override
        public void accept(final Long element)
        {
            last = element;
        }
    }

    @Setup(Level.Trial)
    public void create()
    {
        queue = new OneToOneConcurrentArrayQueue<>(Handoff.CAPACITY);
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void offer(final Source source, final HandoffCounters counters)
    {
        int n = 0;
        while (n < burst && queue.offer(source.get()))
        {
            n++;
        }
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
    public Long poll(final Sink sink, final HandoffCounters counters)
    {
        final int n;
        if (1 == burst)
        {
            final Long element = queue.poll();
            sink.last = element;
            n = null == element ? 0 : 1;
        }
        else
        {
            n = queue.drain(sink, burst);
        }
        if (0 == n)
        {
            counters.pollsFailed++;
        }
        else
        {
            counters.polled += n;
        }
        return sink.last;
    }
}
