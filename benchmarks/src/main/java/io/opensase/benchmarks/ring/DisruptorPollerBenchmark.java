package io.opensase.benchmarks.ring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.opensase.benchmarks.support.BenchmarkJvm;
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
 * Hand-off rate between two threads through an LMAX Disruptor single-producer ring buffer of preallocated
 * events that each carry a {@code long}.
 * <p>
 * The producer claims a burst only when {@code hasAvailableCapacity} says it fits (so {@code next} never
 * parks), writes the events and publishes the range. The consumer is a JMH thread too, as for the other
 * queues, so it takes events through an {@link EventPoller}, at most one burst per call, rather than through
 * a {@code BatchEventProcessor} thread ({@link DisruptorProcessorBenchmark} measures that). The ring is built
 * with {@link BusySpinWaitStrategy}; with a poller nothing ever waits on it, and its publish-side signal is a
 * no-op.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class DisruptorPollerBenchmark
{
    @Param({"1", "32"})
    public int burst;

    private RingBuffer<LongEvent> ring;
    private EventPoller<LongEvent> poller;

    /** The producer's next value. */
    @State(Scope.Thread)
    public static class Source
    {
        long next = 0x1000L;
    }

    /** The consumer's handler: takes up to one burst per poll. */
    @State(Scope.Thread)
    public static class Sink implements EventPoller.Handler<LongEvent>
    {
        int limit;
        int taken;
        long last;

        @Override
        public boolean onEvent(final LongEvent event, final long sequence, final boolean endOfBatch)
        {
            last = event.value;
            return ++taken < limit;
        }
    }

    @Setup(Level.Trial)
    public void create()
    {
        ring = RingBuffer.createSingleProducer(LongEvent::new, Handoff.CAPACITY, new BusySpinWaitStrategy());
        poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public void offer(final Source source, final HandoffCounters counters)
    {
        final int n = burst;
        if (!ring.hasAvailableCapacity(n))
        {
            counters.offersFailed++;
            return;
        }
        final long hi = ring.next(n);
        final long lo = hi - (n - 1);
        for (long sequence = lo; sequence <= hi; sequence++)
        {
            ring.get(sequence).value = source.next++;
        }
        ring.publish(lo, hi);
        counters.offered += n;
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long poll(final Sink sink, final HandoffCounters counters) throws Exception
    {
        sink.limit = burst;
        sink.taken = 0;
        poller.poll(sink);
        if (0 == sink.taken)
        {
            counters.pollsFailed++;
        }
        else
        {
            counters.polled += sink.taken;
        }
        return sink.last;
    }
}
