package io.opensase.classifiers.stream;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * TCP stream reassembly per flow and direction: one per worker, owned by that worker's thread.
 * <p>
 * <b>Use.</b> The worker {@link #open}s a stream when its flow table creates a TCP flow, passes every TCP
 * segment of the flow to {@link #segment} with the direction it travels in (0 from the initiator), and
 * {@link #close}s the stream when the flow ends. In-order bytes go to the {@link StreamSink} during the call
 * that made them deliverable, in chunks that repeat the last {@link StreamConfig#inspectOverlap()} delivered
 * bytes in front of the new ones, so that a pattern split across segments lies wholly inside one chunk. The
 * caller passes the segments its connection tracking believed (see
 * {@link io.opensase.classifiers.conntrack.TcpTracker}): this class checks no window beyond refusing a segment
 * that starts more than {@link #MAX_AHEAD} bytes past the next byte expected. Bytes are delivered when they are
 * in order, not when the receiver acknowledges them; a caller that waits for the acknowledgement turns it into
 * an offset with {@link #offsetOf}.
 * <p>
 * <b>RST.</b> A RST ends the stream only when its receiver would take it, as Suricata decides with its default
 * (BSD-like) OS policy: its sequence number is the next one expected from its sender (the next byte to
 * deliver; the last byte the receiver acknowledged when that lies further, as after a segment missing from the
 * capture; the one past the sender's FIN when every byte before that FIN came in order; none while its SYN
 * data waits to be settled, since the receiver's next sequence number depends on it). A RST from a side that
 * has not started answers the other side's SYN: it counts when it carries an ACK that acknowledges that SYN
 * and no more than was sent, as a host in SYN-SENT checks it (so a {@code RST,ACK} with sequence number 0
 * refusing a connection ends it). Any other RST is
 * counted ({@link StreamCounters#invalidResets()}), returns {@link SegmentResult#IGNORED}, and changes
 * nothing: an attacker cannot end inspection with a RST the host drops.
 * <p>
 * <b>SYN data.</b> A SYN's payload waits, held, until the other side's acknowledgement settles it: the bytes
 * it covers are delivered (TCP Fast Open), the rest dropped, since a host without a Fast Open cookie drops SYN
 * data and the sender sends those sequence numbers again after the handshake. Data of the sender meanwhile is
 * not taken ({@link SegmentResult#IGNORED}): only the receiver's acknowledgement tells where it belongs. The
 * stream's end (or a RST from the other side) delivers SYN data still waiting, since no later bytes can
 * conflict with it then; so a
 * capture without the other side keeps the SYN data and loses what the sender sent after it. SYN data dropped,
 * and segments not taken meanwhile, are counted ({@link StreamCounters#synDataIgnored()}).
 * <p>
 * <b>ACK.</b> Data or a FIN without the ACK flag (anything but a SYN) is not taken: a host drops it
 * ({@link StreamCounters#withoutAck()}).
 * <b>Sequence space.</b> Each direction numbers its bytes from 0 at the first payload byte: the byte after
 * the SYN's sequence number, or with {@link StreamConfig#midstream()} the first byte of the first data
 * segment when no SYN was seen (counted as a pickup; without midstream such data is counted and not
 * delivered). A segment's place is the signed 32-bit distance of its sequence number from that of the next
 * byte expected, so sequence numbers wrap at 2^32 freely; offsets are 64-bit.
 * <p>
 * <b>Holding.</b> A segment that starts at the next byte expected, with nothing held that it could overlap,
 * is delivered straight from the packet. Anything else is stored in blocks of {@value #BLOCK_BYTES} bytes
 * taken from one pool allocated off-heap at construction (a free list, nothing allocated per segment), each
 * block standing for an aligned stretch of the stream's offsets, with a presence bit per byte; a direction's
 * blocks sit on a list sorted by offset. Where a segment overlaps bytes held, the bytes are compared and the
 * {@link OverlapPolicy} decides; bytes already delivered are compared with the overlap window and never
 * delivered again. Then whatever is contiguous from the next byte expected is delivered.
 * <p>
 * <b>Gaps.</b> A hole is given up, reported to {@link StreamSink#onGap} and the bytes after it delivered, when
 * the direction holds more than {@link StreamConfig#gapAfterBytes()} out of order, at a RST, at {@link #close},
 * and under {@link MemcapPolicy#IGNORE} when a memory cap is hit. A FIN changes nothing: what is in order has
 * been delivered already, and retransmissions still fill holes before the FIN after both sides have sent
 * theirs (a capture of a real transfer, {@code zeek-tcp-reassembly.pcap}, has them). The bytes kept in front of
 * a chunk never reach back across a gap.
 * <p>
 * <b>Memory.</b> The pool holds {@link StreamConfig#blocks()} blocks; a stream may hold
 * {@link StreamConfig#blocksPerStream()}. A segment that needs blocks past either cap is handled by the
 * {@link MemcapPolicy}. The overlap windows take {@code 2 * inspectOverlap} bytes per stream off-heap, and
 * chunks are built in one buffer of {@code inspectOverlap + }{@value #CHUNK_NEW_BYTES} bytes; the sink gets a
 * view of its first bytes, from one view object per length made at construction (about 40 bytes of heap
 * each, 0.7 MB with the default overlap), so that no segment allocates one.
 */
public final class TcpReassembler implements AutoCloseable
{
    public static final int BLOCK_BYTES = 2048;
    /**
     * Room for new bytes in a chunk after the repeated ones: a chunk holds at most {@code inspectOverlap} plus
     * this many bytes, and a longer run of in-order bytes is delivered in several chunks.
     */
    public static final int CHUNK_NEW_BYTES = 16_384;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    /**
     * Farthest a segment may start past the next byte expected: the largest window TCP can offer (RFC 7323, a
     * 65,535-byte window scaled by 2^14). A segment past it would make a gap skip everything before it.
     */
    public static final long MAX_AHEAD = 65_535L << 14;

    private static final int BLOCK_SHIFT = 11;
    private static final int BLOCK_MASK = BLOCK_BYTES - 1;
    private static final int WORDS_PER_BLOCK = BLOCK_BYTES / Long.SIZE;
    private static final int NONE = -1;

    private static final byte FREE = 0;
    private static final byte OPEN = 1;
    private static final byte BYPASSED = 2;
    private static final byte DROPPED = 3;
    private static final byte RESET = 4;

    private final int maxStreams;
    private final long blocksPerStream;
    private final int inspectOverlap;
    private final boolean lastWins;
    private final MemcapPolicy onMemcap;
    private final boolean midstream;
    private final long gapAfterBytes;
    private final StreamCounters counters = new StreamCounters();

    // Streams.
    private final byte[] status;
    private final int[] blocksHeld;
    private final int[] freeStreams;
    private int freeStreamCount;

    // Directions, indexed stream * 2 + direction.
    private final boolean[] started;
    /** Sequence number of the byte at offset {@link #delivered}. */
    private final int[] nextSeq;
    /** Offset of the next byte to deliver: bytes delivered and gaps given up. */
    private final long[] delivered;
    private final long[] dataBytes;
    private final long[] buffered;
    /** First held block, the lowest offsets; every held block has a byte present, none below delivered. */
    private final int[] head;
    private final int[] windowLength;
    /** SYN payload bytes held at the direction's first offsets until settled (see the class comment). */
    private final int[] synHeld;
    /** A FIN came with every byte before it in order, and the sequence number just past it. */
    private final boolean[] finSent;
    private final int[] finNext;
    /** Offset just past the farthest byte seen from the direction, and the last one the other side acknowledged. */
    private final long[] sentTo;
    private final long[] ackedTo;

    // Block pool.
    private final Arena arena;
    private final MemorySegment pool;
    private final long[] present;
    private final long[] blockBase;
    private final int[] blockNext;
    private final int[] freeBlocks;
    private int freeBlockCount;

    // Overlap windows (the last bytes delivered, per direction) and the chunk buffer.
    private final MemorySegment windows;
    private final MemorySegment chunk;
    private final int chunkCapacity;
    private final MemorySegment[] views;

    // The delivery in progress: chunk[0, newFrom) already delivered, chunk[newFrom, fill) new.
    private StreamSink sink;
    private int deliveryStream;
    private int deliveryDirection;
    private int deliveryHalf;
    private int fill;
    private int newFrom;
    private long chunkOffset;

    // Set while a segment is placed: it overlapped held or delivered bytes, with other bytes.
    private boolean overlapped;
    private boolean conflict;

    public TcpReassembler(final StreamConfig config)
    {
        maxStreams = config.maxStreams();
        blocksPerStream = config.blocksPerStream();
        inspectOverlap = config.inspectOverlap();
        lastWins = OverlapPolicy.LAST == config.overlap();
        onMemcap = config.onMemcap();
        midstream = config.midstream();
        gapAfterBytes = config.gapAfterBytes();

        status = new byte[maxStreams];
        blocksHeld = new int[maxStreams];
        freeStreams = new int[maxStreams];
        for (int s = 0; s < maxStreams; s++)
        {
            freeStreams[s] = maxStreams - 1 - s;
        }
        freeStreamCount = maxStreams;
        started = new boolean[2 * maxStreams];
        nextSeq = new int[2 * maxStreams];
        delivered = new long[2 * maxStreams];
        dataBytes = new long[2 * maxStreams];
        buffered = new long[2 * maxStreams];
        head = new int[2 * maxStreams];
        windowLength = new int[2 * maxStreams];
        synHeld = new int[2 * maxStreams];
        finSent = new boolean[2 * maxStreams];
        finNext = new int[2 * maxStreams];
        sentTo = new long[2 * maxStreams];
        ackedTo = new long[2 * maxStreams];

        final int blocks = config.blocks();
        present = new long[blocks * WORDS_PER_BLOCK];
        blockBase = new long[blocks];
        blockNext = new int[blocks];
        freeBlocks = new int[blocks];
        for (int b = 0; b < blocks; b++)
        {
            freeBlocks[b] = blocks - 1 - b;
        }
        freeBlockCount = blocks;

        chunkCapacity = inspectOverlap + CHUNK_NEW_BYTES;
        views = new MemorySegment[chunkCapacity + 1];
        arena = Arena.ofShared();
        pool = arena.allocate((long)blocks * BLOCK_BYTES, 64);
        windows = arena.allocate(Math.max(1L, 2L * maxStreams * inspectOverlap), 64);
        chunk = arena.allocate(chunkCapacity, 64);
        for (int length = 1; length <= chunkCapacity; length++)
        {
            views[length] = chunk.asSlice(0, length);
        }
    }

    /** A new stream, both directions empty; -1 when {@link StreamConfig#maxStreams()} are open (counted). */
    public int open()
    {
        if (0 == freeStreamCount)
        {
            counters.streamsRefused++;
            return NONE;
        }
        final int stream = freeStreams[--freeStreamCount];
        status[stream] = OPEN;
        blocksHeld[stream] = 0;
        for (int half = 2 * stream; half < 2 * stream + 2; half++)
        {
            started[half] = false;
            nextSeq[half] = 0;
            delivered[half] = 0;
            dataBytes[half] = 0;
            buffered[half] = 0;
            head[half] = NONE;
            windowLength[half] = 0;
            synHeld[half] = 0;
            finSent[half] = false;
            finNext[half] = 0;
            sentTo[half] = 0;
            ackedTo[half] = NONE;
        }
        return stream;
    }

    /**
     * Ends a stream: bytes held past a hole are delivered after {@link StreamSink#onGap} (unless the stream is
     * bypassed, dropped or reset), then its memory and number are free for {@link #open}.
     */
    public void close(final int stream, final StreamSink sink)
    {
        if (stream < 0 || stream >= maxStreams || FREE == status[stream])
        {
            counters.invalid++;
            return;
        }
        if (OPEN == status[stream])
        {
            deliverAll(stream, sink);
        }
        releaseBlocks(stream);
        status[stream] = FREE;
        freeStreams[freeStreamCount++] = stream;
    }

    /**
     * Takes one TCP segment of an open stream.
     *
     * @param direction     0 = client to server (the initiator), 1 = server to client.
     * @param flags         TCP flag bits ({@link #FIN}, {@link #SYN}, {@link #RST}, {@link #ACK}).
     * @param seq           sequence number, the low 32 bits used.
     * @param ack           acknowledgement number: it settles the other side's SYN data, and a RST from a side
     *                      that has not started must acknowledge the other side's SYN.
     * @param payload       segment the payload is read through ({@code PacketMemory.ALL} on the packet path).
     * @param payloadOffset offset of the first payload byte in {@code payload}.
     * @return a {@link SegmentResult} code.
     */
    public int segment(
        final int stream,
        final int direction,
        final int flags,
        final long seq,
        final long ack,
        final MemorySegment payload,
        final long payloadOffset,
        final int payloadLength,
        final StreamSink sink)
    {
        counters.segments++;
        if (stream < 0 || stream >= maxStreams || (direction & ~1) != 0 || payloadLength < 0)
        {
            counters.invalid++;
            return SegmentResult.INVALID;
        }
        switch (status[stream])
        {
            case FREE ->
            {
                counters.invalid++;
                return SegmentResult.INVALID;
            }
            case BYPASSED ->
            {
                return SegmentResult.BYPASSED;
            }
            case DROPPED ->
            {
                return SegmentResult.DROP_FLOW;
            }
            case RESET ->
            {
                counters.afterClose++;
                return SegmentResult.CLOSED;
            }
            default ->
            {
            }
        }
        final int half = 2 * stream + direction;
        if ((flags & RST) != 0)
        {
            return reset(stream, half, flags, (int)seq, (int)ack, sink);
        }
        if ((flags & (SYN | ACK)) == 0 && (payloadLength > 0 || (flags & FIN) != 0))
        {
            // Only a SYN goes without ACK: a host drops data or a FIN without it, so neither is taken.
            counters.withoutAck++;
            return SegmentResult.IGNORED;
        }
        int dataSeq = (int)seq;
        if ((flags & SYN) != 0)
        {
            dataSeq++;
            if (!started[half])
            {
                started[half] = true;
                nextSeq[half] = dataSeq;
            }
        }
        if ((flags & ACK) != 0)
        {
            noteAck(half ^ 1, (int)ack);
            if (synHeld[half ^ 1] > 0)
            {
                settleSynData(stream, direction ^ 1, (int)ack, sink);
            }
        }
        if (0 == payloadLength)
        {
            noteFin(half, flags, dataSeq, 0);
            return SegmentResult.NO_PAYLOAD;
        }
        if ((flags & SYN) != 0)
        {
            return holdSynData(stream, half, dataSeq, payload, payloadOffset, payloadLength);
        }
        if (synHeld[half] > 0)
        {
            // Where the sender's bytes go depends on whether the receiver took its SYN data, which only the
            // receiver's acknowledgement tells: a segment of the sender can be crafted to suggest either.
            counters.synDataIgnored++;
            return SegmentResult.IGNORED;
        }
        if (!started[half])
        {
            if (!midstream)
            {
                counters.notStarted++;
                return SegmentResult.NOT_STARTED;
            }
            started[half] = true;
            nextSeq[half] = dataSeq;
            counters.midstreamPickups++;
        }
        overlapped = false;
        conflict = false;
        final int result = data(stream, direction, half, dataSeq, payload, payloadOffset, payloadLength, sink);
        if (conflict)
        {
            counters.conflicts++;
        }
        noteFin(half, flags, dataSeq, payloadLength);
        return result;
    }

    /** Bytes delivered to the sink in {@code direction}, gaps not counted. */
    public long bytesDelivered(final int stream, final int direction)
    {
        return dataBytes[2 * stream + direction];
    }

    /** Offset of the next byte expected in {@code direction}: bytes delivered plus bytes given up in gaps. */
    public long position(final int stream, final int direction)
    {
        return delivered[2 * stream + direction];
    }

    /**
     * The stream offset that sequence number {@code seq} stands for in {@code direction}: an acknowledgement
     * number from the other side turned into the offset of the first byte not acknowledged. -1 while the
     * direction has not started (no SYN, and no data picked up midstream). The distance from the next byte
     * expected is taken as a signed 32-bit number, as for segments.
     */
    public long offsetOf(final int stream, final int direction, final long seq)
    {
        final int half = 2 * stream + direction;
        return started[half] ? delivered[half] + ((int)seq - nextSeq[half]) : -1;
    }

    /** Sequence number of the next byte expected in {@code direction} (low 32 bits; 0 before it started). */
    public long nextSequence(final int stream, final int direction)
    {
        return nextSeq[2 * stream + direction] & 0xFFFF_FFFFL;
    }

    /** Out-of-order bytes held for {@code direction}. */
    public long buffered(final int stream, final int direction)
    {
        return buffered[2 * stream + direction];
    }

    /** True after {@link MemcapPolicy#BYPASS} was applied to the stream, until it is closed. */
    public boolean bypassed(final int stream)
    {
        return BYPASSED == status[stream];
    }

    /** True after {@link MemcapPolicy#DROP_FLOW} was applied to the stream, until it is closed. */
    public boolean dropped(final int stream)
    {
        return DROPPED == status[stream];
    }

    public StreamCounters counters()
    {
        return counters;
    }

    /** Pool blocks holding out-of-order bytes now. */
    public int blocksInUse()
    {
        return blockBase.length - freeBlockCount;
    }

    public int streamsOpen()
    {
        return maxStreams - freeStreamCount;
    }

    @Override
    public void close()
    {
        arena.close();
    }

    // ---------------------------------------------------------------------------------------------------
    // RST and SYN data

    /**
     * A RST closes the stream when its receiver would accept it (see {@link #resetAccepted}): SYN data still
     * waiting is delivered, then what is held past holes after gaps. Any other RST changes nothing.
     */
    private int reset(final int stream, final int half, final int flags, final int seq, final int ack,
        final StreamSink sink)
    {
        if (!resetAccepted(half, flags, seq, ack))
        {
            counters.invalidResets++;
            return SegmentResult.IGNORED;
        }
        counters.resets++;
        deliverAll(stream, sink);
        releaseBlocks(stream);
        status[stream] = RESET;
        return SegmentResult.CLOSED;
    }

    /** The stream ends: SYN data still waiting is delivered, then what is held past holes, after gaps. */
    private void deliverAll(final int stream, final StreamSink sink)
    {
        deliverSynData(stream, 0, sink);
        deliverSynData(stream, 1, sink);
        flush(stream, 0, sink);
        flush(stream, 1, sink);
    }

    /**
     * Suricata's check for its default (BSD-like) OS policy: the sequence number is the next one expected from
     * the sender: the next byte to deliver, or the last byte the receiver acknowledged when that is further
     * (a segment missing from the capture), or the one past the sender's FIN when that FIN came in order; none
     * while its SYN data waits to be settled. From a side that has not started, a RST answers the other side's
     * SYN: the receiver, in SYN-SENT, takes it when it acknowledges that SYN and no more than was sent
     * (RFC 793); with neither side started there is no connection to reset.
     */
    private boolean resetAccepted(final int half, final int flags, final int seq, final int ack)
    {
        if (synHeld[half] > 0)
        {
            // Which sequence number the receiver expects depends on whether it took the SYN data: ignoring a
            // RST it took hides nothing, taking one it dropped would hide what follows.
            return false;
        }
        if (started[half])
        {
            final int ahead = seq - nextSeq[half];
            // The receiver's acknowledgement counts only past the next byte expected (a segment missing from the
            // capture); behind it, the sender has sent more since and the receiver takes only the newest.
            final boolean atAcked = ackedTo[half] > delivered[half] && delivered[half] + ahead == ackedTo[half];
            return 0 == ahead || atAcked || finSent[half] && seq == finNext[half];
        }
        final int other = half ^ 1;
        if ((flags & ACK) == 0 || !started[other])
        {
            return false;
        }
        final long acked = ack - nextSeq[other];
        return acked >= -delivered[other] && acked <= synHeld[other];
    }

    /**
     * The other side acknowledged {@code ack} of the direction's bytes: kept when it moves forward and covers no
     * more than the direction was seen to send (with its FIN), so that a RST may match it.
     */
    private void noteAck(final int half, final int ack)
    {
        if (!started[half])
        {
            return;
        }
        final long at = delivered[half] + (ack - nextSeq[half]);
        if (at > ackedTo[half] && at >= 0 && at <= sentTo[half] + (finSent[half] ? 1 : 0))
        {
            ackedTo[half] = at;
        }
    }

    /**
     * A SYN's payload waits at the direction's first offsets until it is settled (see the class comment): a
     * receiver without a TCP Fast Open cookie drops it, and the sender sends the same sequence numbers again
     * after the handshake. A SYN with data where the direction has bytes already is ignored.
     */
    private int holdSynData(final int stream, final int half, final int dataSeq, final MemorySegment payload,
        final long payloadOffset, final int length)
    {
        final boolean atStart = 0 == delivered[half] && dataSeq == nextSeq[half]
            && (synHeld[half] > 0 || NONE == head[half]);
        final long missing = atStart ? blocksMissing(half, 0, length) : 0;
        if (!atStart || blocksHeld[stream] + missing > blocksPerStream || missing > freeBlockCount)
        {
            counters.synDataIgnored++;
            return SegmentResult.IGNORED;
        }
        overlapped = false;
        conflict = false;
        insert(stream, half, 0, length, payload, payloadOffset);
        if (conflict)
        {
            counters.conflicts++;
        }
        synHeld[half] = Math.max(synHeld[half], length);
        sentTo[half] = Math.max(sentTo[half], length);
        counters.outOfOrder++;
        return SegmentResult.BUFFERED;
    }

    /**
     * The other side acknowledged {@code ack}: the SYN data of {@code direction} it covers is delivered, the
     * rest dropped. An acknowledgement before the SYN's or past its data settles nothing.
     */
    private void settleSynData(final int stream, final int direction, final int ack, final StreamSink sink)
    {
        final int half = 2 * stream + direction;
        final int acked = ack - nextSeq[half];
        if (acked < 0 || acked > synHeld[half])
        {
            return;
        }
        if (acked < synHeld[half])
        {
            discardHeld(half, acked, synHeld[half]);
            counters.synDataIgnored++;
        }
        synHeld[half] = 0;
        if (acked > 0)
        {
            begin(stream, direction, half, sink);
            drain(half);
            finish();
        }
    }

    /**
     * At a RST or the stream's end: SYN data still waiting is delivered, as taken, since no later bytes can come
     * to conflict with it (if the receiver dropped it, this inspects bytes it never took, which hides nothing).
     */
    private void deliverSynData(final int stream, final int direction, final StreamSink sink)
    {
        final int half = 2 * stream + direction;
        if (synHeld[half] > 0)
        {
            settleSynData(stream, direction, nextSeq[half] + synHeld[half], sink);
        }
    }

    /**
     * A FIN whose bytes before it are all in order: the receiver expects the sequence number just past it next,
     * where a RST is then taken. A FIN past a hole, or out of window, moves nothing.
     */
    private void noteFin(final int half, final int flags, final int dataSeq, final int payloadLength)
    {
        if ((flags & FIN) != 0 && started[half] && dataSeq + payloadLength == nextSeq[half])
        {
            finSent[half] = true;
            finNext[half] = nextSeq[half] + 1;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Placing a segment's bytes

    private int data(
        final int stream,
        final int direction,
        final int half,
        final int dataSeq,
        final MemorySegment payload,
        final long payloadOffset,
        final int length,
        final StreamSink sink)
    {
        final long next = delivered[half];
        long start = next + (dataSeq - nextSeq[half]);
        final long end = start + length;
        if (start - next > MAX_AHEAD)
        {
            counters.outOfWindow++;
            return SegmentResult.OUT_OF_WINDOW;
        }
        sentTo[half] = Math.max(sentTo[half], end);
        if (end <= next)
        {
            compareDelivered(half, start, end, payload, payloadOffset);
            counters.retransmissions++;
            return SegmentResult.DUPLICATE;
        }
        long from = payloadOffset;
        if (start < next)
        {
            compareDelivered(half, start, next, payload, payloadOffset);
            from += next - start;
            start = next;
            overlapped = true;
        }
        if (start == next && firstHeld(half) >= end)
        {
            countInOrder();
            begin(stream, direction, half, sink);
            append(payload, from, (int)(end - start));
            drain(half);
            finish();
            return SegmentResult.IN_ORDER;
        }
        final long missing = blocksMissing(half, start, end);
        final boolean overStreamCap = blocksHeld[stream] + missing > blocksPerStream;
        if (overStreamCap || missing > freeBlockCount)
        {
            return memcapHit(stream, direction, half, overStreamCap, payload, from, start, end, sink);
        }
        if (0 == insert(stream, half, start, end, payload, from))
        {
            counters.retransmissions++;
            return SegmentResult.DUPLICATE;
        }
        if (start == next)
        {
            countInOrder();
            begin(stream, direction, half, sink);
            drain(half);
            finish();
            return SegmentResult.IN_ORDER;
        }
        counters.outOfOrder++;
        if (overlapped)
        {
            counters.overlaps++;
        }
        if (buffered[half] > gapAfterBytes)
        {
            begin(stream, direction, half, sink);
            while (buffered[half] > gapAfterBytes)
            {
                gap(firstHeld(half) - delivered[half]);
                drain(half);
            }
            finish();
        }
        return SegmentResult.BUFFERED;
    }

    private void countInOrder()
    {
        counters.inOrder++;
        if (overlapped)
        {
            counters.overlaps++;
        }
    }

    private int memcapHit(
        final int stream,
        final int direction,
        final int half,
        final boolean overStreamCap,
        final MemorySegment payload,
        final long from,
        final long start,
        final long end,
        final StreamSink sink)
    {
        if (overStreamCap)
        {
            counters.streamMemcapHits++;
        }
        else
        {
            counters.globalMemcapHits++;
        }
        counters.memcapHits[onMemcap.ordinal()]++;
        switch (onMemcap)
        {
            case DROP_FLOW ->
            {
                releaseBlocks(stream);
                status[stream] = DROPPED;
                return SegmentResult.DROP_FLOW;
            }
            case BYPASS ->
            {
                releaseBlocks(stream);
                status[stream] = BYPASSED;
                return SegmentResult.BYPASSED;
            }
            default ->
            {
                countInOrder();
                begin(stream, direction, half, sink);
                giveUpHoles(half, payload, from, start, end);
                finish();
                return SegmentResult.IN_ORDER;
            }
        }
    }

    /** Compares bytes {@code [start, end)}, all delivered already, with what the overlap window still holds. */
    private void compareDelivered(
        final int half, final long start, final long end, final MemorySegment payload, final long payloadOffset)
    {
        final long windowStart = delivered[half] - windowLength[half];
        final long from = Math.max(start, windowStart);
        if (from >= end)
        {
            return;
        }
        final long windowAt = (long)half * inspectOverlap + (from - windowStart);
        final long payloadAt = payloadOffset + (from - start);
        if (-1 != MemorySegment.mismatch(windows, windowAt, windowAt + (end - from), payload, payloadAt,
            payloadAt + (end - from)))
        {
            conflict = true;
        }
    }

    /** Blocks that bytes {@code [start, end)} need and the direction does not hold yet. */
    private long blocksMissing(final int half, final long start, final long end)
    {
        final long first = start >> BLOCK_SHIFT;
        final long last = (end - 1) >> BLOCK_SHIFT;
        long missing = last - first + 1;
        for (int b = head[half]; NONE != b && blockBase[b] >> BLOCK_SHIFT <= last; b = blockNext[b])
        {
            if (blockBase[b] >> BLOCK_SHIFT >= first)
            {
                missing--;
            }
        }
        return missing;
    }

    /**
     * Stores bytes {@code [start, end)}, all at or after the next byte expected, taking blocks as needed (the
     * caller checked there are enough). Returns the bytes that were not held before.
     */
    private long insert(
        final int stream, final int half, final long start, final long end, final MemorySegment payload,
        final long from)
    {
        int previous = NONE;
        int block = head[half];
        long at = start;
        long stored = 0;
        while (at < end)
        {
            final long base = at & ~(long)BLOCK_MASK;
            while (NONE != block && blockBase[block] < base)
            {
                previous = block;
                block = blockNext[block];
            }
            if (NONE == block || blockBase[block] != base)
            {
                final int taken = freeBlocks[--freeBlockCount];
                blockBase[taken] = base;
                blockNext[taken] = block;
                if (NONE == previous)
                {
                    head[half] = taken;
                }
                else
                {
                    blockNext[previous] = taken;
                }
                blocksHeld[stream]++;
                block = taken;
            }
            final int low = (int)(at - base);
            final int high = (int)Math.min(end - base, BLOCK_BYTES);
            stored += place(block, low, high, payload, from + (at - start));
            at = base + high;
        }
        buffered[half] += stored;
        return stored;
    }

    /** Lays the bytes at {@code source} over {@code [low, high)} of a block: holes filled, overlaps compared. */
    private int place(final int block, final int low, final int high, final MemorySegment payload, final long source)
    {
        final long blockAt = (long)block * BLOCK_BYTES;
        int stored = 0;
        int at = low;
        while (at < high)
        {
            final long sourceAt = source + (at - low);
            if (isHeld(block, at))
            {
                final int runEnd = nextFree(block, at, high);
                overlapped = true;
                if (-1 != MemorySegment.mismatch(pool, blockAt + at, blockAt + runEnd, payload, sourceAt,
                    sourceAt + (runEnd - at)))
                {
                    conflict = true;
                    if (lastWins)
                    {
                        MemorySegment.copy(payload, sourceAt, pool, blockAt + at, runEnd - at);
                    }
                }
                at = runEnd;
            }
            else
            {
                final int runEnd = nextHeld(block, at, high);
                MemorySegment.copy(payload, sourceAt, pool, blockAt + at, runEnd - at);
                setBits(block, at, runEnd);
                stored += runEnd - at;
                at = runEnd;
            }
        }
        return stored;
    }

    // ---------------------------------------------------------------------------------------------------
    // Delivering

    /** Delivers what is held contiguous from the next byte expected, freeing blocks as they empty. */
    private void drain(final int half)
    {
        while (NONE != head[half])
        {
            final int block = head[half];
            final long base = blockBase[block];
            final long next = delivered[half];
            if (base > next)
            {
                return;
            }
            final int at = (int)(next - base);
            if (!isHeld(block, at))
            {
                return;
            }
            final int runEnd = nextFree(block, at, BLOCK_BYTES);
            buffered[half] -= clearBits(block, at, runEnd);
            append(pool, (long)block * BLOCK_BYTES + at, runEnd - at);
            if (runEnd < BLOCK_BYTES && nextHeld(block, runEnd, BLOCK_BYTES) < BLOCK_BYTES)
            {
                return;
            }
            head[half] = blockNext[block];
            freeBlock(half >> 1, block);
        }
    }

    /**
     * Delivers everything held for the direction and the segment's bytes {@code [start, end)} (none when
     * {@code start} is {@link Long#MAX_VALUE}), in offset order, giving up every hole as a gap. Where the
     * segment overlaps held bytes the policy decides, without comparing.
     */
    private void giveUpHoles(
        final int half, final MemorySegment payload, final long from, final long start, final long end)
    {
        while (true)
        {
            drain(half);
            final long next = delivered[half];
            final long held = firstHeld(half);
            if (start <= next && next < end)
            {
                final long stop = lastWins ? end : Math.min(end, held);
                if (lastWins)
                {
                    discardHeld(half, next, stop);
                }
                append(payload, from + (next - start), (int)(stop - next));
                continue;
            }
            final long resume = Math.min(held, start > next ? start : Long.MAX_VALUE);
            if (Long.MAX_VALUE == resume)
            {
                return;
            }
            gap(resume - next);
        }
    }

    /** Delivers a direction's held bytes with gaps before them, if it holds any and the stream is open. */
    private void flush(final int stream, final int direction, final StreamSink sink)
    {
        final int half = 2 * stream + direction;
        if (NONE == head[half] || OPEN != status[stream])
        {
            return;
        }
        begin(stream, direction, half, sink);
        giveUpHoles(half, null, 0, Long.MAX_VALUE, Long.MAX_VALUE);
        finish();
    }

    private void begin(final int stream, final int direction, final int half, final StreamSink target)
    {
        sink = target;
        deliveryStream = stream;
        deliveryDirection = direction;
        deliveryHalf = half;
        final int kept = windowLength[half];
        MemorySegment.copy(windows, (long)half * inspectOverlap, chunk, 0, kept);
        fill = kept;
        newFrom = kept;
        chunkOffset = delivered[half] - kept;
    }

    private void append(final MemorySegment source, final long sourceAt, final int length)
    {
        final int half = deliveryHalf;
        long at = sourceAt;
        int left = length;
        while (left > 0)
        {
            if (chunkCapacity == fill)
            {
                emit();
                final int kept = Math.min(inspectOverlap, fill);
                MemorySegment.copy(chunk, fill - kept, chunk, 0, kept);
                chunkOffset += fill - kept;
                fill = kept;
                newFrom = kept;
            }
            final int take = Math.min(left, chunkCapacity - fill);
            MemorySegment.copy(source, at, chunk, fill, take);
            fill += take;
            at += take;
            left -= take;
            delivered[half] += take;
            nextSeq[half] += take;
            dataBytes[half] += take;
        }
    }

    private void gap(final long length)
    {
        emit();
        final int half = deliveryHalf;
        sink.onGap(deliveryStream, deliveryDirection, delivered[half], length);
        counters.gaps++;
        counters.gapBytes += length;
        delivered[half] += length;
        nextSeq[half] += (int)length;
        fill = 0;
        newFrom = 0;
        chunkOffset = delivered[half];
    }

    private void emit()
    {
        if (fill > newFrom)
        {
            sink.onData(deliveryStream, deliveryDirection, views[fill], newFrom, chunkOffset);
            counters.chunks++;
            counters.bytesDelivered += fill - newFrom;
            newFrom = fill;
        }
    }

    /** Delivers the last chunk and keeps its tail as the direction's overlap window. */
    private void finish()
    {
        emit();
        final int kept = Math.min(inspectOverlap, fill);
        MemorySegment.copy(chunk, fill - kept, windows, (long)deliveryHalf * inspectOverlap, kept);
        windowLength[deliveryHalf] = kept;
        sink = null;
    }

    // ---------------------------------------------------------------------------------------------------
    // Blocks and presence bits

    /** Offset of the first byte held for the direction, or {@link Long#MAX_VALUE}. */
    private long firstHeld(final int half)
    {
        final int block = head[half];
        return NONE == block ? Long.MAX_VALUE : blockBase[block] + nextHeld(block, 0, BLOCK_BYTES);
    }

    /** Forgets the bytes held in {@code [from, to)}, freeing blocks that empty. */
    private void discardHeld(final int half, final long from, final long to)
    {
        int previous = NONE;
        int block = head[half];
        while (NONE != block && blockBase[block] < to)
        {
            final long base = blockBase[block];
            final int following = blockNext[block];
            if (base + BLOCK_BYTES > from)
            {
                final int low = (int)Math.max(0, from - base);
                final int high = (int)Math.min(BLOCK_BYTES, to - base);
                buffered[half] -= clearBits(block, low, high);
                if (BLOCK_BYTES == nextHeld(block, 0, BLOCK_BYTES))
                {
                    if (NONE == previous)
                    {
                        head[half] = following;
                    }
                    else
                    {
                        blockNext[previous] = following;
                    }
                    freeBlock(half >> 1, block);
                    block = following;
                    continue;
                }
            }
            previous = block;
            block = following;
        }
    }

    private void releaseBlocks(final int stream)
    {
        for (int half = 2 * stream; half < 2 * stream + 2; half++)
        {
            int block = head[half];
            while (NONE != block)
            {
                final int following = blockNext[block];
                clearBits(block, 0, BLOCK_BYTES);
                freeBlock(stream, block);
                block = following;
            }
            head[half] = NONE;
            buffered[half] = 0;
            synHeld[half] = 0;
        }
    }

    private void freeBlock(final int stream, final int block)
    {
        freeBlocks[freeBlockCount++] = block;
        blocksHeld[stream]--;
    }

    private boolean isHeld(final int block, final int at)
    {
        return 0 != (present[block * WORDS_PER_BLOCK + (at >>> 6)] & (1L << at));
    }

    /** First held byte of the block in {@code [from, limit)}, or {@code limit}. */
    private int nextHeld(final int block, final int from, final int limit)
    {
        final int words = block * WORDS_PER_BLOCK;
        int w = from >>> 6;
        long word = present[words + w] & (-1L << from);
        while (true)
        {
            if (0 != word)
            {
                return Math.min(limit, (w << 6) + Long.numberOfTrailingZeros(word));
            }
            if (++w == WORDS_PER_BLOCK || w << 6 >= limit)
            {
                return limit;
            }
            word = present[words + w];
        }
    }

    /** First byte of the block in {@code [from, limit)} not held, or {@code limit}. */
    private int nextFree(final int block, final int from, final int limit)
    {
        final int words = block * WORDS_PER_BLOCK;
        int w = from >>> 6;
        long word = ~present[words + w] & (-1L << from);
        while (true)
        {
            if (0 != word)
            {
                return Math.min(limit, (w << 6) + Long.numberOfTrailingZeros(word));
            }
            if (++w == WORDS_PER_BLOCK || w << 6 >= limit)
            {
                return limit;
            }
            word = ~present[words + w];
        }
    }

    private void setBits(final int block, final int from, final int to)
    {
        final int words = block * WORDS_PER_BLOCK;
        final int first = from >>> 6;
        final int last = (to - 1) >>> 6;
        for (int w = first; w <= last; w++)
        {
            present[words + w] |= rangeMask(w, from, to);
        }
    }

    /** Clears the bits of {@code [from, to)}; returns how many were set. */
    private int clearBits(final int block, final int from, final int to)
    {
        if (from >= to)
        {
            return 0;
        }
        final int words = block * WORDS_PER_BLOCK;
        final int first = from >>> 6;
        final int last = (to - 1) >>> 6;
        int cleared = 0;
        for (int w = first; w <= last; w++)
        {
            final long mask = rangeMask(w, from, to);
            cleared += Long.bitCount(present[words + w] & mask);
            present[words + w] &= ~mask;
        }
        return cleared;
    }

    /** The bits of word {@code w} that lie in {@code [from, to)}. */
    private static long rangeMask(final int w, final int from, final int to)
    {
        final long low = w == from >>> 6 ? -1L << from : -1L;
        final long high = w == (to - 1) >>> 6 ? -1L >>> -to : -1L;
        return low & high;
    }
}
