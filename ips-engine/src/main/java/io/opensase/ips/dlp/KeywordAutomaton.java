package io.opensase.ips.dlp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho-Corasick automaton (Aho and Corasick, "Efficient string matching: an aid to bibliographic search",
 * CACM 18(6), 1975) over ASCII case-folded bytes, compiled to a full DFA on byte classes so that each input
 * byte is one table load. A state is the offset of its row in the table; a step's result has its sign bit set
 * when the new state ends a term. Immutable once built; the caller keeps the state per flow (start: 0).
 */
final class KeywordAutomaton
{
    /** Mask clearing the "ends a term" bit of a step's result. */
    static final int STATE = Integer.MAX_VALUE;

    private final byte[] byteClass = new byte[256];
    private final int classes;
    private final int[] next;
    /** Term ids ending in each state (own and through failure links), or null. */
    private final int[][] outputs;
    private final int[] termLength;

    KeywordAutomaton(final List<String> terms)
    {
        termLength = new int[terms.size()];
        int classCount = 1;
        for (final String term : terms)
        {
            for (int i = 0; i < term.length(); i++)
            {
                final int c = fold(term.charAt(i));
                if (byteClass[c] == 0)
                {
                    byteClass[c] = (byte)classCount++;
                }
            }
        }
        for (int c = 'A'; c <= 'Z'; c++)
        {
            byteClass[c] = byteClass[c + 32];
        }
        classes = classCount;

        final List<int[]> goto_ = new ArrayList<>();
        final List<List<Integer>> out = new ArrayList<>();
        goto_.add(newRow());
        out.add(new ArrayList<>());
        for (int t = 0; t < terms.size(); t++)
        {
            final String term = terms.get(t);
            termLength[t] = term.length();
            int s = 0;
            for (int i = 0; i < term.length(); i++)
            {
                final int cls = byteClass[fold(term.charAt(i))];
                if (goto_.get(s)[cls] < 0)
                {
                    goto_.get(s)[cls] = goto_.size();
                    goto_.add(newRow());
                    out.add(new ArrayList<>());
                }
                s = goto_.get(s)[cls];
            }
            out.get(s).add(t);
        }

        final int states = goto_.size();
        next = new int[states * classes];
        final int[] fail = new int[states];
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int cls = 0; cls < classes; cls++)
        {
            final int child = goto_.get(0)[cls];
            next[cls] = Math.max(child, 0);
            if (child > 0)
            {
                queue.add(child);
            }
        }
        while (!queue.isEmpty())
        {
            final int s = queue.poll();
            out.get(s).addAll(out.get(fail[s]));
            for (int cls = 0; cls < classes; cls++)
            {
                final int child = goto_.get(s)[cls];
                if (child > 0)
                {
                    fail[child] = next[fail[s] * classes + cls];
                    next[s * classes + cls] = child;
                    queue.add(child);
                }
                else
                {
                    next[s * classes + cls] = next[fail[s] * classes + cls];
                }
            }
        }
        outputs = new int[states][];
        for (int s = 0; s < states; s++)
        {
            outputs[s] = out.get(s).isEmpty() ? null : out.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        for (int i = 0; i < next.length; i++)
        {
            next[i] = next[i] * classes | (null == outputs[next[i]] ? 0 : Integer.MIN_VALUE);
        }
    }

    /** The next state's row offset, with the sign bit set when that state ends a term ({@link #STATE} clears it). */
    int step(final int state, final byte b)
    {
        return next[state + byteClass[b & 0xff]];
    }

    /** Terms ending in the state at row offset {@code state}. */
    int[] outputs(final int state)
    {
        return outputs[state / classes];
    }

    int termLength(final int term)
    {
        return termLength[term];
    }

    private int[] newRow()
    {
        final int[] row = new int[classes];
        Arrays.fill(row, -1);
        return row;
    }

    private static int fold(final char c)
    {
        return c >= 'A' && c <= 'Z' ? c + 32 : c & 0xff;
    }
}
