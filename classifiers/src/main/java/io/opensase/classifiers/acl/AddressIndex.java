package io.opensase.classifiers.acl;

import java.util.Arrays;

/**
 * Phase 0 for an address field: maps an address to the index of its elementary interval (the ranges between
 * consecutive rule boundaries), through a multibit trie with a 16-bit first stride and 8-bit strides after
 * (the DIR-16-8-8 shape of the DPDK LPM table, here over intervals rather than routes). An IPv4 address is
 * placed in the top 32 bits of the 128-bit space, so its trie is at most three levels deep. Immutable once
 * built; any thread.
 */
final class AddressIndex
{
    private static final int ROOT_BITS = 16;
    private static final int STRIDE = 8;

    private final int[] nodes;
    private final int intervals;

    private AddressIndex(final int[] nodes, final int intervals)
    {
        this.nodes = nodes;
        this.intervals = intervals;
    }

    int intervals()
    {
        return intervals;
    }

    long bytes()
    {
        return 16L + 4L * nodes.length;
    }

    /**
     * The interval of the IPv4 address {@code address} (32 bits). Always three reads and no branch: a leaf met
     * early turns the later reads into reads of entry 0, whose result is masked away, so that lookups of a
     * burst overlap in the pipeline instead of waiting on mispredicted branches.
     */
    int lookup4(final int address)
    {
        final int[] n = nodes;
        final int e0 = n[address >>> 16];
        final int inner0 = e0 >> 31;
        final int v1 = n[(~e0 + ((address >>> 8) & 0xFF)) & inner0];
        final int e1 = (v1 & inner0) | (e0 & ~inner0);
        final int inner1 = e1 >> 31;
        final int v2 = n[(~e1 + (address & 0xFF)) & inner1];
        return (v2 & inner1) | (e1 & ~inner1);
    }

    /** The interval of the IPv6 address {@code hi}/{@code lo}. */
    int lookup6(final long hi, final long lo)
    {
        final int[] n = nodes;
        int e = n[(int) (hi >>> 48)];
        int consumed = ROOT_BITS;
        while (e < 0)
        {
            final int chunk = consumed < 64 ? (int) (hi >>> (56 - consumed)) & 0xFF : (int) (lo >>> (120 - consumed)) & 0xFF;
            e = n[~e + chunk];
            consumed += STRIDE;
        }
        return e;
    }

    /**
     * Builds the index over the boundaries of the given ranges and rewrites each range, in place, to the
     * first and last interval it covers.
     *
     * @param ranges per range four longs: start hi, start lo, end hi, end lo (inclusive, unsigned 128-bit)
     */
    static AddressIndex build(final long[][] ranges)
    {
        final int count = ranges.length;
        final long[] hi = new long[2 * count + 1];
        final long[] lo = new long[2 * count + 1];
        int points = 1;
        for (final long[] range : ranges)
        {
            hi[points] = range[0];
            lo[points] = range[1];
            points++;
            if (-1L != range[2] || -1L != range[3])
            {
                hi[points] = -1L == range[3] ? range[2] + 1 : range[2];
                lo[points] = range[3] + 1;
                points++;
            }
        }
        final Integer[] order = new Integer[points];
        for (int i = 0; i < points; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compare(hi[a], lo[a], hi[b], lo[b]));
        final long[] bHi = new long[points];
        final long[] bLo = new long[points];
        int unique = 0;
        for (final int i : order)
        {
            if (0 == unique || 0 != compare(bHi[unique - 1], bLo[unique - 1], hi[i], lo[i]))
            {
                bHi[unique] = hi[i];
                bLo[unique] = lo[i];
                unique++;
            }
        }
        final Builder builder = new Builder(Arrays.copyOf(bHi, unique), Arrays.copyOf(bLo, unique));
        // two passes: count the nodes, then fill an array of exactly that size (no growing copies)
        builder.fill(0, 0, 0, 0);
        builder.nodes = new int[builder.used];
        builder.used = 1 << ROOT_BITS;
        builder.fill(0, 0, 0, 0);
        for (final long[] range : ranges)
        {
            range[0] = builder.search(range[0], range[1]);
            range[1] = builder.search(range[2], range[3]);
        }
        return new AddressIndex(builder.nodes, unique);
    }

    static int compare(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final int high = Long.compareUnsigned(aHi, bHi);
        return 0 != high ? high : Long.compareUnsigned(aLo, bLo);
    }

    /**
     * Build-side state: sorted unique boundaries (the first is 0) and the node array; while {@code nodes} is
     * null, {@link #fill} only counts the nodes.
     */
    private static final class Builder
    {
        private final long[] bHi;
        private final long[] bLo;
        private int[] nodes;
        private int used = 1 << ROOT_BITS;

        Builder(final long[] bHi, final long[] bLo)
        {
            this.bHi = bHi;
            this.bLo = bLo;
        }

        /** The interval holding the point: the last boundary at or before it. */
        int search(final long hi, final long lo)
        {
            int low = 0;
            int high = bHi.length - 1;
            while (low < high)
            {
                final int mid = (low + high + 1) >>> 1;
                if (compare(bHi[mid], bLo[mid], hi, lo) <= 0)
                {
                    low = mid;
                }
                else
                {
                    high = mid - 1;
                }
            }
            return low;
        }

        void fill(final int base, final long startHi, final long startLo, final int consumed)
        {
            final int stride = 0 == consumed ? ROOT_BITS : STRIDE;
            final int shift = 128 - consumed - stride;
            int interval = search(startHi, startLo);
            for (int c = 0; c < (1 << stride); c++)
            {
                final long childHi = shift >= 64 ? startHi | ((long) c << (shift - 64)) : startHi;
                final long childLo = shift >= 64 ? startLo : startLo | ((long) c << shift);
                final long endHi = shift >= 64 ? childHi | ones(shift - 64) : childHi;
                final long endLo = shift >= 64 ? -1L : childLo | ones(shift);
                while (interval + 1 < bHi.length && compare(bHi[interval + 1], bLo[interval + 1], childHi, childLo) <= 0)
                {
                    interval++;
                }
                final boolean uniform = interval + 1 == bHi.length
                    || compare(bHi[interval + 1], bLo[interval + 1], endHi, endLo) > 0;
                if (uniform)
                {
                    if (null != nodes)
                    {
                        nodes[base + c] = interval;
                    }
                }
                else
                {
                    final int child = used;
                    used += 1 << STRIDE;
                    if (null != nodes)
                    {
                        nodes[base + c] = ~child;
                    }
                    fill(child, childHi, childLo, consumed + stride);
                }
            }
        }

        private static long ones(final int bits)
        {
            return bits >= 64 ? -1L : (1L << bits) - 1;
        }
    }
}
