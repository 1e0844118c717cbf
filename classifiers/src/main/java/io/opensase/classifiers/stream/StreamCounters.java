package io.opensase.classifiers.stream;

/**
 * Counters of one {@link TcpReassembler}: written by its owning thread only, read there (or copied out by it).
 * Every segment counts once in {@link #segments()} and at most once in each other segment counter.
 */
public final class StreamCounters
{
    long segments;
    long inOrder;
    long outOfOrder;
    long retransmissions;
    long overlaps;
    long conflicts;
    long gaps;
    long gapBytes;
    long bytesDelivered;
    long chunks;
    long streamMemcapHits;
    long globalMemcapHits;
    final long[] memcapHits = new long[MemcapPolicy.values().length];
    long midstreamPickups;
    long notStarted;
    long streamsRefused;
    long resets;
    long invalidResets;
    long synDataIgnored;
    long withoutAck;
    long afterClose;
    long invalid;
    long outOfWindow;

    /** Segments offered, every kind. */
    public long segments()
    {
        return segments;
    }

    /** Segments that delivered new bytes. */
    public long inOrder()
    {
        return inOrder;
    }

    /** Segments held out of order. */
    public long outOfOrder()
    {
        return outOfOrder;
    }

    /** Segments that brought no new byte: all of it delivered or buffered already. */
    public long retransmissions()
    {
        return retransmissions;
    }

    /** Segments that brought new bytes and overlapped bytes delivered or buffered already. */
    public long overlaps()
    {
        return overlaps;
    }

    /**
     * Segments whose bytes differed from bytes delivered or buffered for the same offsets. Bytes delivered
     * are compared as far as the overlap window still holds them.
     */
    public long conflicts()
    {
        return conflicts;
    }

    /** Gaps reported to {@link StreamSink#onGap}. */
    public long gaps()
    {
        return gaps;
    }

    public long gapBytes()
    {
        return gapBytes;
    }

    /** New bytes delivered to {@link StreamSink#onData}, repeated overlap bytes not counted. */
    public long bytesDelivered()
    {
        return bytesDelivered;
    }

    /** Calls to {@link StreamSink#onData}. */
    public long chunks()
    {
        return chunks;
    }

    /** Memory cap hits because a stream would pass {@link StreamConfig#perStreamMemcap()}. */
    public long streamMemcapHits()
    {
        return streamMemcapHits;
    }

    /** Memory cap hits because the shared pool had no block left. */
    public long globalMemcapHits()
    {
        return globalMemcapHits;
    }

    /** Memory cap hits, either cap, handled under {@code policy}. */
    public long memcapHits(final MemcapPolicy policy)
    {
        return memcapHits[policy.ordinal()];
    }

    /** Directions delivered from their first data segment, their SYN not seen. */
    public long midstreamPickups()
    {
        return midstreamPickups;
    }

    /** Data segments not delivered because their direction's SYN was not seen and midstream pickup is off. */
    public long notStarted()
    {
        return notStarted;
    }

    /** {@link TcpReassembler#open} calls refused: every stream in use. */
    public long streamsRefused()
    {
        return streamsRefused;
    }

    /** Streams ended by a RST. */
    public long resets()
    {
        return resets;
    }

    /**
     * RSTs ignored because their receiver would not accept them: the sequence number is not the next one
     * expected from the sender (Suricata's {@code stream-event:rst_invalid}).
     */
    public long invalidResets()
    {
        return invalidResets;
    }

    /**
     * SYN payloads not taken into the stream (the other side's acknowledgement did not cover them, or a SYN
     * brought data mid-stream), and data segments not taken while a SYN's data waited to be settled.
     */
    public long synDataIgnored()
    {
        return synDataIgnored;
    }

    /** Data or FIN segments without the ACK flag (and not a SYN), which a host drops: not taken. */
    public long withoutAck()
    {
        return withoutAck;
    }

    /** Segments of a stream already reset. */
    public long afterClose()
    {
        return afterClose;
    }

    /** Segments starting more than {@link TcpReassembler#MAX_AHEAD} bytes past the next byte expected. */
    public long outOfWindow()
    {
        return outOfWindow;
    }

    /** Calls with a stream not open, a direction other than 0 or 1, or a negative length. */
    public long invalid()
    {
        return invalid;
    }
}
