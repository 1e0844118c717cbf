package io.opensase.classifiers.stream;

import java.util.Objects;

/**
 * Limits and policies of one {@link TcpReassembler}, checked whole when built; immutable, for any thread.
 * <p>
 * Memory a reassembler takes, all of it at construction: off-heap, the block pool ({@code globalMemcap}
 * rounded down to whole {@value TcpReassembler#BLOCK_BYTES}-byte blocks), the overlap windows
 * ({@code maxStreams * 2 * inspectOverlap} bytes) and one chunk buffer; on the heap, a presence bitmap of one
 * bit per pool byte and a few words per stream and per block.
 *
 * @param maxStreams      streams open at once, 1..{@value #MAX_STREAMS}; {@link TcpReassembler#open} refuses more.
 * @param perStreamMemcap bytes of out-of-order data one stream (both directions) may hold, counted in whole
 *                        blocks taken (a few scattered tiny segments take a block each); at least one block.
 * @param globalMemcap    bytes of the shared block pool, at least one block, at most {@value #MAX_GLOBAL_MEMCAP}.
 * @param inspectOverlap  bytes already delivered that each chunk repeats in front of its new bytes,
 *                        0..{@value #MAX_INSPECT_OVERLAP}: a pattern at most this long plus one byte, split
 *                        across segments, lies wholly inside one chunk.
 * @param overlap         which bytes win where buffered segments overlap with different bytes.
 * @param onMemcap        what a stream does when a memory cap is hit.
 * @param midstream       deliver a direction whose SYN was not seen, from its first data segment on.
 * @param gapAfterBytes   out-of-order bytes one direction may hold before the hole in front of them is given
 *                        up as a gap (the sensor, not the host, lost the segment); at least 1.
 */
public record StreamConfig(
    int maxStreams,
    long perStreamMemcap,
    long globalMemcap,
    int inspectOverlap,
    OverlapPolicy overlap,
    MemcapPolicy onMemcap,
    boolean midstream,
    long gapAfterBytes)
{
    public static final int MAX_STREAMS = 1 << 20;
    /** The presence bitmap, one bit per pool byte, must fit one Java array of longs. */
    public static final long MAX_GLOBAL_MEMCAP = 1L << 36;
    public static final int MAX_INSPECT_OVERLAP = 65_535;
    /** Overlap windows take {@code maxStreams * 2 * inspectOverlap} bytes; at most this many. */
    public static final long MAX_WINDOW_BYTES = 1L << 34;

    public static final int DEFAULT_MAX_STREAMS = 4096;
    public static final long DEFAULT_PER_STREAM_MEMCAP = 256L << 10;
    public static final long DEFAULT_GLOBAL_MEMCAP = 32L << 20;
    /** As Suricata's stream inspection overlap; longer than any ET Open content. */
    public static final int DEFAULT_INSPECT_OVERLAP = 2048;

    public StreamConfig
    {
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(onMemcap, "onMemcap");
        if (maxStreams < 1 || maxStreams > MAX_STREAMS)
        {
            throw new IllegalArgumentException("maxStreams must be 1.." + MAX_STREAMS + ": " + maxStreams);
        }
        if (perStreamMemcap < TcpReassembler.BLOCK_BYTES)
        {
            throw new IllegalArgumentException("perStreamMemcap must be at least one block of "
                + TcpReassembler.BLOCK_BYTES + " bytes: " + perStreamMemcap);
        }
        if (globalMemcap < TcpReassembler.BLOCK_BYTES || globalMemcap > MAX_GLOBAL_MEMCAP)
        {
            throw new IllegalArgumentException("globalMemcap must be " + TcpReassembler.BLOCK_BYTES + ".."
                + MAX_GLOBAL_MEMCAP + ": " + globalMemcap);
        }
        if (inspectOverlap < 0 || inspectOverlap > MAX_INSPECT_OVERLAP)
        {
            throw new IllegalArgumentException("inspectOverlap must be 0.." + MAX_INSPECT_OVERLAP + ": "
                + inspectOverlap);
        }
        if ((long)maxStreams * 2 * inspectOverlap > MAX_WINDOW_BYTES)
        {
            throw new IllegalArgumentException("maxStreams * 2 * inspectOverlap must be at most " + MAX_WINDOW_BYTES
                + " (the overlap windows): " + maxStreams + " * 2 * " + inspectOverlap);
        }
        if (gapAfterBytes < 1)
        {
            throw new IllegalArgumentException("gapAfterBytes must be positive: " + gapAfterBytes);
        }
    }

    /** The gap limit half the per-stream cap: one direction can hold that much before a hole is given up. */
    public StreamConfig(
        final int maxStreams,
        final long perStreamMemcap,
        final long globalMemcap,
        final int inspectOverlap,
        final OverlapPolicy overlap,
        final MemcapPolicy onMemcap,
        final boolean midstream)
    {
        this(maxStreams, perStreamMemcap, globalMemcap, inspectOverlap, overlap, onMemcap, midstream,
            Math.max(1, perStreamMemcap / 2));
    }

    /**
     * 4,096 streams, 256 KiB per stream, 32 MiB in all, 2,048 bytes of overlap, {@link OverlapPolicy#FIRST},
     * {@link MemcapPolicy#IGNORE}, no midstream pickup (Suricata's defaults for the last three), gaps after
     * 128 KiB held per direction.
     */
    public static StreamConfig defaults()
    {
        return new StreamConfig(DEFAULT_MAX_STREAMS, DEFAULT_PER_STREAM_MEMCAP, DEFAULT_GLOBAL_MEMCAP,
            DEFAULT_INSPECT_OVERLAP, OverlapPolicy.FIRST, MemcapPolicy.IGNORE, false);
    }

    /** Blocks of the shared pool. */
    public int blocks()
    {
        return (int)(globalMemcap / TcpReassembler.BLOCK_BYTES);
    }

    /** Blocks one stream may hold. */
    public long blocksPerStream()
    {
        return perStreamMemcap / TcpReassembler.BLOCK_BYTES;
    }

    public StreamConfig withMaxStreams(final int streams)
    {
        return new StreamConfig(streams, perStreamMemcap, globalMemcap, inspectOverlap, overlap, onMemcap, midstream,
            gapAfterBytes);
    }

    public StreamConfig withMemcaps(final long perStream, final long global)
    {
        return new StreamConfig(maxStreams, perStream, global, inspectOverlap, overlap, onMemcap, midstream,
            gapAfterBytes);
    }

    public StreamConfig withInspectOverlap(final int bytes)
    {
        return new StreamConfig(maxStreams, perStreamMemcap, globalMemcap, bytes, overlap, onMemcap, midstream,
            gapAfterBytes);
    }

    public StreamConfig withOverlap(final OverlapPolicy policy)
    {
        return new StreamConfig(maxStreams, perStreamMemcap, globalMemcap, inspectOverlap, policy, onMemcap,
            midstream, gapAfterBytes);
    }

    public StreamConfig withOnMemcap(final MemcapPolicy policy)
    {
        return new StreamConfig(maxStreams, perStreamMemcap, globalMemcap, inspectOverlap, overlap, policy,
            midstream, gapAfterBytes);
    }

    public StreamConfig withMidstream(final boolean pickup)
    {
        return new StreamConfig(maxStreams, perStreamMemcap, globalMemcap, inspectOverlap, overlap, onMemcap, pickup,
            gapAfterBytes);
    }

    public StreamConfig withGapAfterBytes(final long bytes)
    {
        return new StreamConfig(maxStreams, perStreamMemcap, globalMemcap, inspectOverlap, overlap, onMemcap,
            midstream, bytes);
    }
}
