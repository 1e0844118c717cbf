package io.opensase.classifiers.stream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.opensase.classifiers.stream.Segments.ACK;
import static io.opensase.classifiers.stream.Segments.FIN;
import static io.opensase.classifiers.stream.Segments.RST;
import static io.opensase.classifiers.stream.Segments.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built segment sequences, each checked against the bytes its sender meant. */
class TcpReassemblerTest
{
    private static final int OVERLAP = 8;

    private final StreamConfig config = StreamConfig.defaults().withMaxStreams(4).withInspectOverlap(OVERLAP)
        .withMemcaps(1 << 20, 4 << 20);

    @Test
    void shouldDeliverInOrderSegmentsWithTheLastBytesInFront()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 1000, 5000);

            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1001, "GET / HTTP/1.1\r\n"));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1017, "Host: a\r\n\r\n"));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 1, 5001, "HTTP/1.1 200 OK\r\n"));

            assertEquals("GET / HTTP/1.1\r\nHost: a\r\n\r\n", sink.text(stream, 0));
            assertEquals("HTTP/1.1 200 OK\r\n", sink.text(stream, 1));
            final List<Recorder.Event> chunks = sink.chunks();
            assertEquals(3, chunks.size());
            assertEquals("GET / HTTP/1.1\r\n", chunks.get(0).text());
            assertEquals(0, chunks.get(0).newFrom());
            // The second chunk repeats the last 8 bytes of the first.
            assertEquals("TP/1.1\r\nHost: a\r\n\r\n", chunks.get(1).text());
            assertEquals(8, chunks.get(1).newFrom());
            assertEquals(8, chunks.get(1).offset());
            assertEquals(27, reassembler.bytesDelivered(stream, 0));
            assertEquals(17, reassembler.bytesDelivered(stream, 1));
            assertEquals(3, reassembler.counters().inOrder());
        }
    }

    @Test
    void shouldHoldReversedSegmentsUntilTheFirstArrives()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            final String[] parts = {"abc", "def", "ghi", "jkl", "mno"};
            for (int p = parts.length - 1; p > 0; p--)
            {
                assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + 3 * p, parts[p]));
            }
            assertEquals("", sink.text(stream, 0));
            assertEquals(12, reassembler.buffered(stream, 0));

            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1, "abc"));

            assertEquals("abcdefghijklmno", sink.text(stream, 0));
            assertEquals(1, sink.chunks().size(), "delivered in one chunk");
            assertEquals(0, reassembler.buffered(stream, 0));
            assertEquals(0, reassembler.blocksInUse());
            assertEquals(4, reassembler.counters().outOfOrder());
        }
    }

    @Test
    void shouldKeepTheFirstBytesUnderFirstAndTheLastUnderLast()
    {
        assertEquals("AAAABBBBCC", conflictingOverlap(OverlapPolicy.FIRST));
        assertEquals("AAAAXXXXCC", conflictingOverlap(OverlapPolicy.LAST));
    }

    private String conflictingOverlap(final OverlapPolicy policy)
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config.withOverlap(policy)))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 100, 200);
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 105, "BBBB"));
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 105, "XXXXCC"));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 101, "AAAA"));
            assertEquals(1, reassembler.counters().conflicts());
            assertEquals(1, reassembler.counters().overlaps());
            return sink.text(stream, 0);
        }
    }

    @Test
    void shouldNeverChangeDeliveredBytesAndCountARetransmissionWithOtherBytes()
    {
        for (final OverlapPolicy policy : OverlapPolicy.values())
        {
            final Recorder sink = new Recorder(OVERLAP);
            try (TcpReassembler reassembler = new TcpReassembler(config.withOverlap(policy)))
            {
                final Segments tcp = new Segments(reassembler, sink);
                final int stream = reassembler.open();
                tcp.handshake(stream, 100, 200);
                tcp.data(stream, 0, 101, "GOOD");
                assertEquals(SegmentResult.DUPLICATE, tcp.data(stream, 0, 101, "GOOD"));
                assertEquals(0, reassembler.counters().conflicts(), policy + ": same bytes");
                assertEquals(SegmentResult.DUPLICATE, tcp.data(stream, 0, 101, "EVIL"));
                assertEquals(1, reassembler.counters().conflicts(), policy + ": other bytes");
                // Overlapping the delivered bytes with other ones, and bringing new ones.
                assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 103, "XX!!"));

                assertEquals("GOOD!!", sink.text(stream, 0), policy.toString());
                assertEquals(2, reassembler.counters().conflicts());
                assertEquals(2, reassembler.counters().retransmissions());
                assertEquals(1, reassembler.counters().overlaps());
            }
        }
    }

    @Test
    void shouldFollowSequenceNumbersAcrossTheWrapAt2To32()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            // ISN 2^32 - 6: payload bytes 0..4 have sequence numbers 2^32-5..2^32-1, byte 5 has 0.
            tcp.handshake(stream, 0xFFFF_FFFAL, 0xFFFF_FFFFL);
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 0x0000_0003L, "89"));
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 0xFFFF_FFFEL, "3456"));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 0xFFFF_FFFBL, "012"));
            assertEquals("0123456", sink.text(stream, 0));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 0x0000_0002L, "789"));
            assertEquals("0123456789", sink.text(stream, 0));
            // The server's ISN is 2^32 - 1: its first payload byte has sequence number 0.
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 1, 0, "ok"));
            assertEquals("ok", sink.text(stream, 1));
            // A retransmission from before the wrap is old, not 4 GB ahead.
            assertEquals(SegmentResult.DUPLICATE, tcp.data(stream, 0, 0xFFFF_FFFBL, "012"));
            assertEquals(0, reassembler.counters().gaps());
        }
    }

    @Test
    void shouldPickUpMidstreamOnlyWhenConfigured()
    {
        final Recorder on = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config.withMidstream(true)))
        {
            final Segments tcp = new Segments(reassembler, on);
            final int stream = reassembler.open();
            assertEquals(SegmentResult.NO_PAYLOAD, tcp.data(stream, 0, 7000, ""));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 7000, "mid"));
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 7005, "am"));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 7003, "st"));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 1, 123, "reply"));
            assertEquals("midstam", on.text(stream, 0));
            assertEquals("reply", on.text(stream, 1));
            assertEquals(2, reassembler.counters().midstreamPickups());
            assertEquals(0, reassembler.counters().notStarted());
        }

        final Recorder off = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config.withMidstream(false)))
        {
            final Segments tcp = new Segments(reassembler, off);
            final int stream = reassembler.open();
            assertEquals(SegmentResult.NOT_STARTED, tcp.data(stream, 0, 7000, "mid"));
            assertEquals(SegmentResult.NOT_STARTED, tcp.data(stream, 1, 123, "reply"));
            // The server's SYN-ACK seen, the client's SYN not: only the server's bytes are delivered.
            tcp.send(stream, 1, SYN | ACK, 500, new byte[0]);
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 1, 501, "hello"));
            assertEquals(SegmentResult.NOT_STARTED, tcp.data(stream, 0, 7003, "stream"));
            assertEquals("", off.text(stream, 0));
            assertEquals("hello", off.text(stream, 1));
            assertEquals(0, reassembler.counters().midstreamPickups());
            assertEquals(3, reassembler.counters().notStarted());
        }
    }

    @Test
    void shouldGiveUpHolesAtCloseAndDeliverWhatFollows()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            tcp.data(stream, 0, 1, "0123");
            tcp.data(stream, 0, 11, "abcd");
            tcp.data(stream, 0, 21, "WXYZ");
            tcp.data(stream, 1, 3, "late");
            assertEquals("0123", sink.text(stream, 0));

            reassembler.close(stream, sink);

            assertEquals("0123abcdWXYZ", sink.text(stream, 0));
            assertEquals("late", sink.text(stream, 1));
            final List<Recorder.Event> gaps = sink.gaps();
            assertEquals(3, gaps.size());
            assertEquals(List.of(4L, 6L, 14L, 6L, 0L, 2L), List.of(gaps.get(0).offset(), gaps.get(0).length(),
                gaps.get(1).offset(), gaps.get(1).length(), gaps.get(2).offset(), gaps.get(2).length()));
            // Nothing from before a gap is repeated after it.
            assertEquals("abcd", sink.chunks().get(1).text());
            assertEquals(0, sink.chunks().get(1).newFrom());
            assertEquals(10, sink.chunks().get(1).offset());
            assertEquals(0, reassembler.blocksInUse());
            assertEquals(0, reassembler.streamsOpen());
            assertEquals(14, reassembler.counters().gapBytes());
        }
    }

    @Test
    void shouldStillFillHolesBeforeAFinAfterBothSidesSentTheirs()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            tcp.data(stream, 0, 1, "ab");
            assertEquals(SegmentResult.BUFFERED, tcp.send(stream, 0, FIN | ACK, 5, "ef"));
            assertEquals(SegmentResult.NO_PAYLOAD, tcp.send(stream, 1, FIN | ACK, 1, ""));
            assertEquals("ab", sink.text(stream, 0));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 3, "cd"));
            assertEquals("abcdef", sink.text(stream, 0));
            assertTrue(sink.gaps().isEmpty());
        }
    }

    @Test
    void shouldGiveUpHolesAtAResetAndIgnoreWhatFollows()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            tcp.data(stream, 0, 3, "cd");
            assertEquals(SegmentResult.CLOSED, tcp.send(stream, 1, RST, 1, ""));
            assertEquals("cd", sink.text(stream, 0));
            assertEquals(SegmentResult.CLOSED, tcp.data(stream, 0, 1, "ab"));
            assertEquals("cd", sink.text(stream, 0));
            assertEquals(1, reassembler.counters().resets());
            assertEquals(1, reassembler.counters().afterClose());
            assertEquals(0, reassembler.blocksInUse());
        }
    }

    @Test
    void shouldIgnoreResetsTheReceiverWouldDropAndGoOnReassembling()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 1000, 5000);
            tcp.data(stream, 0, 1001, "GET ");
            // The server's next sequence number is 5001 and the client's 1005.
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 1, RST | ACK, 5001 + 3_000_000, 1005, ""));
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1010, ""));
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 1, RST, 5000, ""));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1005, "EVILPAYLOAD"));
            assertEquals("GET EVILPAYLOAD", sink.text(stream, 0));
            assertEquals(3, reassembler.counters().invalidResets());
            assertEquals(0, reassembler.counters().resets());

            assertEquals(SegmentResult.CLOSED, tcp.send(stream, 1, RST | ACK, 5001, 1016, ""));
            assertEquals(SegmentResult.CLOSED, tcp.data(stream, 0, 1016, "more"));
            assertEquals("GET EVILPAYLOAD", sink.text(stream, 0));
            assertEquals(1, reassembler.counters().resets());
            assertEquals(1, reassembler.counters().afterClose());
        }
    }

    @Test
    void shouldTakeAResetAtWhatTheReceiverAcknowledgedPastAMissingSegment()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 1000, 5000);
            tcp.data(stream, 0, 1001, "ab");
            // 1003-1004 missing from the capture; the server acknowledges them with the rest.
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1005, "ef"));
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1007, ""), "nothing acknowledged yet");
            // An acknowledgement past what the client sent (1007) is not believed.
            tcp.send(stream, 1, ACK, 5001, 1100, "");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1100, ""));
            tcp.send(stream, 1, ACK, 5001, 1007, "");
            assertEquals(SegmentResult.CLOSED, tcp.send(stream, 0, RST, 1007, ""));

            assertEquals("abef", sink.text(stream, 0));
            assertEquals(List.of(2L, 2L), List.of(sink.gaps().get(0).offset(), sink.gaps().get(0).length()));
            assertEquals(2, reassembler.counters().invalidResets());
            assertEquals(1, reassembler.counters().resets());
        }
    }

    @Test
    void shouldTakeAResetJustPastTheSendersFin()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 1000, 5000);
            // "bye" takes 1001-1003 and the FIN 1004: a RST after it comes with 1005.
            tcp.send(stream, 0, FIN | ACK, 1001, "bye");
            assertEquals(SegmentResult.CLOSED, tcp.send(stream, 0, RST, 1005, ""));
            assertEquals(1, reassembler.counters().resets());
            assertEquals(0, reassembler.counters().invalidResets());
        }
    }

    @Test
    void shouldTakeARstAckRefusingTheSynAndNoOtherResetBeforeTheSynAck()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int lone = reassembler.open();
            assertEquals(SegmentResult.IGNORED, tcp.send(lone, 1, RST | ACK, 0, 1001, ""), "no SYN from either side");

            final int stream = reassembler.open();
            assertEquals(SegmentResult.NO_PAYLOAD, tcp.send(stream, 0, SYN, 1000, 0, ""));
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 1, RST, 0, 0, ""), "no ACK");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 1, RST | ACK, 0, 1000, ""), "the SYN not acked");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 1, RST | ACK, 0, 1002, ""), "more than sent acked");
            assertEquals(4, reassembler.counters().invalidResets());
            // A closed port's answer (Linux): sequence number 0, acknowledging the SYN.
            assertEquals(SegmentResult.CLOSED, tcp.send(stream, 1, RST | ACK, 0, 1001, ""));
            assertEquals(1, reassembler.counters().resets());
        }
    }

    @Test
    void shouldDropSynDataTheSynAckDoesNotAcknowledge()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            assertEquals(SegmentResult.BUFFERED, tcp.send(stream, 0, SYN, 1000, 0, "GOODGOODGOODGO"));
            tcp.send(stream, 1, SYN | ACK, 5000, 1001, "");
            tcp.send(stream, 0, ACK, 1001, 5001, "");
            // The host dropped the SYN's bytes; the client sends its real ones at the same sequence numbers.
            assertEquals(SegmentResult.IN_ORDER, tcp.send(stream, 0, ACK, 1001, 5001, "xxEVILPAYLOADyy"));

            assertEquals("xxEVILPAYLOADyy", sink.text(stream, 0));
            assertEquals(1, reassembler.counters().synDataIgnored());
            assertEquals(0, reassembler.counters().conflicts());
            assertEquals(0, reassembler.buffered(stream, 0));
            assertEquals(0, reassembler.blocksInUse());
        }
    }

    @Test
    void shouldDeliverSynDataTheSynAckAcknowledges()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            assertEquals(SegmentResult.BUFFERED, tcp.send(stream, 0, SYN, 1000, 0, "GET /"));
            assertEquals("", sink.text(stream, 0), "waits for the SYN-ACK");
            // 1001 + 5 bytes: the SYN-ACK acknowledges the SYN and its data (TCP Fast Open).
            tcp.send(stream, 1, SYN | ACK, 5000, 1006, "");
            assertEquals("GET /", sink.text(stream, 0));
            assertEquals(SegmentResult.IN_ORDER, tcp.send(stream, 0, ACK, 1006, 5001, " HTTP/1.1"));

            assertEquals("GET / HTTP/1.1", sink.text(stream, 0));
            assertEquals(0, reassembler.counters().synDataIgnored());
            assertEquals(0, reassembler.blocksInUse());
        }
    }

    /**
     * Found by testers: data from the SYN's sender before any SYN-ACK first threw the waiting SYN data away, then
     * settled it (a segment following it, or starting where it started), which a crafted segment could steer
     * either way. Only the receiver's acknowledgement settles SYN data now; the sender's data meanwhile is not
     * taken, and a RST or the stream's end delivers what still waits.
     */
    @Test
    void shouldTakeNoDataFromTheSenderUntilItsSynDataIsSettled()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            // A segment following the SYN data does not make it taken: the SYN-ACK then leaves it unacknowledged.
            final int decoy = reassembler.open();
            tcp.send(decoy, 0, SYN, 1000, 0, "GOODGOODGOO");
            assertEquals(SegmentResult.IGNORED, tcp.send(decoy, 0, ACK, 1012, 777, "x"));
            tcp.send(decoy, 1, SYN | ACK, 5000, 1001, "");
            assertEquals(SegmentResult.IN_ORDER, tcp.send(decoy, 0, ACK, 1001, 5001, "GET /EVILPAYLOAD"));
            assertEquals("GET /EVILPAYLOAD", sink.text(decoy, 0));

            // Junk where the SYN data starts does not drop it: the SYN-ACK then acknowledges it (Fast Open).
            final int fastOpen = reassembler.open();
            tcp.send(fastOpen, 0, SYN, 1000, 0, "GET /EVILPAYLOAD");
            assertEquals(SegmentResult.IGNORED, tcp.send(fastOpen, 0, ACK, 1001, 777, "junkjunkjunkjunk"));
            tcp.send(fastOpen, 1, SYN | ACK, 5000, 1017, "");
            assertEquals("GET /EVILPAYLOAD", sink.text(fastOpen, 0));

            // With no SYN-ACK ever seen, the SYN data is delivered when the stream ends.
            final int oneSided = reassembler.open();
            tcp.send(oneSided, 0, SYN, 1000, 0, "EVILPAYLOAD");
            assertEquals(SegmentResult.IGNORED, tcp.send(oneSided, 0, ACK, 1012, 5001, "more"));
            assertEquals("", sink.text(oneSided, 0));
            reassembler.close(oneSided, sink);
            assertEquals("EVILPAYLOAD", sink.text(oneSided, 0));
            assertEquals(4, reassembler.counters().synDataIgnored());
        }
    }

    /**
     * Found by a tester: data and a FIN without the ACK flag were taken, though a host drops them once the
     * connection is open; the FIN then made a RST just past it valid.
     */
    @Test
    void shouldNotTakeDataOrAFinWithoutAck()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 1000, 5000);
            tcp.data(stream, 0, 1001, "hello ");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, 0, 1007, "decoy"));
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, FIN, 1007, ""));
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1008, ""));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1007, "EVIL"));
            assertEquals("hello EVIL", sink.text(stream, 0));
            assertEquals(2, reassembler.counters().withoutAck());
            assertEquals(1, reassembler.counters().invalidResets());
        }
    }

    /**
     * Found by testers: a RST right after unacknowledged SYN data threw the data away uninspected, then a RST at
     * either end of SYN data was taken, though which one the receiver takes depends on whether it took the data
     * (a Fast Open server expects the end, another host the start). Neither is taken while the SYN data waits;
     * the stream's end delivers it.
     */
    @Test
    void shouldTakeNoResetFromASenderWhoseSynDataWaits()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.send(stream, 0, SYN, 1000, 0, "EVILPAYLOAD");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1001, ""));
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1012, ""));
            reassembler.close(stream, sink);
            assertEquals("EVILPAYLOAD", sink.text(stream, 0));
            assertEquals(2, reassembler.counters().invalidResets());
            assertEquals(0, reassembler.counters().synDataIgnored());
        }
    }

    /**
     * Found by a tester: a RST at the receiver's last acknowledgement was taken when that acknowledgement lay
     * behind the next byte expected (the sender had sent more since), which Linux and Suricata both refuse.
     */
    @Test
    void shouldNotTakeAResetAtAnAcknowledgementBehindTheNextByte()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 1000, 5000);
            tcp.data(stream, 0, 1001, "GET /padding");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1001, ""), "at the SYN-ACK's ack");
            tcp.send(stream, 1, ACK, 5001, 1005, "");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1005, ""), "at a partial ack");
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1013, "EVIL"));
            assertEquals("GET /paddingEVIL", sink.text(stream, 0));
            assertEquals(2, reassembler.counters().invalidResets());
        }
    }

    /**
     * Found by a tester: a FIN past a hole (or out of window) made a RST just past it valid; only a FIN whose
     * bytes before it are in order moves where the receiver expects the next sequence number.
     */
    @Test
    void shouldTakeAResetPastAFinOnlyWhenTheFinCameInOrder()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 1000, 5000);
            tcp.data(stream, 0, 1001, "ab");
            tcp.send(stream, 0, FIN | ACK, 1100, "");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1101, ""));
            tcp.send(stream, 0, FIN | ACK, 1050, 5001, "zz");
            assertEquals(SegmentResult.IGNORED, tcp.send(stream, 0, RST, 1053, ""));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 1003, "EVIL"));
            assertEquals("abEVIL", sink.text(stream, 0));
            assertEquals(2, reassembler.counters().invalidResets());
        }
    }

    @Test
    void shouldGiveUpAHoleWhenTheDirectionHoldsMoreThanTheGapLimit()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config.withGapAfterBytes(10)))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 5, "efgh"));
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 12, "lmnop"));
            assertEquals("", sink.text(stream, 0));
            // 4 + 5 + 3 = 12 bytes held: the first hole goes, "efgh" is delivered, 8 bytes stay held.
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 20, "tuv"));
            assertEquals("efgh", sink.text(stream, 0));
            assertEquals(8, reassembler.buffered(stream, 0));
            assertEquals(1, sink.gaps().size());
            assertEquals(0, sink.gaps().get(0).offset());
            assertEquals(4, sink.gaps().get(0).length());
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 9, "ijk"));
            assertEquals("efghijklmnop", sink.text(stream, 0));
        }
    }

    @Test
    void shouldPutAPatternSplitAcrossSegmentsWhollyInsideOneChunk()
    {
        final byte[] pattern = "EVIL-PAYLOAD".getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 1; cut < pattern.length; cut++)
        {
            final Recorder sink = new Recorder(16);
            try (TcpReassembler reassembler = new TcpReassembler(config.withInspectOverlap(16)))
            {
                final Segments tcp = new Segments(reassembler, sink);
                final int stream = reassembler.open();
                tcp.handshake(stream, 0, 0);
                final String first = "x".repeat(30) + "EVIL-PAYLOAD".substring(0, cut);
                final String second = "EVIL-PAYLOAD".substring(cut) + "y".repeat(20);
                // Out of order too: the second half first.
                tcp.data(stream, 0, 1 + first.length(), second);
                tcp.data(stream, 0, 1, first);
                tcp.data(stream, 0, 1 + first.length() + second.length(), "z".repeat(5) + first);
                tcp.data(stream, 0, 1 + 2 * first.length() + second.length() + 5, second);

                final List<Recorder.Event> chunks = sink.chunks();
                assertEquals(3, chunks.size(), "cut " + cut);
                // The held second half joined the first: one chunk.
                assertEquals(first + second, chunks.get(0).text(), "cut " + cut);
                // In order, the pattern's start is among the bytes repeated in front of its end.
                assertFalse(chunks.get(1).text().contains("EVIL-PAYLOAD"), "cut " + cut);
                final int at = chunks.get(2).text().indexOf("EVIL-PAYLOAD");
                assertTrue(at >= 0 && at < chunks.get(2).newFrom(), "cut " + cut + ": at " + at);
            }
        }
    }

    @Test
    void shouldCutLongRunsIntoChunksThatEachRepeatTheLastBytes()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            final byte[] big = new byte[40_000];
            for (int b = 0; b < big.length; b++)
            {
                big[b] = (byte)(b * 7 + (b >>> 8));
            }
            tcp.send(stream, 0, ACK, 1, big);
            assertEquals(3, sink.chunks().size());
            // A chunk holds at most inspectOverlap + CHUNK_NEW_BYTES bytes; the first has nothing to repeat.
            final int capacity = OVERLAP + TcpReassembler.CHUNK_NEW_BYTES;
            assertEquals(capacity, sink.chunks().get(0).length());
            assertEquals(0, sink.chunks().get(0).newFrom());
            assertEquals(capacity, sink.chunks().get(1).length());
            assertEquals(OVERLAP, sink.chunks().get(1).newFrom());
            assertEquals(OVERLAP + 40_000 - 2 * capacity + OVERLAP, sink.chunks().get(2).length());
            assertEquals(java.util.Arrays.toString(big), java.util.Arrays.toString(sink.bytes(stream, 0)));
        }
    }

    @Test
    void shouldRefuseASegmentPastTheLargestWindowInsteadOfSkippingToIt()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config.withOnMemcap(MemcapPolicy.IGNORE)))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            tcp.handshake(stream, 0, 0);
            // 65,535 << 14 = 1,073,725,440 bytes ahead is the most a window allows; one byte further is refused.
            assertEquals(SegmentResult.OUT_OF_WINDOW, tcp.data(stream, 0, 1 + 1_073_725_441L, "far"));
            assertEquals(SegmentResult.BUFFERED, tcp.data(stream, 0, 1 + 1_073_725_440L, "edge"));
            reassembler.close(stream, sink);
            assertEquals(1_073_725_440L, sink.gaps().get(0).length());
            assertEquals("edge", sink.text(stream, 0));
            assertEquals(1, reassembler.counters().outOfWindow());
        }
    }

    @Test
    void shouldRefuseStreamsPastTheLimitAndReuseClosedOnes()
    {
        try (TcpReassembler reassembler = new TcpReassembler(config.withMaxStreams(2)))
        {
            final int a = reassembler.open();
            final int b = reassembler.open();
            assertTrue(a >= 0 && b >= 0 && a != b);
            assertEquals(-1, reassembler.open());
            assertEquals(1, reassembler.counters().streamsRefused());
            final Recorder sink = new Recorder(OVERLAP);
            reassembler.close(a, sink);
            assertEquals(SegmentResult.INVALID, new Segments(reassembler, sink).data(a, 0, 1, "x"));
            assertEquals(a, reassembler.open());
            assertEquals(SegmentResult.INVALID, reassembler.segment(b, 2, ACK, 1, 0, null, 0, 0, sink));
            assertEquals(2, reassembler.counters().invalid());
        }
    }

    /**
     * An acknowledgement number becomes the offset of the first byte not acknowledged, across the wrap of the
     * sequence space: the client's ISN is 2^32 - 3, so its bytes 0..4 are sequence numbers 2^32 - 2, 2^32 - 1,
     * 0, 1, 2 and an ACK of 3 acknowledges all five. A direction not started has no offsets.
     */
    @Test
    void shouldTurnAcknowledgementNumbersIntoOffsetsAcrossTheWrap()
    {
        final Recorder sink = new Recorder(OVERLAP);
        try (TcpReassembler reassembler = new TcpReassembler(config))
        {
            final Segments tcp = new Segments(reassembler, sink);
            final int stream = reassembler.open();
            assertEquals(-1, reassembler.offsetOf(stream, 0, 7));

            tcp.handshake(stream, 0xFFFF_FFFDL, 9000);
            assertEquals(0, reassembler.offsetOf(stream, 0, 0xFFFF_FFFEL));
            assertEquals(0xFFFF_FFFEL, reassembler.nextSequence(stream, 0));
            assertEquals(SegmentResult.IN_ORDER, tcp.data(stream, 0, 0xFFFF_FFFEL, "abcde"));

            assertEquals(5, reassembler.offsetOf(stream, 0, 3));
            assertEquals(2, reassembler.offsetOf(stream, 0, 0));
            assertEquals(1, reassembler.offsetOf(stream, 0, 0xFFFF_FFFFL));
            assertEquals(3, reassembler.nextSequence(stream, 0));
            assertEquals(0, reassembler.offsetOf(stream, 1, 9001));
            assertEquals(9001, reassembler.nextSequence(stream, 1));
        }
    }
}
