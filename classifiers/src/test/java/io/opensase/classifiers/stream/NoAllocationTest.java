package io.opensase.classifiers.stream;

import io.opensase.classifiers.parse.PacketMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment path as production runs it, payloads read through {@link PacketMemory#ALL} at native addresses:
 * once warm, in-order, out-of-order, duplicate and overlapping segments, gaps, memory-cap hits, opens and
 * closes allocate nothing on the heap.
 */
class NoAllocationTest
{
    private static final int SEGMENT = 1448;
    private static final int SEGMENTS = 12;

    /** Counts what it is given, so that delivery is not optimised away; allocates nothing itself. */
    private static final class CountingSink implements StreamSink
    {
        long bytes;
        long gaps;

        @Override
        public void onData(final int stream, final int direction, final MemorySegment chunk, final int newFrom,
            final long chunkOffset)
        {
            bytes += chunk.byteSize() - newFrom;
        }

        @Override
        public void onGap(final int stream, final int direction, final long offset, final long length)
        {
            gaps++;
        }
    }

    @Test
    void shouldNotAllocateOnTheSegmentPathOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final StreamConfig config = StreamConfig.defaults().withMaxStreams(16)
            .withMemcaps(8 * TcpReassembler.BLOCK_BYTES, 48 * TcpReassembler.BLOCK_BYTES);
        try (Arena arena = Arena.ofConfined(); TcpReassembler reassembler = new TcpReassembler(config))
        {
            final MemorySegment payloads = arena.allocate((long)SEGMENTS * SEGMENT, 64);
            for (int b = 0; b < SEGMENTS * SEGMENT; b++)
            {
                payloads.set(java.lang.foreign.ValueLayout.JAVA_BYTE, b, (byte)(b * 31));
            }
            final CountingSink sink = new CountingSink();

            run(reassembler, payloads.address(), sink, 3_000);
            // A few rounds: code recompiled in this JVM after other tests fed heap segments may allocate once
            // while it is compiled again; an allocation per segment would show in every round.
            final long[] allocated = new long[5];
            for (int round = 0; round < allocated.length; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                run(reassembler, payloads.address(), sink, 1_000);
                allocated[round] = threads.getCurrentThreadAllocatedBytes() - before;
            }

            assertTrue(sink.gaps > 0 && sink.bytes > 0, "gaps and data exercised");
            assertTrue(reassembler.counters().memcapHits(MemcapPolicy.IGNORE) > 0, "memory cap exercised");
            assertTrue(reassembler.counters().conflicts() > 0, "conflicts exercised");
            assertEquals(0, Arrays.stream(allocated).min().orElseThrow(),
                "bytes allocated per round of 1,000 connections: " + Arrays.toString(allocated));
            assertTrue(Arrays.stream(allocated).max().orElseThrow() < 1_000, Arrays.toString(allocated));
        }
    }

    /** Connections of 12 segments each, in order, reversed, with duplicates, overlaps and a hole. */
    private static void run(final TcpReassembler reassembler, final long payloads, final StreamSink sink,
        final int connections)
    {
        final MemorySegment mem = PacketMemory.ALL;
        for (int c = 0; c < connections; c++)
        {
            final int stream = reassembler.open();
            final long isn = 0xFFFF_F000L + c * 977L;
            reassembler.segment(stream, 0, TcpReassembler.SYN, isn, 0, mem, payloads, 0, sink);
            reassembler.segment(stream, 1, TcpReassembler.SYN | TcpReassembler.ACK, 5, isn + 1, mem, payloads, 0,
                sink);
            for (int s = 0; s < SEGMENTS; s++)
            {
                final int k = switch (c % 4)
                {
                    case 0 -> s;
                    case 1 -> SEGMENTS - 1 - s;
                    case 2 -> s ^ 1;
                    default -> s == 3 ? 0 : s;
                };
                final long seq = isn + 1 + (long)k * SEGMENT;
                final long at = payloads + (long)k * SEGMENT;
                reassembler.segment(stream, 0, TcpReassembler.ACK, seq, 6, mem, at, SEGMENT, sink);
                // Half a segment again, one byte changed at times: a duplicate or a conflicting overlap.
                reassembler.segment(stream, 0, TcpReassembler.ACK, seq + 100 + (c & 1), 6, mem, at + 100, 700, sink);
                reassembler.segment(stream, 1, TcpReassembler.ACK, 6 + (long)k * 100, isn, mem, at, 100, sink);
            }
            reassembler.close(stream, sink);
        }
    }
}
