package io.opensase.ips.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One group of literals as an Aho-Corasick automaton turned into a dense DFA, immutable once built.
 * <p>
 * The automaton runs on case-folded bytes (A-Z read as a-z), so that nocase literals and case-sensitive ones
 * share it; a case-sensitive literal is confirmed byte for byte when its state is reached. The table holds,
 * for each state and each byte value, the next state as a 16-bit number ({@code char}), so a step is one
 * dependent load of {@code next[state << 8 | byte]} and the table is half the size an {@code int} one would
 * be (BENCHMARKS.md section 24); the case folding is in the table. States that end a literal are numbered
 * after all others, so a single compare tells the scan loop when to look at outputs. A literal longer than
 * {@link #PREFIX} bytes enters the automaton by its first {@link #PREFIX} bytes and the rest is confirmed
 * when they are found, which bounds the overlap the scan's lanes need. Literals needing more than
 * {@link #MAX_STATES} states are split over several automata by {@link #buildAll}.
 */
final class AhoCorasick
{
    /** At most this many of a literal's first bytes are in the automaton. */
    static final int PREFIX = 32;
    /** States a 16-bit state number can name. */
    static final int MAX_STATES = 1 << 16;
    /** Buffers shorter than this plus three times the lanes' overlap are scanned as one lane. */
    private static final int LANES_FROM = 256;

    private final char[] next;
    private final int firstOutput;
    private final int[] outputStart;
    private final int[] outputs;
    private final int[] literalId;
    private final byte[][] literalExact;
    /** Per literal: its length, and for one longer than {@link #PREFIX} its folded bytes, else null. */
    private final int[] literalLength;
    private final byte[][] literalFolded;
    private final int states;
    private final int classes;
    /** Bytes of the longest literal prefix in the automaton. */
    private final int longest;

    private AhoCorasick(
        final char[] next,
        final int firstOutput,
        final int[] outputStart,
        final int[] outputs,
        final int[] literalId,
        final byte[][] literalExact,
        final int[] literalLength,
        final byte[][] literalFolded,
        final int states,
        final int classes,
        final int longest)
    {
        this.next = next;
        this.firstOutput = firstOutput;
        this.outputStart = outputStart;
        this.outputs = outputs;
        this.literalId = literalId;
        this.literalExact = literalExact;
        this.literalLength = literalLength;
        this.literalFolded = literalFolded;
        this.states = states;
        this.classes = classes;
        this.longest = longest;
    }

    static int fold(final int b)
    {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /**
     * The automata of {@code literals} (not empty): one, or, when they need more than {@link #MAX_STATES}
     * states, the automata of each half, recursively.
     */
    static List<AhoCorasick> buildAll(final List<Literal> literals)
    {
        final AhoCorasick whole = build(literals);
        if (null != whole)
        {
            return List.of(whole);
        }
        final List<AhoCorasick> parts = new ArrayList<>(buildAll(literals.subList(0, literals.size() / 2)));
        parts.addAll(buildAll(literals.subList(literals.size() / 2, literals.size())));
        return parts;
    }

    /** The automaton of {@code literals} (not empty), or null when it needs more than {@link #MAX_STATES}. */
    private static AhoCorasick build(final List<Literal> literals)
    {
        final int[] classOf = new int[256];
        for (final Literal literal : literals)
        {
            for (int i = 0, prefix = Math.min(PREFIX, literal.length()); i < prefix; i++)
            {
                classOf[fold(literal.byteAt(i) & 0xFF)] = 1;
            }
        }
        int classes = 1;
        for (int b = 0; b < 256; b++)
        {
            if (0 != classOf[b])
            {
                classOf[b] = classes++;
            }
        }
        for (int b = 'A'; b <= 'Z'; b++)
        {
            classOf[b] = classOf[b + 32];
        }

        // The trie: node 0 is the root; child 0 means none (the root is nobody's child).
        final List<int[]> child = new ArrayList<>();
        final List<int[]> own = new ArrayList<>();
        child.add(new int[classes]);
        own.add(new int[0]);
        for (int l = 0; l < literals.size(); l++)
        {
            final Literal literal = literals.get(l);
            int node = 0;
            for (int i = 0, prefix = Math.min(PREFIX, literal.length()); i < prefix; i++)
            {
                final int c = classOf[literal.byteAt(i) & 0xFF];
                int to = child.get(node)[c];
                if (0 == to)
                {
                    to = child.size();
                    child.add(new int[classes]);
                    own.add(new int[0]);
                    child.get(node)[c] = to;
                }
                node = to;
            }
            final int[] o = own.get(node);
            final int[] grown = Arrays.copyOf(o, o.length + 1);
            grown[o.length] = l;
            own.set(node, grown);
        }

        if (child.size() > MAX_STATES)
        {
            return null; // a single literal needs at most PREFIX + 1 states, so halving ends
        }

        // Breadth first: failure links, full transitions (child rows become DFA rows) and output lists.
        final int count = child.size();
        final int[] fail = new int[count];
        final int[][] out = new int[count][];
        final int[] queue = new int[count];
        int head = 0;
        int tail = 0;
        out[0] = own.get(0);
        final int[] rootRow = child.get(0);
        for (int c = 0; c < classes; c++)
        {
            if (0 != rootRow[c])
            {
                fail[rootRow[c]] = 0;
                queue[tail++] = rootRow[c];
            }
        }
        while (head < tail)
        {
            final int s = queue[head++];
            out[s] = concat(own.get(s), out[fail[s]]);
            final int[] row = child.get(s);
            final int[] failRow = child.get(fail[s]);
            for (int c = 0; c < classes; c++)
            {
                final int to = row[c];
                if (0 != to)
                {
                    fail[to] = failRow[c];
                    queue[tail++] = to;
                }
                else
                {
                    row[c] = failRow[c];
                }
            }
        }

        // Renumber: states without outputs first (the root stays 0), then states with outputs, each part in
        // breadth-first order, so that the shallow states a scan mostly visits share cache lines and pages.
        final int[] number = new int[count];
        int n = 1;
        for (int q = 0; q < tail; q++)
        {
            if (0 == out[queue[q]].length)
            {
                number[queue[q]] = n++;
            }
        }
        final int firstOutput = n;
        for (int q = 0; q < tail; q++)
        {
            if (0 != out[queue[q]].length)
            {
                number[queue[q]] = n++;
            }
        }
        final char[] next = new char[count << 8];
        final int[] outputStart = new int[count - firstOutput + 1];
        int outputTotal = 0;
        for (int s = 0; s < count; s++)
        {
            outputTotal += out[s].length;
        }
        final int[] outputs = new int[outputTotal];
        final int[] byNumber = new int[count];
        for (int s = 0; s < count; s++)
        {
            byNumber[number[s]] = s;
        }
        int at = 0;
        for (int k = 0; k < count; k++)
        {
            final int s = byNumber[k];
            final int[] row = child.get(s);
            for (int b = 0; b < 256; b++)
            {
                next[k << 8 | b] = (char)number[row[classOf[b]]];
            }
            if (k >= firstOutput)
            {
                outputStart[k - firstOutput] = at;
                System.arraycopy(out[s], 0, outputs, at, out[s].length);
                at += out[s].length;
            }
        }
        outputStart[count - firstOutput] = at;

        int longest = 0;
        final int[] literalId = new int[literals.size()];
        final byte[][] literalExact = new byte[literals.size()][];
        final int[] literalLength = new int[literals.size()];
        final byte[][] literalFolded = new byte[literals.size()][];
        for (int l = 0; l < literals.size(); l++)
        {
            final Literal literal = literals.get(l);
            literalId[l] = literal.id();
            literalExact[l] = literal.nocase() || !hasLetter(literal) ? null : literal.bytes();
            literalLength[l] = literal.length();
            if (literal.length() > PREFIX)
            {
                literalFolded[l] = new byte[literal.length()];
                for (int i = 0; i < literal.length(); i++)
                {
                    literalFolded[l][i] = (byte)fold(literal.byteAt(i) & 0xFF);
                }
            }
            longest = Math.max(longest, Math.min(PREFIX, literal.length()));
        }
        return new AhoCorasick(next, firstOutput, outputStart, outputs, literalId, literalExact, literalLength,
            literalFolded, count, classes, longest);
    }

    /**
     * Runs the automaton over the first {@code length} bytes of {@code text}, a copy of the bytes scanned in
     * a heap array: reading them one by one from their memory segment cost a liveness and bounds check per
     * byte, about a sixth of the scan (JFR, BENCHMARKS.md section 24).
     * <p>
     * A buffer long enough is scanned as four lanes, about its quarters, in one loop: each byte's step is a
     * table load that depends on the one before, so one lane waits on memory, and independent lanes overlap
     * their waits. Each lane but the first starts {@link #longest} - 1 bytes before its part, enough to be in
     * the state any literal prefix ending in its part needs, and reports only literals whose prefix ends in
     * its part. In single-match mode the occurrence reported may therefore be a later one than the
     * first; the literals reported are the same.
     *
     * @param seen  with {@code stamp}: literals already reported in this scan (single-match mode), or null.
     */
    int scan(final byte[] text, final int length, final MatchSink sink, final int[] seen, final int stamp)
    {
        final int overlap = longest - 1;
        if (length < LANES_FROM + 3 * overlap)
        {
            return scanOneLane(text, length, sink, seen, stamp);
        }
        final char[] next = this.next;
        final int firstOutput = this.firstOutput;
        // Four lanes of `lane` steps: lane k starts at p[k] (p[0] = 0, p[3] ends at the buffer's end) and
        // reports the literals whose prefix ends past q[k] = p[k] + overlap and up to q[k + 1] (q[0] = 0,
        // q[4] = length). A lane is long enough to reach the next one's q: p[k + 1] - p[k] <= lane - overlap.
        final int lane = (length + 3 * overlap + 3) >>> 2;
        final int spread = length - lane;
        int p1 = spread / 3;
        int p2 = 2 * spread / 3;
        int p3 = spread;
        final int q1 = p1 + overlap;
        final int q2 = p2 + overlap;
        final int q3 = p3 + overlap;
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        int found = 0;
        for (int i = 0; i < lane; i++, p1++, p2++, p3++)
        {
            s0 = next[s0 << 8 | text[i] & 0xFF];
            s1 = next[s1 << 8 | text[p1] & 0xFF];
            s2 = next[s2 << 8 | text[p2] & 0xFF];
            s3 = next[s3 << 8 | text[p3] & 0xFF];
            if (s0 >= firstOutput && i < q1)
            {
                found += report(s0, text, length, i + 1, sink, seen, stamp);
            }
            if (s1 >= firstOutput && p1 >= q1 && p1 < q2)
            {
                found += report(s1, text, length, p1 + 1, sink, seen, stamp);
            }
            if (s2 >= firstOutput && p2 >= q2 && p2 < q3)
            {
                found += report(s2, text, length, p2 + 1, sink, seen, stamp);
            }
            if (s3 >= firstOutput && p3 >= q3)
            {
                found += report(s3, text, length, p3 + 1, sink, seen, stamp);
            }
        }
        return found;
    }

    private int scanOneLane(final byte[] text, final int length, final MatchSink sink, final int[] seen,
        final int stamp)
    {
        final char[] next = this.next;
        final int firstOutput = this.firstOutput;
        int state = 0;
        int found = 0;
        for (int i = 0; i < length; i++)
        {
            state = next[state << 8 | text[i] & 0xFF];
            if (state >= firstOutput)
            {
                found += report(state, text, length, i + 1, sink, seen, stamp);
            }
        }
        return found;
    }

    /** Reports the literals of the output state {@code state} reached at {@code prefixEnd}. */
    private int report(final int state, final byte[] text, final int length, final int prefixEnd,
        final MatchSink sink, final int[] seen, final int stamp)
    {
        final int output = state - firstOutput;
        int found = 0;
        for (int k = outputStart[output], last = outputStart[output + 1]; k < last; k++)
        {
            final int literal = outputs[k];
            final int start = prefixEnd - Math.min(PREFIX, literalLength[literal]);
            final int end = start + literalLength[literal];
            if (end > length || !confirmed(literal, text, start, end))
            {
                continue;
            }
            final int id = literalId[literal];
            if (null != seen)
            {
                if (seen[id] == stamp)
                {
                    continue;
                }
                seen[id] = stamp;
            }
            sink.onMatch(id, end);
            found++;
        }
        return found;
    }

    /** Whether {@code text[start..end)} is the literal: its case where it has one, the bytes past the prefix. */
    private boolean confirmed(final int literal, final byte[] text, final int start, final int end)
    {
        final byte[] exact = literalExact[literal];
        if (null != exact)
        {
            return Arrays.equals(text, start, end, exact, 0, exact.length);
        }
        final byte[] folded = literalFolded[literal];
        if (null == folded)
        {
            return true;
        }
        for (int i = PREFIX; i < folded.length; i++)
        {
            if (fold(text[start + i] & 0xFF) != (folded[i] & 0xFF))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLetter(final Literal literal)
    {
        for (int i = 0; i < literal.length(); i++)
        {
            final int b = literal.byteAt(i) & 0xFF;
            if (fold(b) != b || (b >= 'a' && b <= 'z'))
            {
                return true;
            }
        }
        return false;
    }

    private static int[] concat(final int[] a, final int[] b)
    {
        if (0 == b.length)
        {
            return a;
        }
        if (0 == a.length)
        {
            return b;
        }
        final int[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    int states()
    {
        return states;
    }

    int classes()
    {
        return classes;
    }

    /** Bytes of the tables. */
    long memoryBytes()
    {
        long confirmations = 0;
        for (int l = 0; l < literalId.length; l++)
        {
            confirmations += (null == literalExact[l] ? 0 : literalExact[l].length)
                + (null == literalFolded[l] ? 0 : literalFolded[l].length);
        }
        return 2L * next.length + 4L * (outputStart.length + outputs.length + literalId.length
            + literalLength.length) + confirmations;
    }
}
