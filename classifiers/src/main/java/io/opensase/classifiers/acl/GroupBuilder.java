package io.opensase.classifiers.acl;

import java.util.Arrays;

/**
 * Build side of one {@link RfcGroup}: equivalence classes per field over the family's elementary intervals,
 * then the cross products, each refused when it would exceed the cell budget (the caller then splits the
 * group). Lists are cut after a rule that matches every field not yet combined ("terminal"), since no later
 * rule can be first where it matches. Owned by the building thread.
 */
final class GroupBuilder
{
    static final int SRC = 0;
    static final int DST = 1;
    static final int SPORT = 2;
    static final int DPORT = 3;
    static final int PROTO = 4;
    static final int EXTRA = 5;
    static final int FIELDS = 6;

    /** Per family-local rule and field: the intervals it covers, as pairs first, last. */
    private final int[][][] intervals;
    /** Per family-local rule: bit f set when field f is not a wildcard. */
    private final int[] constrained;
    private final int[] globalIds;
    private final int[] intervalCounts;
    private final long cellBudget;
    /** After a refused build: about how many times over the budget the group was (at least 4 when unknown). */
    private double overflow;

    GroupBuilder(
        final int[][][] intervals,
        final int[] constrained,
        final int[] globalIds,
        final int[] intervalCounts,
        final long cellBudget)
    {
        this.intervals = intervals;
        this.constrained = constrained;
        this.globalIds = globalIds;
        this.intervalCounts = intervalCounts;
        this.cellBudget = cellBudget;
    }

    double overflow()
    {
        return overflow;
    }

    /** A built group and its phase-0 maps (interval to class, per field; null for an unused extras field). */
    record Built(RfcGroup group, int[][] maps)
    {
    }

    /**
     * Builds the group of the given family-local rules (ascending), or returns null when a table would exceed
     * the cell budget.
     */
    Built build(final int[] members)
    {
        final int n = members.length;
        boolean extras = false;
        for (final int member : members)
        {
            extras |= 0 != (constrained[member] & (1 << EXTRA));
        }
        final int[] local = new int[n];
        for (int i = 0; i < n; i++)
        {
            local[i] = constrained[members[i]];
        }
        final int[][] maps = new int[FIELDS][];
        final ClassInterner[] phase0 = new ClassInterner[FIELDS];
        // a group too big for the budget is refused before its address classes are stored: stored, they are
        // most of what a build allocates (every class holds its rule list)
        final long srcCount = countClasses(members, local, SRC);
        final long dstCount = countClasses(members, local, DST);
        if (srcCount * dstCount > cellBudget)
        {
            overflow = (double) srcCount * dstCount / cellBudget;
            return null;
        }
        for (int f = 0; f < FIELDS; f++)
        {
            if (EXTRA == f && !extras)
            {
                continue;
            }
            phase0[f] = new ClassInterner();
            maps[f] = phase0(members, local, f, phase0[f], null);
        }
        if ((long) phase0[SRC].size() * phase0[DST].size() > cellBudget)
        {
            overflow = (double) phase0[SRC].size() * phase0[DST].size() / cellBudget;
            return null;
        }
        // the final table is (sd classes) x (pp classes), each at least about its largest input: refuse early
        final double earlyEstimate = (double) Math.max(phase0[SRC].size(), phase0[DST].size())
            * Math.max(phase0[SPORT].size(), Math.max(phase0[DPORT].size(), phase0[PROTO].size()));
        if (earlyEstimate > cellBudget)
        {
            overflow = earlyEstimate / cellBudget;
            return null;
        }
        overflow = 4;
        final ClassInterner portClasses = new ClassInterner();
        final int[] ports = cross(phase0[SPORT], phase0[DPORT], local, 1 << SPORT | 1 << DPORT, portClasses,
            Integer.MAX_VALUE);
        if (null == ports)
        {
            return null;
        }
        ClassInterner ppClasses = new ClassInterner();
        final int portProtoCover = 1 << SPORT | 1 << DPORT | 1 << PROTO;
        final int[] pp = cross(portClasses, phase0[PROTO], local, portProtoCover, ppClasses, Integer.MAX_VALUE);
        if (null == pp)
        {
            return null;
        }
        int[] px = null;
        final int protoClassCount = phase0[PROTO].size();
        final int extraClassCount = extras ? phase0[EXTRA].size() : 0;
        if (extras)
        {
            final ClassInterner pxClasses = new ClassInterner();
            px = cross(ppClasses, phase0[EXTRA], local, portProtoCover | 1 << EXTRA, pxClasses, Integer.MAX_VALUE);
            if (null == px)
            {
                return null;
            }
            ppClasses = pxClasses;
        }
        // sd has at least about as many classes as src or dst alone: refuse early what cannot fit
        final double finalEstimate = (double) Math.max(phase0[SRC].size(), phase0[DST].size()) * ppClasses.size();
        if (finalEstimate > cellBudget)
        {
            overflow = finalEstimate / cellBudget;
            return null;
        }
        final ClassInterner sdClasses = new ClassInterner();
        // the final table is sd classes x pp classes: stop as soon as it cannot fit
        final int sdLimit = (int) Math.min(Integer.MAX_VALUE, cellBudget / ppClasses.size());
        final int[] sd = cross(phase0[SRC], phase0[DST], local, 1 << SRC | 1 << DST, sdClasses, sdLimit);
        if (null == sd)
        {
            return null;
        }
        final int ppCount = ppClasses.size();
        final long finCells = (long) sdClasses.size() * ppCount;
        final int portsBase = sd.length;
        final int ppBase = portsBase + ports.length;
        final int pxBase = ppBase + pp.length;
        final int finBase = pxBase + (null == px ? 0 : px.length);
        if (finCells > cellBudget || finBase + finCells > Integer.MAX_VALUE - 8)
        {
            return null;
        }
        // one array per group, each cell an offset into it already multiplied by the next table's width
        final int[] table = new int[(int) (finBase + finCells)];
        for (int i = 0; i < sd.length; i++)
        {
            table[i] = finBase + sd[i] * ppCount;
        }
        for (int i = 0; i < ports.length; i++)
        {
            table[portsBase + i] = ppBase + ports[i] * protoClassCount;
        }
        for (int i = 0; i < pp.length; i++)
        {
            table[ppBase + i] = null == px ? pp[i] : pxBase + pp[i] * extraClassCount;
        }
        if (null != px)
        {
            System.arraycopy(px, 0, table, pxBase, px.length);
        }
        crossFinal(sdClasses, ppClasses, members, table, finBase);
        final RfcGroup group = new RfcGroup(globalIds[members[0]], n, phase0[DST].size(), phase0[DPORT].size(),
            portsBase, null != px, table);
        return new Built(group, maps);
    }

    /**
     * How many classes field {@code f} has among the members, without storing them: the same sweep as
     * {@link #phase0}, each class known by a 64-bit hash of its rule list. Only sizes the group (a collision
     * could only make the estimate one class smaller), never decides a lookup.
     */
    private long countClasses(final int[] members, final int[] local, final int f)
    {
        final HashCounter counter = new HashCounter();
        phase0(members, local, f, null, counter);
        return counter.size;
    }

    /**
     * Classes of field {@code f} over its intervals: a sweep over the members' interval boundaries. Interns
     * each class into {@code classes} and returns the interval-to-class map, or, with {@code classes} null,
     * only adds each class's hash to {@code counter} and returns null.
     */
    private int[] phase0(final int[] members, final int[] local, final int f, final ClassInterner classes,
        final HashCounter counter)
    {
        final int count = intervalCounts[f];
        int events = 0;
        for (final int member : members)
        {
            events += intervals[member][f].length;
        }
        // event = position << 32 | (start ? 1 : 0) << 31 | local rule: sorted by position, ends first
        final long[] event = new long[events];
        int e = 0;
        for (int i = 0; i < members.length; i++)
        {
            final int[] ranges = intervals[members[i]][f];
            for (int k = 0; k < ranges.length; k += 2)
            {
                event[e++] = (long) ranges[k] << 32 | 1L << 31 | i;
                event[e++] = (long) (ranges[k + 1] + 1) << 32 | i;
            }
        }
        Arrays.sort(event);
        final int[] map = null == classes ? null : new int[count];
        final long[] active = new long[(members.length + 63) >>> 6];
        final int[] scratch = new int[members.length];
        final int cover = 1 << f;
        int position = 0;
        int current = 0;
        e = 0;
        while (position < count)
        {
            boolean changed = false;
            while (e < events && (int) (event[e] >>> 32) == position)
            {
                final int rule = (int) (event[e] & 0x7FFF_FFFF);
                if (0 != (event[e] & (1L << 31)))
                {
                    active[rule >>> 6] |= 1L << rule;
                }
                else
                {
                    active[rule >>> 6] &= ~(1L << rule);
                }
                changed = true;
                e++;
            }
            if (changed)
            {
                int length = 0;
                scan:
                for (int w = 0; w < active.length; w++)
                {
                    long bits = active[w];
                    while (0 != bits)
                    {
                        final int rule = (w << 6) + Long.numberOfTrailingZeros(bits);
                        scratch[length++] = rule;
                        if (0 == (local[rule] & ~cover))
                        {
                            break scan;
                        }
                        bits &= bits - 1;
                    }
                }
                if (null == classes)
                {
                    counter.add(scratch, length);
                }
                else
                {
                    current = classes.intern(scratch, length);
                }
            }
            final int next = e < events ? (int) (event[e] >>> 32) : count;
            if (null != map)
            {
                Arrays.fill(map, position, Math.min(next, count), current);
            }
            position = next;
        }
        return map;
    }

    /**
     * The cross product of two class sets; each cell's list cut after its first terminal rule. Null when the
     * table would pass the budget or the product makes more than {@code classLimit} classes.
     */
    private int[] cross(
        final ClassInterner a,
        final ClassInterner b,
        final int[] local,
        final int cover,
        final ClassInterner out,
        final int classLimit)
    {
        final int nA = a.size();
        final int nB = b.size();
        if ((long) nA * nB > cellBudget)
        {
            return null;
        }
        final int[][] inverse = inverse(b, local.length);
        final int[] table = new int[nA * nB];
        final int[][] cells = new int[nB][];
        final int[] lengths = new int[nB];
        final boolean[] closed = new boolean[nB];
        final int[] touched = new int[nB];
        for (int ia = 0; ia < nA; ia++)
        {
            int touchedCount = 0;
            for (final int rule : a.get(ia))
            {
                final boolean terminal = 0 == (local[rule] & ~cover);
                for (final int ib : inverse[rule])
                {
                    if (closed[ib])
                    {
                        continue;
                    }
                    if (0 == lengths[ib])
                    {
                        touched[touchedCount++] = ib;
                        if (null == cells[ib])
                        {
                            cells[ib] = new int[8];
                        }
                    }
                    else if (lengths[ib] == cells[ib].length)
                    {
                        cells[ib] = Arrays.copyOf(cells[ib], lengths[ib] * 2);
                    }
                    cells[ib][lengths[ib]++] = rule;
                    closed[ib] = terminal;
                }
            }
            final int row = ia * nB;
            for (int t = 0; t < touchedCount; t++)
            {
                final int ib = touched[t];
                table[row + ib] = out.intern(cells[ib], lengths[ib]);
                lengths[ib] = 0;
                closed[ib] = false;
            }
            if (out.size() > classLimit)
            {
                return null;
            }
        }
        return table;
    }

    /**
     * The final table, written into {@code table} from {@code base}: per cell the global index of the first rule
     * in both lists, or MAX_VALUE. The caller has checked its size.
     */
    private void crossFinal(final ClassInterner a, final ClassInterner b, final int[] members, final int[] table,
        final int base)
    {
        final int nA = a.size();
        final int nB = b.size();
        final int[][] inverse = inverse(b, members.length);
        Arrays.fill(table, base, base + nA * nB, Integer.MAX_VALUE);
        for (int ia = 0; ia < nA; ia++)
        {
            final int row = base + ia * nB;
            int filled = 0;
            rules:
            for (final int rule : a.get(ia))
            {
                final int global = globalIds[members[rule]];
                for (final int ib : inverse[rule])
                {
                    if (Integer.MAX_VALUE == table[row + ib])
                    {
                        table[row + ib] = global;
                        if (++filled == nB)
                        {
                            break rules;
                        }
                    }
                }
            }
        }
    }

    /** Per local rule, the classes of {@code b} that hold it, ascending. */
    private static int[][] inverse(final ClassInterner b, final int rules)
    {
        final int[] counts = new int[rules];
        for (int ib = 0; ib < b.size(); ib++)
        {
            for (final int rule : b.get(ib))
            {
                counts[rule]++;
            }
        }
        final int[][] inverse = new int[rules][];
        for (int r = 0; r < rules; r++)
        {
            inverse[r] = new int[counts[r]];
            counts[r] = 0;
        }
        for (int ib = 0; ib < b.size(); ib++)
        {
            for (final int rule : b.get(ib))
            {
                inverse[rule][counts[rule]++] = ib;
            }
        }
        return inverse;
    }

    /** A set of 64-bit hashes of rule lists, only counted. Build side. */
    private static final class HashCounter
    {
        private long[] slots = new long[1024];
        private int size;

        HashCounter()
        {
            add(new int[0], 0); // as ClassInterner, which always holds the empty list
        }

        void add(final int[] rules, final int length)
        {
            long hash = length;
            for (int i = 0; i < length; i++)
            {
                hash = (hash + rules[i]) * 0x9E37_79B9_7F4A_7C15L;
                hash ^= hash >>> 29;
            }
            hash ^= hash >>> 32;
            hash = 0 == hash ? 1 : hash; // 0 marks an empty slot
            int mask = slots.length - 1;
            int slot = (int) hash & mask;
            while (0 != slots[slot])
            {
                if (hash == slots[slot])
                {
                    return;
                }
                slot = (slot + 1) & mask;
            }
            slots[slot] = hash;
            if (++size * 2 > slots.length)
            {
                final long[] old = slots;
                slots = new long[old.length * 2];
                mask = slots.length - 1;
                for (final long h : old)
                {
                    if (0 != h)
                    {
                        int s = (int) h & mask;
                        while (0 != slots[s])
                        {
                            s = (s + 1) & mask;
                        }
                        slots[s] = h;
                    }
                }
            }
        }
    }
}
