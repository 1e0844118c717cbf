package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One group of literals as an Aho-Corasick automaton turned into a dense DFA, immutable once built.
 * <p>
 * The automaton runs on case-folded bytes (A-Z read as a-z), so that nocase literals and case-sensitive ones
 * share it; a case-sensitive literal is confirmed byte for byte when its state is reached. Bytes are first
 * mapped to classes (one per folded byte that occurs in some literal, one for all others), and the table
 * holds, for each state and class, the start of the next state's row: one dependent load per byte. States
 * that end a literal are numbered after all others, so a single compare tells the scan loop when to look
 * at outputs.
 */
final class AhoCorasick
{
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final int classes;
    private final int[] classOf;
    private final int[] next;
    private final int outputRow;
    private final int[] outputStart;
    private final int[] outputs;
    private final int[] literalId;
    private final byte[][] literalExact;
    private final int states;

    private AhoCorasick(
        final int classes,
        final int[] classOf,
        final int[] next,
        final int outputRow,
        final int[] outputStart,
        final int[] outputs,
        final int[] literalId,
        final byte[][] literalExact,
        final int states)
    {
        this.classes = classes;
        this.classOf = classOf;
        this.next = next;
        this.outputRow = outputRow;
        this.outputStart = outputStart;
        this.outputs = outputs;
        this.literalId = literalId;
        this.literalExact = literalExact;
        this.states = states;
    }

    static int fold(final int b)
    {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Builds the automaton of {@code literals} (not empty). */
    static AhoCorasick build(final List<Literal> literals)
    {
        final int[] classOf = new int[256];
        for (final Literal literal : literals)
        {
            for (int i = 0; i < literal.length(); i++)
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
            for (int i = 0; i < literal.length(); i++)
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

        // Renumber: states without outputs first (the root stays 0), then states with outputs.
        final int[] number = new int[count];
        int n = 0;
        for (int s = 0; s < count; s++)
        {
            if (0 == out[s].length)
            {
                number[s] = n++;
            }
        }
        final int firstOutput = n;
        for (int s = 0; s < count; s++)
        {
            if (0 != out[s].length)
            {
                number[s] = n++;
            }
        }
        if ((long)count * classes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("automaton too large: " + count + " states x " + classes + " classes");
        }
        final int[] next = new int[count * classes];
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
            for (int c = 0; c < classes; c++)
            {
                next[k * classes + c] = number[row[c]] * classes;
            }
            if (k >= firstOutput)
            {
                outputStart[k - firstOutput] = at;
                System.arraycopy(out[s], 0, outputs, at, out[s].length);
                at += out[s].length;
            }
        }
        outputStart[count - firstOutput] = at;

        final int[] literalId = new int[literals.size()];
        final byte[][] literalExact = new byte[literals.size()][];
        for (int l = 0; l < literals.size(); l++)
        {
            final Literal literal = literals.get(l);
            literalId[l] = literal.id();
            literalExact[l] = literal.nocase() || !hasLetter(literal) ? null : literal.bytes();
        }
        return new AhoCorasick(classes, classOf, next, firstOutput * classes, outputStart, outputs, literalId,
            literalExact, count);
    }

    /**
     * Runs the automaton over the {@code length} bytes of {@code data} from {@code offset}; end offsets count
     * from {@code offset}.
     *
     * @param seen  with {@code stamp}: literals already reported in this scan (single-match mode), or null.
     */
    int scan(final MemorySegment data, final long offset, final int length, final MatchSink sink, final int[] seen,
        final int stamp)
    {
        final int[] next = this.next;
        final int[] classOf = this.classOf;
        final int outputRow = this.outputRow;
        final long end = offset + length;
        int row = 0;
        int found = 0;
        for (long i = offset; i < end; i++)
        {
            row = next[row + classOf[data.get(BYTE, i) & 0xFF]];
            if (row >= outputRow)
            {
                found += report(row, data, offset, i + 1, sink, seen, stamp);
            }
        }
        return found;
    }

    private int report(
        final int row,
        final MemorySegment data,
        final long origin,
        final long end,
        final MatchSink sink,
        final int[] seen,
        final int stamp)
    {
        final int state = (row - outputRow) / classes;
        int found = 0;
        for (int k = outputStart[state], last = outputStart[state + 1]; k < last; k++)
        {
            final int literal = outputs[k];
            final byte[] exact = literalExact[literal];
            if (null != exact && !equalsAt(data, end - exact.length, exact))
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
            sink.onMatch(id, (int)(end - origin));
            found++;
        }
        return found;
    }

    private static boolean equalsAt(final MemorySegment data, final long from, final byte[] exact)
    {
        for (int i = 0; i < exact.length; i++)
        {
            if (data.get(BYTE, from + i) != exact[i])
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
        return 4L * (next.length + classOf.length + outputStart.length + outputs.length + literalId.length);
    }
}
