package io.opensase.classifiers.lpm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Longest-prefix match over IPv4 addresses in at most three array reads: a 16-bit first level (256 KiB),
 * then 8-bit chunks for the prefixes longer than /16 and /24, each prefix expanded over the slots it covers
 * (the DIR-24-8 idea with a smaller first table, so that a table per tenant map or route set stays cheap).
 * Built once from a prefix list; immutable, so any number of threads may look up at once.
 * <p>
 * A slot holds 0 (no prefix), a value + 1, or the bitwise complement of a chunk's index in the next level.
 */
public final class Ipv4Lpm
{
    /** What {@link #lookup} returns when no prefix holds the address. */
    public static final int NONE = -1;
    /** Values are 0..MAX_VALUE. */
    public static final int MAX_VALUE = (1 << 30) - 1;

    private static final int TOP_SLOTS = 1 << 16;
    private static final int CHUNK = 256;

    private final int[] top;
    private final int[] middle;
    private final int[] bottom;
    private final int prefixes;

    private Ipv4Lpm(final int[] top, final int[] middle, final int[] bottom, final int prefixes)
    {
        this.top = top;
        this.middle = middle;
        this.bottom = bottom;
        this.prefixes = prefixes;
    }

    /** One prefix: the {@code length} high bits of {@code address}, and what a match returns. */
    public record Prefix(int address, int length, int value)
    {
        public Prefix
        {
            if (length < 0 || length > 32)
            {
                throw new IllegalArgumentException("prefix length " + length + " is not 0..32");
            }
            if (value < 0 || value > MAX_VALUE)
            {
                throw new IllegalArgumentException("value " + value + " is not 0.." + MAX_VALUE);
            }
        }

        int first()
        {
            return 0 == length ? 0 : address & (int)(0xFFFF_FFFFL << (32 - length));
        }
    }

    /**
     * Builds the table. Where two prefixes are equal (same bits, same length), the earlier one in the list wins.
     */
    public static Ipv4Lpm build(final List<Prefix> prefixes)
    {
        // Shortest first, so a chunk is only ever made below a slot already final at its level; equal lengths
        // in reverse list order (the sort is stable), so an earlier equal prefix is written last and wins.
        final List<Prefix> shortestFirst = new ArrayList<>(prefixes.reversed());
        shortestFirst.sort(Comparator.comparingInt(Prefix::length));
        final Builder builder = new Builder();
        for (final Prefix prefix : shortestFirst)
        {
            builder.add(prefix);
        }
        return new Ipv4Lpm(builder.top, Arrays.copyOf(builder.middle.slots, builder.middle.used),
            Arrays.copyOf(builder.bottom.slots, builder.bottom.used), prefixes.size());
    }

    /** The value of the longest prefix holding {@code address}, or {@link #NONE}. */
    public int lookup(final int address)
    {
        int slot = top[address >>> 16];
        if (slot < 0)
        {
            slot = middle[(~slot << 8) | (address >>> 8 & 0xFF)];
            if (slot < 0)
            {
                slot = bottom[(~slot << 8) | (address & 0xFF)];
            }
        }
        return slot - 1;
    }

    public int prefixCount()
    {
        return prefixes;
    }

    /** Bytes held by the tables. */
    public long memoryBytes()
    {
        return 4L * (top.length + middle.length + bottom.length);
    }

    /**
     * Takes prefixes shortest first: a longer prefix overwrites the slots of the shorter ones it lies in, and a
     * new chunk starts as copies of the slot above it.
     */
    private static final class Builder
    {
        final int[] top = new int[TOP_SLOTS];
        final Level middle = new Level();
        final Level bottom = new Level();

        void add(final Prefix prefix)
        {
            final int first = prefix.first();
            final int slotValue = prefix.value() + 1;
            final int length = prefix.length();
            if (length <= 16)
            {
                final int from = first >>> 16;
                Arrays.fill(top, from, from + (1 << (16 - length)), slotValue);
                return;
            }
            final int topSlot = first >>> 16;
            final int middleChunk = middle.chunkBelow(top, topSlot);
            if (length <= 24)
            {
                middle.fill(middleChunk, first >>> 8 & 0xFF, 1 << (24 - length), slotValue);
                return;
            }
            final int bottomChunk = bottom.chunkBelow(middle.slots, middleChunk * CHUNK + (first >>> 8 & 0xFF));
            bottom.fill(bottomChunk, first & 0xFF, 1 << (32 - length), slotValue);
        }
    }

    /** One level of 256-slot chunks, grown as chunks are added. */
    private static final class Level
    {
        int[] slots = new int[CHUNK * 16];
        int used;

        /** The chunk below {@code parent[slot]}, made (as copies of that slot) when there is none yet. */
        int chunkBelow(final int[] parent, final int slot)
        {
            if (parent[slot] >= 0)
            {
                if (used + CHUNK > slots.length)
                {
                    slots = Arrays.copyOf(slots, slots.length * 2);
                }
                Arrays.fill(slots, used, used + CHUNK, parent[slot]);
                parent[slot] = ~(used / CHUNK);
                used += CHUNK;
            }
            return ~parent[slot];
        }

        void fill(final int chunk, final int from, final int count, final int slotValue)
        {
            Arrays.fill(slots, chunk * CHUNK + from, chunk * CHUNK + from + count, slotValue);
        }
    }
}
