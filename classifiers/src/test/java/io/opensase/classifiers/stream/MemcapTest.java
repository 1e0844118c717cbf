package io.opensase.classifiers.stream;

import org.junit.jupiter.api.Test;

import static io.opensase.classifiers.stream.TcpReassembler.BLOCK_BYTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-stream and the global memory cap, hit under each {@link MemcapPolicy}. Segments of 100 bytes spaced a
 * block apart take one block each.
 */
class MemcapTest
{
    private static final StreamConfig TWO_BLOCKS_EACH_FOUR_IN_ALL = StreamConfig.defaults().withMaxStreams(4)
        .withInspectOverlap(8).withMemcaps(2 * BLOCK_BYTES, 4 * BLOCK_BYTES).withGapAfterBytes(1 << 20);

    /** Fills stream {@code stream} with two held segments: offsets 2,048 and 4,096, 100 bytes each. */
    private static void holdTwoBlocks(final Segments tcp, final int stream)
    {
        tcp.handshake(stream, 0, 0);
        assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + BLOCK_BYTES, "b".repeat(100)));
        assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + 2 * BLOCK_BYTES, "c".repeat(100)));
    }

    @Test
    void shouldDropTheFlowAtTheStreamCapUnderDropFlow()
    {
        final Recorder sink = new Recorder(8);
        try (TcpReassembler reassembler = new TcpReassembler(
            TWO_BLOCKS_EACH_FOUR_IN_ALL.withOnMemcap(MemcapPolicy.DROP_FLOW)))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            holdTwoBlocks(tcp, stream);
            assertEquals(SegmentResult.DROP_FLOW, tcp.data(stream, 1, 1 + BLOCK_BYTES, "third block"));
            assertTrue(reassembler.dropped(stream));
            assertEquals(0, reassembler.blocksInUse(), "held bytes freed");
            assertEquals(SegmentResult.DROP_FLOW, tcp.data(stream, 0, 1, "a"));
            assertEquals("", sink.text(stream, 0));
            assertEquals(1, reassembler.counters().streamMemcapHits());
            assertEquals(1, reassembler.counters().memcapHits(MemcapPolicy.DROP_FLOW));
            reassembler.close(stream, sink);
            assertTrue(sink.events.isEmpty(), "nothing delivered at close either");
        }
    }

    @Test
    void shouldBypassTheStreamAtTheStreamCapUnderBypass()
    {
        final Recorder sink = new Recorder(8);
        try (TcpReassembler reassembler = new TcpReassembler(
            TWO_BLOCKS_EACH_FOUR_IN_ALL.withOnMemcap(MemcapPolicy.BYPASS)))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            tcp.data(stream, 0, 1, "before");
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + BLOCK_BYTES, "b".repeat(100)));
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + 2 * BLOCK_BYTES, "c".repeat(100)));
            assertFalse(reassembler.bypassed(stream));
            assertEquals(SegmentResult.BYPASSED, tcp.data(stream, 0, 1 + 3 * BLOCK_BYTES, "d"));
            assertTrue(reassembler.bypassed(stream));
            assertEquals(SegmentResult.BYPASSED, tcp.data(stream, 0, 7, "after"));
            assertEquals("before", sink.text(stream, 0));
            assertEquals(0, reassembler.blocksInUse());
            assertEquals(1, reassembler.counters().memcapHits(MemcapPolicy.BYPASS));
            reassembler.close(stream, sink);
            assertFalse(reassembler.bypassed(stream));
        }
    }

    @Test
    void shouldGiveUpTheHolesAndGoOnAtTheStreamCapUnderIgnore()
    {
        final Recorder sink = new Recorder(8);
        try (TcpReassembler reassembler = new TcpReassembler(
            TWO_BLOCKS_EACH_FOUR_IN_ALL.withOnMemcap(MemcapPolicy.IGNORE)))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            holdTwoBlocks(tcp, stream);
            // A third block past the cap: the holes before each held segment and before it are given up.
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1 + 3 * BLOCK_BYTES + 50, "dd"));
            assertEquals("b".repeat(100) + "c".repeat(100) + "dd", sink.text(stream, 0));
            assertEquals(3, sink.gaps().size());
            assertEquals(BLOCK_BYTES, sink.gaps().get(0).length());
            assertEquals(BLOCK_BYTES - 100, sink.gaps().get(1).length());
            assertEquals(BLOCK_BYTES - 100 + 50, sink.gaps().get(2).length());
            assertEquals(3 * BLOCK_BYTES + 52, reassembler.position(stream, 0));
            assertEquals(0, reassembler.blocksInUse());
            assertEquals(1, reassembler.counters().memcapHits(MemcapPolicy.IGNORE));
            // The stream goes on.
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1 + 3 * BLOCK_BYTES + 52, "ee"));
            assertEquals(SegmentResult.DUPLICATE, tcp.data(stream, 0, 1, "late"));
            assertEquals("b".repeat(100) + "c".repeat(100) + "ddee", sink.text(stream, 0));
        }
    }

    @Test
    void shouldApplyThePolicyWhenThePoolIsEmptyEvenUnderTheStreamCap()
    {
        for (final MemcapPolicy policy : MemcapPolicy.values())
        {
            final Recorder sink = new Recorder(8);
            try (TcpReassembler reassembler = new TcpReassembler(TWO_BLOCKS_EACH_FOUR_IN_ALL.withOnMemcap(policy)))
            {
                final Segments tcp = new Segments(reassembler, sink);
                final int first = reassembler.open();
                final int second = reassembler.open();
                final int third = reassembler.open();
                holdTwoBlocks(tcp, first);
                holdTwoBlocks(tcp, second);
                assertEquals(4, reassembler.blocksInUse());
                tcp.handshake(third, 0, 0);

                final int result = tcp.data(third, 0, 1 + BLOCK_BYTES, "held?");

                assertEquals(1, reassembler.counters().globalMemcapHits(), policy.toString());
                assertEquals(0, reassembler.counters().streamMemcapHits(), policy.toString());
                assertEquals(1, reassembler.counters().memcapHits(policy), policy.toString());
                assertEquals(4, reassembler.blocksInUse(), "the other streams keep theirs: " + policy);
                switch (policy)
                {
                    case DROP_FLOW -> assertEquals(SegmentResult.DROP_FLOW, result);
                    case BYPASS -> assertEquals(SegmentResult.BYPASSED, result);
                    case IGNORE ->
                    {
                        assertEquals(SegmentResult.IN_ORDER, result);
                        assertEquals("held?", sink.text(third, 0));
                        assertEquals(BLOCK_BYTES, sink.gaps().get(0).length());
                    }
                }
                // Closing a stream returns its blocks to the pool; the third stream can hold again if still open.
                reassembler.close(first, sink);
                assertEquals(2, reassembler.blocksInUse());
                if (MemcapPolicy.IGNORE == policy)
                {
                    assertEquals(SegmentResult.BUFFERED, tcp.data(third, 0, 1 + 3 * BLOCK_BYTES, "x"));
                }
            }
        }
    }

    @Test
    void shouldCountBlocksNotBytesForTinyScatteredSegments()
    {
        final Recorder sink = new Recorder(8);
        try (TcpReassembler reassembler = new TcpReassembler(
            TWO_BLOCKS_EACH_FOUR_IN_ALL.withOnMemcap(MemcapPolicy.DROP_FLOW)))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            // Two bytes held, one in each of two blocks: the cap is reached with 2 bytes.
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + 100, "x"));
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + BLOCK_BYTES + 100, "y"));
            // More bytes in blocks already held cost nothing.
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + 200, "z".repeat(1000)));
            assertEquals(SegmentResult.DROP_FLOW, tcp.data(stream, 0, 1 + 2 * BLOCK_BYTES + 100, "w"));
        }
    }
}
