package io.opensase.core.ips;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bytes held per direction until acknowledged, handed out in pieces with the bytes inspected before them. */
class StreamHoldTest
{
    private static final int OVERLAP = 4;

    private final Arena arena = Arena.ofAuto();

    @Test
    void shouldHandOutOnlyAcknowledgedBytesAfterTheLastOnesInspected()
    {
        final StreamHold hold = new StreamHold(2, 2, 32, OVERLAP, 6, 1);
        final int half = 2 * 1 + 0;
        assertTrue(hold.hold(half, text("abcdefgh"), 0, 0));
        assertNull(hold.piece(half, hold.due(half)), "nothing acknowledged yet");

        hold.acknowledged(half, 5);
        assertEquals("abcde", piece(hold, half, hold.due(half)));
        assertEquals(0, hold.pieceContext());
        hold.inspected(half);
        assertNull(hold.piece(half, hold.due(half)));

        // The next chunk from the reassembler repeats "efgh" in front of its new bytes "ij".
        assertTrue(hold.hold(half, text("efghij"), 4, 4));
        hold.acknowledged(half, 3);
        assertEquals(5, hold.due(half), "an older acknowledgement moves nothing back");
        hold.acknowledged(half, 10);
        assertEquals("bcdefghij", piece(hold, half, hold.due(half)));
        assertEquals(OVERLAP, hold.pieceContext());
        hold.inspected(half);
        assertFalse(hold.waiting(half), "all inspected: the buffer goes back to the pool");
    }

    /** Acknowledged bytes are due at 10 of them (the chunk here), at a message's end, or once closed. */
    @Test
    void shouldBeDueAtAChunkAMessageEndOrAClose()
    {
        final StreamHold hold = new StreamHold(1, 2, 64, OVERLAP, 64, 10);
        assertTrue(hold.hold(0, text("0123456789abcdef"), 0, 0));
        hold.acknowledged(0, 9);
        assertEquals(0, hold.due(0), "9 acknowledged, fewer than a chunk");
        hold.acknowledged(0, 10);
        assertEquals(10, hold.due(0));
        assertEquals("0123456789", piece(hold, 0, hold.due(0)));
        hold.inspected(0);

        hold.messageEnded(0, 14);
        hold.acknowledged(0, 13);
        assertEquals(10, hold.due(0), "the message's last bytes are not acknowledged");
        hold.acknowledged(0, 14);
        assertEquals(14, hold.due(0));
        assertEquals("6789abcd", piece(hold, 0, hold.due(0)));
        hold.inspected(0);
        hold.acknowledged(0, 15);
        assertEquals(14, hold.due(0), "the message was inspected: one byte more is not due");

        // The client's FIN acknowledged at offset 17, the server's at 1: closed once both are.
        hold.fin(0, 17);
        hold.fin(1, 1);
        hold.acknowledged(0, 17);
        assertFalse(hold.closed(0));
        assertEquals(14, hold.due(0));
        hold.acknowledged(1, 1);
        assertTrue(hold.closed(0));
        assertEquals(17, hold.due(0));

        hold.reset(0);
        assertFalse(hold.closed(0));
        hold.rst(0);
        assertTrue(hold.closed(0));
    }

    @Test
    void shouldSplitLongRunsIntoPiecesAndRefuseWhatDoesNotFit()
    {
        final StreamHold hold = new StreamHold(1, 1, 16, OVERLAP, 6, 1);
        assertTrue(hold.hold(0, text("0123456789"), 0, 0));
        assertFalse(hold.hold(1, text("x"), 0, 0), "the one buffer is taken");
        assertFalse(hold.hold(0, text("ABCDEFGHIJ"), 0, 10), "16 bytes of room, 20 waiting");

        assertEquals("012345", piece(hold, 0, Long.MAX_VALUE));
        hold.inspected(0);
        assertEquals("2345" + "6789", piece(hold, 0, Long.MAX_VALUE));
        assertEquals(OVERLAP, hold.pieceContext());
        hold.inspected(0);
        assertNull(hold.piece(0, Long.MAX_VALUE));
        assertTrue(hold.hold(1, text("x"), 0, 0), "the buffer was given back");
    }

    @Test
    void shouldMakeRoomByDroppingInspectedBytesButTheOverlap()
    {
        final StreamHold hold = new StreamHold(1, 1, 16, OVERLAP, 16, 1);
        assertTrue(hold.hold(0, text("0123456789ab"), 0, 0));
        hold.acknowledged(0, 10);
        assertEquals("0123456789", piece(hold, 0, hold.due(0)));
        hold.inspected(0);
        // 12 held, 8 more: only by dropping "012345" (keeping "6789" in front) do they fit.
        assertTrue(hold.hold(0, text("cdefghij"), 0, 12));
        assertEquals("6789abcdefghij", piece(hold, 0, Long.MAX_VALUE));
        assertEquals(OVERLAP, hold.pieceContext());
    }

    @Test
    void shouldNotAllocateOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final StreamHold hold = new StreamHold(64, 16, 32 * 1024, 2048, 16_384, 2_560);
        final MemorySegment chunk = arena.allocate(3_000);
        chunk.fill((byte)'z');
        long bytes = run(hold, chunk, 2_000);
        final long[] allocated = new long[5];
        for (int round = 0; round < allocated.length; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            bytes += run(hold, chunk, 1_000);
            allocated[round] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertTrue(bytes > 0);
        assertEquals(0, Arrays.stream(allocated).min().orElseThrow(), Arrays.toString(allocated));
    }

    /** Connections of 8 chunks each: held, acknowledged half way, inspected, the rest inspected at the end. */
    private static long run(final StreamHold hold, final MemorySegment chunk, final int connections)
    {
        long inspected = 0;
        for (int c = 0; c < connections; c++)
        {
            final int stream = c % 64;
            hold.reset(stream);
            final int half = 2 * stream + (c & 1);
            long offset = 0;
            for (int k = 0; k < 8; k++)
            {
                // After the first, each chunk repeats the last 2,048 bytes delivered in front of 952 new ones.
                final int newFrom = 0 == k ? 0 : 2048;
                if (!hold.hold(half, chunk, newFrom, offset - newFrom))
                {
                    inspected += drain(hold, half, Long.MAX_VALUE);
                }
                offset += chunk.byteSize() - newFrom;
                hold.acknowledged(half, offset / 2);
                inspected += drain(hold, half, hold.due(half));
            }
            inspected += drain(hold, half, Long.MAX_VALUE);
        }
        return inspected;
    }

    private static long drain(final StreamHold hold, final int half, final long upTo)
    {
        long bytes = 0;
        MemorySegment piece;
        while (null != (piece = hold.piece(half, upTo)))
        {
            bytes += piece.byteSize();
            hold.inspected(half);
        }
        return bytes;
    }

    private static String piece(final StreamHold hold, final int half, final long upTo)
    {
        final MemorySegment piece = hold.piece(half, upTo);
        return null == piece ? null : new String(piece.toArray(ValueLayout.JAVA_BYTE),
            StandardCharsets.US_ASCII);
    }

    private MemorySegment text(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final MemorySegment segment = arena.allocate(bytes.length);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }
}
