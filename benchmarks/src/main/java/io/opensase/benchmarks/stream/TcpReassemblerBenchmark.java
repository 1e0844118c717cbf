package io.opensase.benchmarks.stream;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.stream.SegmentResult;
import io.opensase.classifiers.stream.StreamConfig;
import io.opensase.classifiers.stream.StreamSink;
import io.opensase.classifiers.stream.TcpReassembler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per {@link TcpReassembler#segment} of 1,448 payload bytes (a full segment on a 1,500-byte MTU
 * with timestamps), on one long-lived stream with the default configuration (2,048 bytes of overlap repeated in
 * front of each chunk): in order (each delivered straight from the packet); in swapped pairs (every other
 * segment held, then delivered with the next); and reversed in runs of 16 (15 held, all delivered by the last).
 * Payloads are read through {@link PacketMemory#ALL} from native memory, as on the packet path. The sink sums
 * the new bytes it is given.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class TcpReassemblerBenchmark
{
    public static final int RUN = 16;
    public static final int SEGMENT = 1448;

    /** Sums the new bytes delivered; allocates nothing. */
    private static final class SummingSink implements StreamSink
    {
        long bytes;

        @Override
        public void onData(final int stream, final int direction, final MemorySegment chunk, final int newFrom,
            final long chunkOffset)
        {
            bytes += chunk.byteSize() - newFrom + chunk.get(ValueLayout.JAVA_BYTE, chunk.byteSize() - 1);
        }

        @Override
        public void onGap(final int stream, final int direction, final long offset, final long length)
        {
            throw new IllegalStateException("gap at " + offset);
        }
    }

    private Arena arena;
    private TcpReassembler reassembler;
    private final SummingSink sink = new SummingSink();
    private long payloads;
    private int stream;
    private long seq;

    @Setup(Level.Trial)
    public void build()
    {
        arena = Arena.ofShared();
        final MemorySegment memory = arena.allocate((long)RUN * SEGMENT, 64);
        for (int b = 0; b < RUN * SEGMENT; b++)
        {
            memory.set(ValueLayout.JAVA_BYTE, b, (byte)(b * 31 + 7));
        }
        payloads = memory.address();
        reassembler = new TcpReassembler(StreamConfig.defaults());
        stream = reassembler.open();
        seq = 0xFFFF_0000L;
        reassembler.segment(stream, 0, TcpReassembler.SYN, seq, 0, PacketMemory.ALL, payloads, 0, sink);
        seq++;
    }

    @TearDown(Level.Trial)
    public void close()
    {
        if (0 != reassembler.counters().gaps() || 0 != reassembler.buffered(stream, 0))
        {
            throw new IllegalStateException("gaps " + reassembler.counters().gaps() + ", held "
                + reassembler.buffered(stream, 0));
        }
        reassembler.close();
        arena.close();
    }

    private int send(final int k)
    {
        return reassembler.segment(stream, 0, TcpReassembler.ACK, (seq + (long)k * SEGMENT) & 0xFFFF_FFFFL, 1,
            PacketMemory.ALL, payloads + (long)k * SEGMENT, SEGMENT, sink);
    }

    /** One in-order segment per operation. */
    @Benchmark
    public int inOrder()
    {
        final int result = send(0);
        seq += SEGMENT;
        return result;
    }

    /** Pairs swapped: the second segment of each pair is held, then delivered with the first. */
    @Benchmark
    @OperationsPerInvocation(RUN)
    public long swappedPairs()
    {
        long results = 0;
        for (int k = 0; k < RUN; k += 2)
        {
            results += send(k + 1);
            results += send(k);
        }
        seq += (long)RUN * SEGMENT;
        check(results, RUN / 2 * (SegmentResult.BUFFERED + SegmentResult.IN_ORDER));
        return sink.bytes;
    }

    /** Runs of 16 reversed: 15 held (21,720 bytes in 11 or 12 blocks), then all delivered by the first. */
    @Benchmark
    @OperationsPerInvocation(RUN)
    public long reversed()
    {
        long results = 0;
        for (int k = RUN - 1; k >= 0; k--)
        {
            results += send(k);
        }
        seq += (long)RUN * SEGMENT;
        check(results, (RUN - 1) * SegmentResult.BUFFERED + SegmentResult.IN_ORDER);
        return sink.bytes;
    }

    private static void check(final long results, final long expected)
    {
        if (results != expected)
        {
            throw new IllegalStateException("results " + results + ", expected " + expected);
        }
    }
}
