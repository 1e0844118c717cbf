package io.opensase.ips.match;

import java.util.Arrays;

/**
 * The payload literals the prefilter found in each stream direction's last windows, so that the bytes a window
 * repeats from the one before (the overlap kept in front of new stream bytes so that a pattern across their
 * boundary lies in one window) are not scanned again. Up to 2 KiB of each window are such bytes: on the shared
 * captures they were about a third of the bytes the payload prefilter scanned (BENCHMARKS §25).
 * <p>
 * A window of stream offsets {@code [start, end)} whose new bytes begin at {@code newAt} is scanned from
 * {@code newAt - lookback} only (lookback: the longest payload literal less one, so that a literal ending among
 * the new bytes is found whole), when the windows before covered {@code [start, newAt)} without a break: then
 * every literal lying wholly in {@code [start, newAt)} was found by one of them and is kept here with the end of
 * the window that found it, and is made a candidate again if that end is past {@code start}. A kept literal
 * may lie before {@code start} after all; it is one more candidate, which verification on the window refuses.
 * So the candidates are a superset of a full scan's and the rules that hold are the same. Any doubt (no window
 * before, a gap, a window that does not continue the last one, more literals than a direction keeps, another
 * matcher after a reload, a stream slot given to another flow, other port groups) makes the window scanned
 * whole.
 * <p>
 * Per direction {@value #KEPT} literals at most; made once, nothing allocated per window; owned by one worker
 * thread, used by the matcher worker it is handed to through {@link MatchInput#streamWindow}.
 */
public final class StreamLiterals
{
    /** Literals kept per direction; a window finding more leaves the next window scanned whole. */
    static final int KEPT = 32;
    private static final long NOTHING = Long.MAX_VALUE;

    /** Per direction: stream offset the windows covered from, and up to; NOTHING when they cover nothing. */
    private final long[] coveredFrom;
    private final long[] coveredTo;
    /** Per direction: the matcher generation its literals belong to. */
    private final int[] generationOf;
    /** Per direction: the port groups the windows were scanned with besides the payload's ({@link #covers}). */
    private final long[] portGroupsOf;
    private final int[] count;
    /** Per direction, {@link #KEPT} slots: a literal id and the end of the window that found it. */
    private final int[] ids;
    private final long[] foundBy;
    private Object matcher;
    private int generation;

    /** @param directions stream directions numbered from 0 (two per stream). */
    public StreamLiterals(final int directions)
    {
        coveredFrom = new long[directions];
        coveredTo = new long[directions];
        generationOf = new int[directions];
        portGroupsOf = new long[directions];
        count = new int[directions];
        ids = new int[directions * KEPT];
        foundBy = new long[directions * KEPT];
        Arrays.fill(coveredFrom, NOTHING);
    }

    /** The stream of these directions now carries another flow (or none): its windows start over. */
    public void forget(final int direction)
    {
        coveredFrom[direction] = NOTHING;
        count[direction] = 0;
    }

    /**
     * True when the windows before covered {@code [start, newAt)} for {@code owner}'s literals, scanned with the
     * same {@code portGroups} (the port groups a window is scanned with follow the ports of the packet it is
     * inspected on, which a packet going the other way reverses): the caller then scans from the new bytes less
     * its lookback and calls {@link #replay}; else it calls {@link #restart}.
     */
    boolean covers(final Object owner, final int direction, final long start, final long newAt,
        final long portGroups)
    {
        return owner == matcher && generationOf[direction] == generation && newAt > start
            && coveredTo[direction] == newAt && coveredFrom[direction] <= start
            && portGroupsOf[direction] == portGroups;
    }

    /**
     * Makes each kept literal found by a window ending past {@code start} a candidate (its {@code end} given as
     * 0: the matcher does not use it), and lets the others go: no later window reaches back before this one.
     */
    void replay(final int direction, final long start, final MatchSink sink)
    {
        final int base = direction * KEPT;
        int kept = 0;
        for (int i = 0, n = count[direction]; i < n; i++)
        {
            if (foundBy[base + i] > start)
            {
                ids[base + kept] = ids[base + i];
                foundBy[base + kept] = foundBy[base + i];
                kept++;
                sink.onMatch(ids[base + i], 0);
            }
        }
        count[direction] = kept;
        coveredFrom[direction] = start;
    }

    /**
     * The window from {@code start} is scanned whole for {@code owner}'s literals, with {@code portGroups}: what
     * was kept goes.
     */
    void restart(final Object owner, final int direction, final long start, final long portGroups)
    {
        portGroupsOf[direction] = portGroups;
        if (owner != matcher)
        {
            matcher = owner;
            generation++;
        }
        generationOf[direction] = generation;
        count[direction] = 0;
        coveredFrom[direction] = start;
    }

    /** A literal the scan of the window ending at {@code end} found. */
    void found(final int direction, final int literalId, final long end)
    {
        final int base = direction * KEPT;
        final int n = count[direction];
        for (int i = 0; i < n; i++)
        {
            if (ids[base + i] == literalId)
            {
                foundBy[base + i] = end;
                return;
            }
        }
        if (n == KEPT)
        {
            coveredFrom[direction] = NOTHING;
            return;
        }
        ids[base + n] = literalId;
        foundBy[base + n] = end;
        count[direction] = n + 1;
    }

    /** The window's scan ended: the windows now cover up to {@code end}. */
    void scanned(final int direction, final long end)
    {
        coveredTo[direction] = end;
    }
}
