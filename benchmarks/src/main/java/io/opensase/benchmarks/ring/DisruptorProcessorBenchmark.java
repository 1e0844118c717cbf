package io.opensase.benchmarks.ring;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.opensase.benchmarks.support.BenchmarkJvm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

import java.util.concurrent.TimeUnit;

/**
 * Hand-off rate through an LMAX Disruptor single-producer ring buffer used the usual way: the JMH thread
 * publishes bursts, a {@link BatchEventProcessor} on its own thread consumes them, waiting with a busy-spin
 * or yielding strategy.
 * <p>
 * The consumer is not a JMH thread, so only the producer's counts are reported; the ring is bounded, so the
 * rate of elements offered is the rate consumed, give or take one ring (4,096 events) per iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class DisruptorProcessorBenchmark
{
    @Param({"1", "32"})
    public int burst;

    @Param({"busy-spin", "yielding"})
    public String waitStrategy;

    private RingBuffer<LongEvent> ring;
    private BatchEventProcessor<LongEvent> processor;
    private Thread consumer;
    private final Sink sink = new Sink();

    /** The consumer thread's handler. */
    static final class Sink implements EventHandler<LongEvent>
    {
        long consumed;
        long last;

        @Override
        public void onEvent(final LongEvent event, final long sequence, final boolean endOfBatch)
        {
            last = event.value;
            consumed++;
        }
    }

    /** The producer's next value. */
    @State(Scope.Thread)
    public static class Source
    {
        long next = 0x1000L;
    }

    @Setup(Level.Trial)
    public void start()
    {
        final WaitStrategy strategy = switch (waitStrategy)
        {
            case "busy-spin" -> new BusySpinWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            default -> throw new IllegalArgumentException("unknown wait strategy: " + waitStrategy);
        };
        ring = RingBuffer.createSingleProducer(LongEvent::new, Handoff.CAPACITY, strategy);
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), sink);
        ring.addGatingSequences(processor.getSequence());
        consumer = new Thread(processor, "disruptor-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException
    {
        processor.halt();
        consumer.join(10_000);
    }

    @Benchmark
    public void offer(final Source source, final ProducerCounters counters)
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
}
