package io.opensase.classifiers.frag;

import java.util.Objects;

/**
 * Limits and policies of one {@link FragmentReassembler}, checked whole when built; immutable, for any thread.
 *
 * @param maxDatagrams            datagrams in progress at once, 1..{@value #MAX_DATAGRAMS}.
 * @param maxBytes                memory for held fragments (headers and payload), rounded up to whole
 *                                {@value FragmentReassembler#CHUNK_BYTES}-byte chunks; at least one largest
 *                                datagram ({@value #MIN_BYTES} bytes), at most {@value #MAX_BYTES}.
 * @param maxFragmentsPerDatagram fragments accepted per datagram (duplicates included), 1..{@value #MAX_FRAGMENTS};
 *                                one more drops the datagram.
 * @param timeoutNs               packet time a datagram may take from its first-received fragment to its last.
 * @param overlap                 which bytes win where fragments overlap with different bytes.
 * @param whenFull                what a fragment that needs a slot or memory beyond the limits does.
 * @param dropTinyFirst           drop the datagram when its first fragment does not hold the whole transport
 *                                header (the tiny-fragment attack of RFC 1858); reassembly makes such a header
 *                                whole again, so this is off by default.
 */
public record ReassemblyConfig(
    int maxDatagrams,
    long maxBytes,
    int maxFragmentsPerDatagram,
    long timeoutNs,
    OverlapPolicy overlap,
    LimitPolicy whenFull,
    boolean dropTinyFirst)
{
    public static final int MAX_DATAGRAMS = 1 << 20;
    /** One datagram of the largest size: 32 payload chunks and a header chunk. */
    public static final long MIN_BYTES =
        (long)FragmentReassembler.CHUNKS_PER_DATAGRAM * FragmentReassembler.CHUNK_BYTES;
    public static final long MAX_BYTES = 1L << 32;
    /** A fragment carries at least 8 bytes, except the last: 8,192 fragments make the largest datagram. */
    public static final int MAX_FRAGMENTS = 8192;
    /** Fragments tracked at most over all datagrams: each takes two pieces of 12 bytes of heap. */
    public static final long MAX_FRAGMENTS_HELD = 1L << 25;

    public static final int DEFAULT_MAX_DATAGRAMS = 1024;
    public static final long DEFAULT_MAX_BYTES = 8L << 20;
    public static final int DEFAULT_MAX_FRAGMENTS = 64;
    /** As Linux (ipfrag_time) and FreeBSD; RFC 8200 allows up to 60 seconds. */
    public static final long DEFAULT_TIMEOUT_NS = 30_000_000_000L;

    public ReassemblyConfig
    {
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(whenFull, "whenFull");
        if (maxDatagrams < 1 || maxDatagrams > MAX_DATAGRAMS)
        {
            throw new IllegalArgumentException("maxDatagrams must be 1.." + MAX_DATAGRAMS + ": " + maxDatagrams);
        }
        if (maxBytes < MIN_BYTES || maxBytes > MAX_BYTES)
        {
            throw new IllegalArgumentException("maxBytes must be " + MIN_BYTES + ".." + MAX_BYTES
                + " (at least one datagram of 65,535 bytes in " + FragmentReassembler.CHUNK_BYTES
                + "-byte chunks): " + maxBytes);
        }
        if (maxFragmentsPerDatagram < 1 || maxFragmentsPerDatagram > MAX_FRAGMENTS)
        {
            throw new IllegalArgumentException("maxFragmentsPerDatagram must be 1.." + MAX_FRAGMENTS + ": "
                + maxFragmentsPerDatagram);
        }
        if ((long)maxDatagrams * maxFragmentsPerDatagram > MAX_FRAGMENTS_HELD)
        {
            throw new IllegalArgumentException("maxDatagrams * maxFragmentsPerDatagram must be at most "
                + MAX_FRAGMENTS_HELD + " (the heap kept to track them): " + maxDatagrams + " * "
                + maxFragmentsPerDatagram);
        }
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("timeoutNs must be positive: " + timeoutNs);
        }
    }

    /** 1,024 datagrams, 8 MiB, 64 fragments each, 30 s, {@link OverlapPolicy#FIRST}, drop the oldest. */
    public static ReassemblyConfig defaults()
    {
        return new ReassemblyConfig(DEFAULT_MAX_DATAGRAMS, DEFAULT_MAX_BYTES, DEFAULT_MAX_FRAGMENTS,
            DEFAULT_TIMEOUT_NS, OverlapPolicy.FIRST, LimitPolicy.DROP_OLDEST, false);
    }

    /** Memory chunks the limit gives: {@link #maxBytes()} rounded up to whole chunks. */
    public int chunks()
    {
        return (int)((maxBytes + FragmentReassembler.CHUNK_BYTES - 1) / FragmentReassembler.CHUNK_BYTES);
    }

    public ReassemblyConfig withMaxDatagrams(final int datagrams)
    {
        return new ReassemblyConfig(datagrams, maxBytes, maxFragmentsPerDatagram, timeoutNs, overlap, whenFull,
            dropTinyFirst);
    }

    public ReassemblyConfig withMaxBytes(final long bytes)
    {
        return new ReassemblyConfig(maxDatagrams, bytes, maxFragmentsPerDatagram, timeoutNs, overlap, whenFull,
            dropTinyFirst);
    }

    public ReassemblyConfig withMaxFragmentsPerDatagram(final int fragments)
    {
        return new ReassemblyConfig(maxDatagrams, maxBytes, fragments, timeoutNs, overlap, whenFull, dropTinyFirst);
    }

    public ReassemblyConfig withTimeoutNs(final long timeout)
    {
        return new ReassemblyConfig(maxDatagrams, maxBytes, maxFragmentsPerDatagram, timeout, overlap, whenFull,
            dropTinyFirst);
    }

    public ReassemblyConfig withOverlap(final OverlapPolicy policy)
    {
        return new ReassemblyConfig(maxDatagrams, maxBytes, maxFragmentsPerDatagram, timeoutNs, policy, whenFull,
            dropTinyFirst);
    }

    public ReassemblyConfig withWhenFull(final LimitPolicy policy)
    {
        return new ReassemblyConfig(maxDatagrams, maxBytes, maxFragmentsPerDatagram, timeoutNs, overlap, policy,
            dropTinyFirst);
    }

    public ReassemblyConfig withDropTinyFirst(final boolean drop)
    {
        return new ReassemblyConfig(maxDatagrams, maxBytes, maxFragmentsPerDatagram, timeoutNs, overlap, whenFull,
            drop);
    }
}
