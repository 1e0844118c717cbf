package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One group of literals as a hashed q-gram filter, immutable once built.
 * <p>
 * Each literal is represented by one of its 4-byte windows (the whole literal when shorter), chosen to be
 * made of bytes that are rare in traffic and shared with few other literals. A scan runs on a case-folded
 * copy of the data in two passes. The first keeps the last four bytes in an int, tests a hash of it in a
 * bitmap of the 4-byte windows (32 KiB) and, when the group has shorter literals, the last two bytes in a
 * bitmap of the pairs they can end on (8 KiB), and records the positions that hit: no call, no branch, and
 * no load that depends on the previous byte's. The second looks each recorded window up in a hash table and
 * confirms the literals anchored there byte by byte (folded for nocase literals, exact for the others).
 */
final class QgramFilter
{
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MULTIPLIER = 0x9E3779B1;
    private static final int BITMAP_BITS = 18;
    private static final int SHORT_BITMAP_BITS = 16;
    private static final byte[] FOLD = new byte[256];
    /** Rough commonness of a folded byte in traffic: text, separators and zeros are common. */
    private static final int[] COMMON = new int[256];

    static
    {
        for (int b = 0; b < 256; b++)
        {
            FOLD[b] = (byte)AhoCorasick.fold(b);
            final int c = AhoCorasick.fold(b);
            if ("etaoinsrhl".indexOf(c) >= 0)
            {
                COMMON[b] = 4;
            }
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || " /.=&-_:\r\n%?,;".indexOf(c) >= 0
                || 0 == c)
            {
                COMMON[b] = 3;
            }
            else if (c >= 0x20 && c < 0x7F || 0xFF == c || 0x01 == c)
            {
                COMMON[b] = 2;
            }
            else
            {
                COMMON[b] = 1;
            }
        }
    }

    /**
     * The literals anchored on windows of one size (1 to 4 bytes): a bitmap of the windows, indexed by the
     * window itself for 1 and 2 bytes and by a hash of it for 3 and 4, and an open-addressing table from the
     * window to its literals.
     */
    private static final class Windows
    {
        final int size;
        final long[] bitmap;
        /** Bits set by more than one window (hashed bitmaps only): such a bit may never be switched off. */
        final long[] shared;
        final int bitmapShift;
        final int[] keys;
        final int[] bucketStart;
        final int[] bucketEnd;
        final int tableShift;

        Windows(
            final int size,
            final Map<Integer, List<int[]>> buckets,
            final int[] entryLiteral,
            final int[] entryAnchor,
            final int[] fill)
        {
            this.size = size;
            final int bits = switch (size)
            {
                case 1 -> 8;
                case 2 -> 16;
                case 3 -> SHORT_BITMAP_BITS;
                default -> BITMAP_BITS;
            };
            this.bitmap = new long[Math.max(1, (1 << bits) / 64)];
            this.shared = new long[bitmap.length];
            this.bitmapShift = size <= 2 ? -1 : 32 - bits;
            final int slots = Integer.highestOneBit(Math.max(4, buckets.size() * 4) - 1) << 1;
            this.tableShift = 32 - Integer.numberOfTrailingZeros(slots);
            this.keys = new int[slots];
            this.bucketStart = new int[slots];
            this.bucketEnd = new int[slots];
            Arrays.fill(bucketStart, -1);
            for (final Map.Entry<Integer, List<int[]>> e : buckets.entrySet())
            {
                final int key = e.getKey();
                final int bit = bit(key);
                if (0 != (bitmap[bit >>> 6] & (1L << bit)))
                {
                    shared[bit >>> 6] |= 1L << bit;
                }
                bitmap[bit >>> 6] |= 1L << bit;
                int slot = (key * MULTIPLIER) >>> tableShift;
                while (bucketStart[slot] >= 0)
                {
                    slot = (slot + 1) & (slots - 1);
                }
                keys[slot] = key;
                bucketStart[slot] = fill[0];
                for (final int[] entry : e.getValue())
                {
                    entryLiteral[fill[0]] = entry[0];
                    entryAnchor[fill[0]] = entry[1];
                    fill[0]++;
                }
                bucketEnd[slot] = fill[0];
            }
        }

        int bit(final int key)
        {
            return bitmapShift < 0 ? key : (key * MULTIPLIER) >>> bitmapShift;
        }
    }

    /**
     * One scanner's copies of the short-window bitmaps of a filter, for single-match scans: a short window
     * whose literals have all been reported is switched off for the rest of the scan (short literals such as
     * two zero bytes otherwise hit at every other position), and switched back on when the scan ends.
     */
    static final class Live
    {
        final long[][] bitmaps;
        private int[] undo = new int[64];
        private int undone;

        private Live(final Windows[] shorter)
        {
            bitmaps = new long[shorter.length][];
            for (int t = 0; t < shorter.length; t++)
            {
                bitmaps[t] = shorter[t].bitmap.clone();
            }
        }

        void switchOff(final int tier, final int bit)
        {
            bitmaps[tier][bit >>> 6] &= ~(1L << bit);
            if (undone + 2 > undo.length)
            {
                undo = Arrays.copyOf(undo, 2 * undo.length);
            }
            undo[undone++] = tier;
            undo[undone++] = bit;
        }

        void restore()
        {
            for (int i = 0; i < undone; i += 2)
            {
                bitmaps[undo[i]][undo[i + 1] >>> 6] |= 1L << undo[i + 1];
            }
            undone = 0;
        }
    }

    private final Windows four;
    /** Windows of 3, 2 and 1 bytes for literals shorter than four, or null. */
    private final Windows[] shorter;
    /**
     * 65,536 bits, one per value of the last two bytes: set when some short literal can end on them (a
     * 3-byte literal by its last two bytes, a 1-byte one on every pair it ends), so that one test per byte
     * stands for the three short tiers.
     */
    private final long[] shortAny;
    private final int[] entryLiteral;
    private final int[] entryAnchor;
    /** Per entry: the literal's first eight folded bytes (little-endian), and the mask of those it has. */
    private final long[] entryHead;
    private final long[] entryHeadMask;
    private final byte[][] folded;
    private final byte[][] exact;
    private final int[] literalId;

    private QgramFilter(
        final Windows four,
        final Windows[] shorter,
        final int[] entryLiteral,
        final int[] entryAnchor,
        final byte[][] folded,
        final byte[][] exact,
        final int[] literalId)
    {
        this.four = four;
        this.shorter = shorter;
        this.shortAny = null == shorter ? null : shortAny(shorter);
        this.entryLiteral = entryLiteral;
        this.entryAnchor = entryAnchor;
        this.entryHead = new long[entryLiteral.length];
        this.entryHeadMask = new long[entryLiteral.length];
        for (int e = 0; e < entryLiteral.length; e++)
        {
            final byte[] f = folded[entryLiteral[e]];
            for (int j = 0; j < Math.min(8, f.length); j++)
            {
                entryHead[e] |= (f[j] & 0xFFL) << (8 * j);
                entryHeadMask[e] |= 0xFFL << (8 * j);
            }
        }
        this.folded = folded;
        this.exact = exact;
        this.literalId = literalId;
    }

    private static long[] shortAny(final Windows[] shorter)
    {
        final long[] any = new long[1024];
        for (int t = 0; t < shorter.length; t++)
        {
            final Windows w = shorter[t];
            for (int slot = 0; slot < w.keys.length; slot++)
            {
                if (w.bucketStart[slot] < 0)
                {
                    continue;
                }
                final int key = w.keys[slot];
                if (w.size >= 2)
                {
                    final int pair = key & 0xFFFF;
                    any[pair >>> 6] |= 1L << pair;
                }
                else
                {
                    for (int first = 0; first < 256; first++)
                    {
                        final int pair = (first << 8) | key;
                        any[pair >>> 6] |= 1L << pair;
                    }
                }
            }
        }
        return any;
    }

    static QgramFilter build(final List<Literal> literals)
    {
        final int n = literals.size();
        final byte[][] folded = new byte[n][];
        final byte[][] exact = new byte[n][];
        final int[] literalId = new int[n];
        final List<Map<Integer, List<int[]>>> bySize = new ArrayList<>();
        for (int q = 0; q <= 4; q++)
        {
            bySize.add(new HashMap<>());
        }
        for (int l = 0; l < n; l++)
        {
            final Literal literal = literals.get(l);
            final byte[] bytes = literal.bytes();
            literalId[l] = literal.id();
            folded[l] = new byte[bytes.length];
            boolean letters = false;
            for (int i = 0; i < bytes.length; i++)
            {
                folded[l][i] = FOLD[bytes[i] & 0xFF];
                letters |= folded[l][i] != bytes[i] || (bytes[i] >= 'a' && bytes[i] <= 'z');
            }
            exact[l] = literal.nocase() || !letters ? null : bytes;
            final int q = Math.min(4, bytes.length);
            final Map<Integer, List<int[]>> buckets = bySize.get(q);
            int best = 0;
            long bestScore = Long.MAX_VALUE;
            for (int k = 0; k + q <= bytes.length; k++)
            {
                final int key = key(folded[l], k, q);
                int common = 0;
                for (int j = 0; j < q; j++)
                {
                    common += COMMON[folded[l][k + j] & 0xFF];
                }
                final List<int[]> shared = buckets.get(key);
                final long score = (long)common * 64 + (null == shared ? 0 : Math.min(63, shared.size()));
                if (score < bestScore)
                {
                    bestScore = score;
                    best = k;
                }
            }
            buckets.computeIfAbsent(key(folded[l], best, q), x -> new ArrayList<>()).add(new int[] {l, best});
        }
        final int[] entryLiteral = new int[n];
        final int[] entryAnchor = new int[n];
        final int[] fill = {0};
        final Windows four = new Windows(4, bySize.get(4), entryLiteral, entryAnchor, fill);
        Windows[] shorter = null;
        if (!bySize.get(1).isEmpty() || !bySize.get(2).isEmpty() || !bySize.get(3).isEmpty())
        {
            shorter = new Windows[] {new Windows(3, bySize.get(3), entryLiteral, entryAnchor, fill),
                new Windows(2, bySize.get(2), entryLiteral, entryAnchor, fill),
                new Windows(1, bySize.get(1), entryLiteral, entryAnchor, fill)};
        }
        return new QgramFilter(four, shorter, entryLiteral, entryAnchor, folded, exact, literalId);
    }

    private static int key(final byte[] folded, final int from, final int size)
    {
        int key = 0;
        for (int j = 0; j < size; j++)
        {
            key = (key << 8) | (folded[from + j] & 0xFF);
        }
        return key;
    }

    /** A scanner's live short-window bitmaps, or null when this filter has no literal shorter than 4 bytes. */
    Live newLive()
    {
        return null == shorter ? null : new Live(shorter);
    }

    /**
     * Scans {@code length} bytes of {@code folded}, the case-folded copy of those of {@code data} from
     * {@code dataOffset} (see {@link #foldInto}), in two passes: a loop without calls or branches that records
     * every position whose window hits a bitmap into {@code candidates}, then the confirmation of those
     * positions.
     *
     * @param seen       with {@code stamp}, literals reported in this scan (single-match), or null (every
     *                   match).
     * @param live       this scanner's short-window bitmaps ({@link #newLive()}), used in single-match scans.
     * @param candidates at least {@code length} ints.
     * @param folded     readable eight bytes past any literal that fits in {@code length}: at least
     *                   {@code length + 7} bytes.
     */
    int scan(
        final byte[] folded,
        final int length,
        final MemorySegment data,
        final long dataOffset,
        final MatchSink sink,
        final int[] seen,
        final int stamp,
        final Live live,
        final int[] candidates)
    {
        final int hits = null == shorter ? filterFour(folded, length, candidates)
            : filterAll(folded, length, candidates);
        final Live bitmaps = null == seen ? null : live;
        int found = 0;
        try
        {
            for (int c = 0; c < hits; c++)
            {
                final int candidate = candidates[c];
                final int i = candidate >>> 2;
                final int window = window(folded, i);
                if (0 != (candidate & 1))
                {
                    found += confirm(four, -1, null, window, i, folded, length, data, dataOffset, sink, seen, stamp);
                }
                if (0 != (candidate & 2))
                {
                    found += confirmShort(window, i, folded, length, data, dataOffset, sink, seen, stamp, bitmaps);
                }
            }
        }
        finally
        {
            if (null != bitmaps)
            {
                bitmaps.restore();
            }
        }
        return found;
    }

    private static int window(final byte[] folded, final int last)
    {
        int window = 0;
        for (int j = Math.max(0, last - 3); j <= last; j++)
        {
            window = (window << 8) | (folded[j] & 0xFF);
        }
        return window;
    }

    /** Positions whose 4-byte window hits: {@code position << 2 | 1}. */
    private int filterFour(final byte[] folded, final int length, final int[] candidates)
    {
        final long[] bitmap = four.bitmap;
        final int shift = four.bitmapShift;
        int window = 0;
        int hits = 0;
        for (int i = 0; i < length; i++)
        {
            window = (window << 8) | (folded[i] & 0xFF);
            final int h = (window * MULTIPLIER) >>> shift;
            final int hit = (int)(bitmap[h >>> 6] >>> h) & 1;
            candidates[hits] = (i << 2) | hit;
            hits += hit;
        }
        return hits;
    }

    /** Positions whose 4-byte window (bit 0) or last two bytes (bit 1, any short literal) hit. */
    private int filterAll(final byte[] folded, final int length, final int[] candidates)
    {
        final long[] bitmap = four.bitmap;
        final int shift = four.bitmapShift;
        final long[] any = shortAny;
        int window = 0;
        int hits = 0;
        for (int i = 0; i < length; i++)
        {
            window = (window << 8) | (folded[i] & 0xFF);
            final int h = (window * MULTIPLIER) >>> shift;
            final int pair = window & 0xFFFF;
            final int hit = ((int)(bitmap[h >>> 6] >>> h) & 1) | (((int)(any[pair >>> 6] >>> pair) & 1) << 1);
            candidates[hits] = (i << 2) | hit;
            hits += (hit | (hit >>> 1)) & 1;
        }
        return hits;
    }

    private int confirmShort(
        final int window,
        final int i,
        final byte[] folded,
        final int length,
        final MemorySegment data,
        final long dataOffset,
        final MatchSink sink,
        final int[] seen,
        final int stamp,
        final Live live)
    {
        int found = 0;
        for (int t = 0; t < shorter.length; t++)
        {
            final Windows windows = shorter[t];
            final int key = window & (int)((1L << (8 * windows.size)) - 1);
            final int bit = windows.bit(key);
            final long[] bitmap = null == live ? windows.bitmap : live.bitmaps[t];
            if (0 != (bitmap[bit >>> 6] & (1L << bit)))
            {
                found += confirm(windows, t, live, key, i, folded, length, data, dataOffset, sink, seen, stamp);
            }
        }
        return found;
    }

    /**
     * Copies the {@code length} bytes of {@code data} from {@code offset} into {@code folded} with A-Z turned
     * into a-z, eight bytes at a time.
     *
     * @param folded at least {@code length} rounded up to a multiple of 8 bytes long.
     */
    static void foldInto(final MemorySegment data, final long offset, final int length, final byte[] folded)
    {
        MemorySegment.copy(data, BYTE, offset, folded, 0, length);
        final int words = (length + 7) >>> 3;
        for (int w = 0; w < words; w++)
        {
            final long x = (long)LONGS.get(folded, w << 3);
            final long heptets = x & 0x7F7F7F7F7F7F7F7FL;
            final long atLeastA = heptets + 0x3F3F3F3F3F3F3F3FL;
            final long aboveZ = heptets + 0x2525252525252525L;
            final long upper = atLeastA & ~aboveZ & ~x & 0x8080808080808080L;
            LONGS.set(folded, w << 3, x | (upper >>> 2));
        }
    }

    /**
     * The window ending at {@code last} hit the bitmap: confirm the literals anchored on it. In a single-match
     * scan, a short window ({@code tier} 0 to 2) whose literals have all been reported is switched off in
     * {@code live}, unless its bitmap bit is shared with another window.
     */
    private int confirm(
        final Windows windows,
        final int tier,
        final Live live,
        final int key,
        final int last,
        final byte[] data,
        final int length,
        final MemorySegment original,
        final long originalOffset,
        final MatchSink sink,
        final int[] seen,
        final int stamp)
    {
        final int mask = windows.keys.length - 1;
        int slot = (key * MULTIPLIER) >>> windows.tableShift;
        while (windows.bucketStart[slot] >= 0 && windows.keys[slot] != key)
        {
            slot = (slot + 1) & mask;
        }
        if (windows.bucketStart[slot] < 0)
        {
            return 0;
        }
        int found = 0;
        boolean allSeen = true;
        for (int e = windows.bucketStart[slot], end = windows.bucketEnd[slot]; e < end; e++)
        {
            final int literal = entryLiteral[e];
            final int id = literalId[literal];
            if (null != seen && seen[id] == stamp)
            {
                continue;
            }
            final byte[] f = folded[literal];
            final int start = last - (windows.size - 1) - entryAnchor[e];
            if (start < 0 || start + f.length > length
                || (((long)LONGS.get(data, start) ^ entryHead[e]) & entryHeadMask[e]) != 0
                || (f.length > 8 && !Arrays.equals(data, start + 8, start + f.length, f, 8, f.length))
                || (null != exact[literal] && !exactAt(original, originalOffset + start, exact[literal])))
            {
                allSeen = false;
                continue;
            }
            if (null != seen)
            {
                seen[id] = stamp;
            }
            sink.onMatch(id, start + f.length);
            found++;
        }
        if (allSeen && null != live)
        {
            final int bit = windows.bit(key);
            if (0 == (windows.shared[bit >>> 6] & (1L << bit)))
            {
                live.switchOff(tier, bit);
            }
        }
        return found;
    }

    private static boolean exactAt(final MemorySegment data, final long start, final byte[] exact)
    {
        for (int j = 0; j < exact.length; j++)
        {
            if (data.get(BYTE, start + j) != exact[j])
            {
                return false;
            }
        }
        return true;
    }

    /** Bytes of the tables. */
    long memoryBytes()
    {
        long bytes = size(four);
        if (null != shorter)
        {
            for (final Windows w : shorter)
            {
                bytes += size(w);
            }
        }
        return bytes + 8L * entryLiteral.length;
    }

    private static long size(final Windows w)
    {
        return 8L * w.bitmap.length + 12L * w.keys.length;
    }
}
