package io.opensase.core.ips;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * In IDS mode, the in-order bytes of each stream direction that stream rules have not inspected yet, and when
 * they are due, as Suricata's raw stream inspection decides ({@code StreamReassembleRaw} and
 * {@code StreamTcpReassembleRawCheckLimit}): a direction is read only up to the other side's last
 * acknowledgement, on a packet going its way, once {@code chunk} acknowledged bytes wait (Suricata's
 * {@code stream.reassembly.toserver-chunk-size} and {@code toclient-chunk-size}, 2,560 by default), or sooner
 * when the application layer completed a message in that direction and the other side acknowledged it, or when
 * the session is closed (a RST, or both FINs acknowledged). What is left when the flow ends is inspected on the
 * flow-timeout pseudo packets. Indexed by direction ({@code stream * 2 + direction}, as {@code TcpReassembler}
 * numbers them).
 * <p>
 * A direction holds bytes in one buffer from a pool made at construction (nothing allocated per packet), only
 * while some of them wait: the bytes inspected last stay in front of the waiting ones, up to {@code overlap}, so
 * that a pattern across the boundary is found; once all are inspected the buffer goes back to the pool, since the
 * reassembler repeats the same bytes in front of the next chunk. Pieces are handed out for inspection through one
 * scratch buffer, with a view per length made at construction. Owned by one worker thread.
 */
final class StreamHold
{
    private static final int NONE = -1;

    private final int overlap;
    private final int chunk;
    private final int capacity;
    private final int pieceNew;
    private final MemorySegment pool;
    private final int[] freeBuffers;
    private int freeCount;

    /** Per direction: its buffer, or NONE. */
    private final int[] bufferOf;
    /** Per direction: stream offset the other side acknowledged up to; 0 until it acknowledged anything. */
    private final long[] acked;
    /** Per direction: the last acknowledgement number it sent (for the pseudo packet's header). */
    private final long[] ackSent;
    /**
     * Per direction: stream offset where the first application message not inspected yet ended, and where the
     * last one did; 0 for none.
     */
    private final long[] triggerAt;
    private final long[] triggerLast;
    /** Per direction: the stream offset that acknowledges its FIN; 0 before a FIN. */
    private final long[] finAt;
    /** Per stream: a RST closed it. */
    private final boolean[] closedByRst;

    /** Per buffer: stream offset of its first byte, bytes in it, and how many of them were inspected. */
    private final long[] base;
    private final int[] length;
    private final int[] inspected;

    private final MemorySegment scratch;
    private final MemorySegment[] views;
    private int lastPieceNew;
    private int lastContext;
    private long lastPieceNewAt;

    /**
     * @param streams     directions are numbered up to {@code 2 * streams}.
     * @param buffers     directions that can hold bytes at once.
     * @param capacity    bytes per buffer: at least {@code overlap} plus the longest chunk the reassembler delivers.
     * @param overlap     inspected bytes kept in front of waiting ones (the reassembler's inspect overlap).
     * @param pieceNew    most new bytes inspected in one piece.
     * @param chunk       acknowledged bytes that make a direction due without another reason.
     */
    StreamHold(final int streams, final int buffers, final int capacity, final int overlap, final int pieceNew,
        final int chunk)
    {
        this.overlap = overlap;
        this.chunk = chunk;
        this.capacity = capacity;
        this.pieceNew = pieceNew;
        this.pool = Arena.ofAuto().allocate((long)buffers * capacity, 64);
        this.freeBuffers = new int[buffers];
        for (int b = 0; b < buffers; b++)
        {
            freeBuffers[b] = buffers - 1 - b;
        }
        this.freeCount = buffers;
        this.bufferOf = new int[2 * streams];
        Arrays.fill(bufferOf, NONE);
        this.acked = new long[2 * streams];
        this.ackSent = new long[2 * streams];
        this.triggerAt = new long[2 * streams];
        this.triggerLast = new long[2 * streams];
        this.finAt = new long[2 * streams];
        this.closedByRst = new boolean[streams];
        this.base = new long[buffers];
        this.length = new int[buffers];
        this.inspected = new int[buffers];
        this.scratch = Arena.ofAuto().allocate(overlap + pieceNew, 64);
        this.views = new MemorySegment[overlap + pieceNew + 1];
        for (int l = 1; l < views.length; l++)
        {
            views[l] = scratch.asSlice(0, l);
        }
    }

    /** A stream opened or closed: both directions hold nothing and have no acknowledgement. */
    void reset(final int stream)
    {
        for (int half = 2 * stream; half < 2 * stream + 2; half++)
        {
            release(half);
            acked[half] = 0;
            ackSent[half] = 0;
            triggerAt[half] = 0;
            triggerLast[half] = 0;
            finAt[half] = 0;
        }
        closedByRst[stream] = false;
    }

    /** The application layer completed a message in the direction, ending before stream offset {@code end}. */
    void messageEnded(final int half, final long end)
    {
        if (0 == triggerAt[half])
        {
            triggerAt[half] = end;
        }
        triggerLast[half] = Math.max(triggerLast[half], end);
    }

    /** The direction sent its FIN, acknowledged by stream offset {@code ackedBy}. */
    void fin(final int half, final long ackedBy)
    {
        finAt[half] = ackedBy;
    }

    /** A RST closed the stream. */
    void rst(final int stream)
    {
        closedByRst[stream] = true;
    }

    /** True when a RST closed the stream. */
    boolean closedByRst(final int stream)
    {
        return closedByRst[stream];
    }

    /** True when a RST closed the stream, or both directions' FINs are acknowledged. */
    boolean closed(final int stream)
    {
        final int client = 2 * stream;
        return closedByRst[stream] || 0 != finAt[client] && 0 != finAt[client + 1] && acked[client] >= finAt[client]
            && acked[client + 1] >= finAt[client + 1];
    }

    /**
     * Stream offset up to which the direction's bytes are due for inspection on a packet going its way now (at
     * or below what was inspected: none are).
     */
    long due(final int half)
    {
        final int b = bufferOf[half];
        if (NONE == b)
        {
            return 0;
        }
        final long from = base[b] + inspected[b];
        final long to = acked[half];
        if (to <= from)
        {
            return from;
        }
        // A message end at or before what was inspected is of bytes inspected already.
        final boolean triggered = triggerAt[half] > from && to >= triggerAt[half];
        return to - from >= chunk || triggered || closed(half >> 1) ? to : from;
    }

    /**
     * Holds a chunk's new bytes, {@code chunk[newFrom..]}, whose first byte is at stream offset
     * {@code chunkOffset + newFrom}. False when there is no room: no buffer free, or the direction's buffer full
     * (the caller inspects now what it could not hold).
     */
    boolean hold(final int half, final MemorySegment chunk, final int newFrom, final long chunkOffset)
    {
        final int size = (int)chunk.byteSize();
        final int fresh = size - newFrom;
        int b = bufferOf[half];
        if (NONE == b)
        {
            if (0 == freeCount || size > capacity)
            {
                return false;
            }
            b = freeBuffers[--freeCount];
            bufferOf[half] = b;
            MemorySegment.copy(chunk, 0, pool, (long)b * capacity, size);
            base[b] = chunkOffset;
            length[b] = size;
            inspected[b] = newFrom;
            return true;
        }
        if (base[b] + length[b] != chunkOffset + newFrom)
        {
            return false;
        }
        if (length[b] + fresh > capacity)
        {
            compact(b);
            if (length[b] + fresh > capacity)
            {
                return false;
            }
        }
        MemorySegment.copy(chunk, newFrom, pool, (long)b * capacity + length[b], fresh);
        length[b] += fresh;
        return true;
    }

    /** The other side acknowledged the direction's bytes before stream offset {@code offset}. */
    void acknowledged(final int half, final long offset)
    {
        acked[half] = Math.max(acked[half], offset);
    }

    void ackSent(final int half, final long ack)
    {
        ackSent[half] = ack;
    }

    long ackSent(final int half)
    {
        return ackSent[half];
    }

    /** True when the direction holds bytes not inspected yet. */
    boolean waiting(final int half)
    {
        return NONE != bufferOf[half];
    }

    /**
     * Copies the next piece to inspect into the scratch buffer: waiting bytes before stream offset {@code upTo}
     * (at most {@code pieceNew}), after up to {@code overlap} bytes inspected before them. Returns a view of it,
     * or null when no waiting byte lies before {@code upTo}; {@link #pieceContext} bytes of it were inspected.
     * {@link #inspected(int)} marks the piece done.
     */
    MemorySegment piece(final int half, final long upTo)
    {
        final int b = bufferOf[half];
        if (NONE == b)
        {
            return null;
        }
        final long due = Math.min(upTo, base[b] + length[b]) - (base[b] + inspected[b]);
        if (due <= 0)
        {
            return null;
        }
        lastContext = Math.min(overlap, inspected[b]);
        lastPieceNew = (int)Math.min(due, pieceNew);
        lastPieceNewAt = base[b] + inspected[b];
        MemorySegment.copy(pool, (long)b * capacity + inspected[b] - lastContext, scratch, 0,
            lastContext + lastPieceNew);
        return views[lastContext + lastPieceNew];
    }

    /** Bytes in front of the new ones in the last {@link #piece}. */
    int pieceContext()
    {
        return lastContext;
    }

    /** Stream offset of the first new byte of the last {@link #piece}. */
    long pieceNewAt()
    {
        return lastPieceNewAt;
    }

    /** The last {@link #piece} was inspected; a direction with nothing left waiting gives its buffer back. */
    void inspected(final int half)
    {
        final int b = bufferOf[half];
        inspected[b] += lastPieceNew;
        lastPieceNew = 0;
        final long to = base[b] + inspected[b];
        if (0 != triggerAt[half] && to >= triggerAt[half])
        {
            triggerAt[half] = triggerLast[half] > to ? triggerLast[half] : 0;
        }
        if (inspected[b] == length[b])
        {
            release(half);
        }
    }

    private void release(final int half)
    {
        final int b = bufferOf[half];
        if (NONE != b)
        {
            freeBuffers[freeCount++] = b;
            bufferOf[half] = NONE;
        }
    }

    /** Drops inspected bytes but the last {@code overlap}, moving the rest to the buffer's start. */
    private void compact(final int b)
    {
        final int drop = inspected[b] - Math.min(overlap, inspected[b]);
        if (0 == drop)
        {
            return;
        }
        final long at = (long)b * capacity;
        MemorySegment.copy(pool, at + drop, pool, at, length[b] - drop);
        base[b] += drop;
        length[b] -= drop;
        inspected[b] -= drop;
    }
}
