package io.opensase.benchmarks.ring;

import io.opensase.benchmarks.support.BenchmarkJvm;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;
import org.jctools.queues.varhandle.SpscVarHandleArrayQueue;
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
 * Hand-off rate between two threads through JCTools' SPSC array queue, carrying preallocated {@code Long}
 * references: {@code offer}/{@code poll} for bursts of 1, {@code fill}/{@code drain} for bursts of 32.
 * <p>
 * {@code varhandle} is {@code SpscVarHandleArrayQueue} from jctools-core-jdk11, the variant that uses no
 * {@code sun.misc.Unsafe}; {@code unsafe} is the classic {@code SpscArrayQueue} it depends on, whose Unsafe
 * memory access JDK 25 still allows with a warning.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class JctoolsSpscBenchmark
{
    @Param({"1", "32"})
    public int burst;

    @Param({"varhandle", "unsafe"})
    public String variant;

    private MessagePassingQueue<Long> queue;

    /** The producer's side: cycles through the element pool. */
    @State(Scope.Thread)
    public static class Source implements MessagePassingQueue.Supplier<Long>
    {
        private final Long[] pool = Handoff.elementPool();
        private int next;

        @Override
        public Long get()
        {
            final Long element = pool[next];
            next = (next + 1) & (Handoff.POOL_SIZE - 1);
            return element;
        }
    }

    /** The consumer's side: keeps the last reference taken. */
    @State(Scope.Thread)
    public static class Sink implements MessagePassingQueue.Consumer<Long>
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
        queue = switch (variant)
        {
            case "varhandle" -> new SpscVarHandleArrayQueue<>(Handoff.CAPACITY);
            case "unsafe" -> new SpscArrayQueue<>(Handoff.CAPACITY);
            default -> throw new IllegalArgumentException("unknown JCTools variant: " + variant);
        };
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void offer(final Source source, final HandoffCounters counters)
    {
        final int n = 1 == burst ? (queue.offer(source.get()) ? 1 : 0) : queue.fill(source, burst);
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
