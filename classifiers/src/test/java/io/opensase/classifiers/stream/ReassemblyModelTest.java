package io.opensase.classifiers.stream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random segment orders, with duplicates, overlaps and conflicting bytes, checked against a plain model of a
 * receiver written here: an array of bytes with a flag each, filled per policy, read out while contiguous.
 */
class ReassemblyModelTest
{
    private static final int RUNS = 600;

    /** One segment as sent: where it starts in the stream and its bytes. */
    private record Piece(int start, byte[] bytes)
    {
    }

    @Test
    void shouldDeliverWhatTheModelReceiverDeliversUnderFirst()
    {
        check(OverlapPolicy.FIRST, 1);
    }

    @Test
    void shouldDeliverWhatTheModelReceiverDeliversUnderLast()
    {
        check(OverlapPolicy.LAST, 2);
    }

    private static void check(final OverlapPolicy policy, final long seed)
    {
        final Random random = new Random(seed);
        long conflictsSeen = 0;
        for (int run = 0; run < RUNS; run++)
        {
            final int length = 1 + random.nextInt(random.nextBoolean() ? 200 : 12_000);
            final byte[] truth = new byte[length];
            random.nextBytes(truth);
            final List<Piece> pieces = pieces(random, truth);
            // Near the wrap half the time.
            final long isn = random.nextBoolean() ? 0xFFFF_FFFFL - random.nextInt(3 * length + 2)
                : random.nextLong() & 0xFFFF_FFFFL;
            final int overlap = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(64);

            final byte[] reply = new byte[1 + random.nextInt(length)];
            random.nextBytes(reply);
            final List<Piece> replyPieces = pieces(random, reply);
            final byte[] expected = model(policy, length, pieces);
            final byte[] expectedReply = model(policy, reply.length, replyPieces);
            final Recorder sink = new Recorder(overlap);
            final StreamConfig config = StreamConfig.defaults().withMaxStreams(2).withInspectOverlap(overlap)
                .withOverlap(policy).withMemcaps(4 << 20, 8 << 20);
            try (TcpReassembler reassembler = new TcpReassembler(config))
            {
                final Segments tcp = new Segments(reassembler, sink);
                final int stream = reassembler.open();
                tcp.handshake(stream, isn, ~isn);
                // The two directions interleaved at random, each in its own order.
                int client = 0;
                int server = 0;
                while (client < pieces.size() || server < replyPieces.size())
                {
                    if (server == replyPieces.size() || client < pieces.size() && random.nextBoolean())
                    {
                        final Piece piece = pieces.get(client++);
                        tcp.send(stream, 0, Segments.ACK, isn + 1 + piece.start(), piece.bytes());
                    }
                    else
                    {
                        final Piece piece = replyPieces.get(server++);
                        tcp.send(stream, 1, Segments.ACK, ~isn + 1 + piece.start(), piece.bytes());
                    }
                }
                final String where = policy + " run " + run + " (" + pieces.size() + " segments, " + length + " bytes)";
                assertArrayEquals(expected, sink.bytes(stream, 0), where);
                assertArrayEquals(expectedReply, sink.bytes(stream, 1), where);
                assertEquals(0, reassembler.buffered(stream, 0), where);
                assertEquals(0, reassembler.blocksInUse(), where);
                assertEquals(length, reassembler.bytesDelivered(stream, 0), where);
                assertTrue(sink.gaps().isEmpty(), where);
                conflictsSeen += reassembler.counters().conflicts();
                reassembler.close(stream, sink);
            }
        }
        assertTrue(conflictsSeen > RUNS / 2, "conflicting overlaps exercised: " + conflictsSeen);
    }

    /**
     * A cover of the stream cut at random, plus random extra stretches, a fifth of all with other bytes than the
     * truth, shuffled.
     */
    private static List<Piece> pieces(final Random random, final byte[] truth)
    {
        final List<Piece> pieces = new ArrayList<>();
        int at = 0;
        while (at < truth.length)
        {
            final int end = Math.min(truth.length, at + 1 + random.nextInt(1 + random.nextInt(3000)));
            pieces.add(piece(random, truth, at, end));
            at = end;
        }
        final int extra = random.nextInt(1 + pieces.size());
        for (int e = 0; e < extra; e++)
        {
            final int start = random.nextInt(truth.length);
            pieces.add(piece(random, truth, start, Math.min(truth.length, start + 1 + random.nextInt(2000))));
        }
        Collections.shuffle(pieces, random);
        return pieces;
    }

    private static Piece piece(final Random random, final byte[] truth, final int start, final int end)
    {
        final byte[] bytes = Arrays.copyOfRange(truth, start, end);
        if (random.nextInt(5) == 0)
        {
            for (int b = 0; b < bytes.length; b++)
            {
                bytes[b] = (byte)(bytes[b] ^ (1 + random.nextInt(255)));
            }
        }
        return new Piece(start, bytes);
    }

    /** The model receiver: bytes past what it has read out are set if absent (FIRST) or always (LAST). */
    private static byte[] model(final OverlapPolicy policy, final int length, final List<Piece> pieces)
    {
        final byte[] value = new byte[length];
        final boolean[] has = new boolean[length];
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int next = 0;
        for (final Piece piece : pieces)
        {
            for (int b = 0; b < piece.bytes().length; b++)
            {
                final int at = piece.start() + b;
                if (at >= next && (!has[at] || OverlapPolicy.LAST == policy))
                {
                    value[at] = piece.bytes()[b];
                    has[at] = true;
                }
            }
            while (next < length && has[next])
            {
                out.write(value[next]);
                next++;
            }
        }
        return out.toByteArray();
    }

    @Test
    void shouldNeverDeliverAWrongByteNorAByteTwiceWhenMemoryRunsShort()
    {
        final Random random = new Random(3);
        for (int run = 0; run < RUNS; run++)
        {
            final int length = 1 + random.nextInt(30_000);
            final byte[] truth = new byte[length];
            random.nextBytes(truth);
            final List<Piece> pieces = new ArrayList<>();
            for (final Piece piece : pieces(random, truth))
            {
                pieces.add(new Piece(piece.start(), Arrays.copyOfRange(truth, piece.start(),
                    piece.start() + piece.bytes().length)));
            }
            final Recorder sink = new Recorder(16);
            final StreamConfig config = StreamConfig.defaults().withMaxStreams(2).withInspectOverlap(16)
                .withOnMemcap(MemcapPolicy.IGNORE).withOverlap(run % 2 == 0 ? OverlapPolicy.FIRST : OverlapPolicy.LAST)
                .withMemcaps(TcpReassembler.BLOCK_BYTES * (1 + random.nextInt(4)),
                    TcpReassembler.BLOCK_BYTES * (1 + random.nextInt(6)))
                .withGapAfterBytes(1 + random.nextInt(8000));
            try (TcpReassembler reassembler = new TcpReassembler(config))
            {
                final Segments tcp = new Segments(reassembler, sink);
                final int stream = reassembler.open();
                tcp.handshake(stream, 1000, 1);
                for (final Piece piece : pieces)
                {
                    tcp.send(stream, 0, Segments.ACK, 1001 + piece.start(), piece.bytes());
                }
                reassembler.close(stream, sink);
                final String where = "run " + run;
                // Offsets the recorder checked to run on; every byte delivered must be the truth at its offset.
                long delivered = 0;
                for (final Recorder.Event event : sink.events)
                {
                    if (!event.gap())
                    {
                        final int from = (int)event.offset() + event.newFrom();
                        assertArrayEquals(Arrays.copyOfRange(truth, from, (int)(event.offset() + event.length())),
                            Arrays.copyOfRange(event.chunk(), event.newFrom(), event.chunk().length), where);
                        delivered += event.length() - event.newFrom();
                    }
                }
                assertEquals(length, sink.position(stream, 0), where + ": delivered and gaps cover the stream");
                assertEquals(delivered, reassembler.bytesDelivered(stream, 0), where);
                assertEquals(0, reassembler.blocksInUse(), where);
            }
        }
    }
}
