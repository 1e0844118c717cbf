package io.opensase.ips.match;

import io.opensase.ips.rules.StateOp;

import java.util.List;

/**
 * The second phase of a match, one per worker: it takes the rules verification passed, in evaluation order
 * ({@link EvaluationOrder}), and decides which of them matched and which of those alert, as Suricata does
 * after a signature's packet and payload keywords held:
 * <ol>
 * <li>its {@code flowbits} and {@code xbits} tests must hold on the state as it is now, that is with the
 *     updates of the rules before it on this packet;</li>
 * <li>then the rule has matched, and its {@code flowbits}/{@code xbits} updates are applied, whatever
 *     follows (with {@code noalert}, and under a threshold, too);</li>
 * <li>{@code noalert} makes it {@link #SILENT}; otherwise {@code threshold} or {@code detection_filter}
 *     count it, and it is {@link #ALERT}, {@link #SILENT} (over a {@code limit}: the action still applies) or
 *     suppressed (below a {@code threshold} or {@code detection_filter} count: neither action nor alert;
 *     left out of the results);</li>
 * <li>after a {@code pass} rule matched, later rules still apply their updates, but are not reported, as
 *     Suricata drops the alerts behind a pass.</li>
 * </ol>
 * Flowbits live in the worker's {@link FlowBits}; xbits and threshold counters in the matcher's shared
 * {@link HostTable}, keyed by the packet's addresses and timed by its capture time, never the wall clock.
 */
final class PostMatch
{
    /** The rule matched and alerts (and its action applies). */
    static final byte ALERT = 0;
    /** The rule matched; its action applies but it raises no alert ({@code noalert}, over a limit). */
    static final byte SILENT = 1;
    private static final byte SUPPRESSED = 2;

    /** Host table tag kinds (bits 62..60). */
    private static final long KIND_HOSTBIT = 1L << 60;
    private static final long KIND_PAIRBIT = 2L << 60;
    private static final long KIND_RATE = 3L << 60;

    /** Rate state: count in the high 24 bits, window start (ms since the table base) in the low 40. */
    private static final int START_BITS = 40;
    private static final long START_MASK = (1L << START_BITS) - 1;
    private static final long MAX_COUNT = (1L << (64 - START_BITS)) - 1;

    private final FlowBits flowBits;
    private final HostTable hosts;
    private final int[] matched;
    private final byte[] outcomes;
    private int count;
    private long nextState;
    private long suppressed;
    private long hostTableFull;
    private long foreignFlowHandles;

    PostMatch(final FlowBits flowBits, final HostTable hosts, final int rules)
    {
        this.flowBits = flowBits;
        this.hosts = hosts;
        this.matched = new int[rules];
        this.outcomes = new byte[rules];
    }

    /**
     * @param verified rule indexes whose packet and payload keywords held, ascending (evaluation order).
     * @return how many rules matched and are reported; read them with {@link #rule(int)} and {@link #outcome(int)}.
     */
    int run(final List<CompiledRule> rules, final int[] verified, final int n, final MatchInput in)
    {
        count = 0;
        boolean passed = false;
        for (int v = 0; v < n; v++)
        {
            final CompiledRule rule = rules.get(verified[v]);
            if (!tests(rule, in))
            {
                continue;
            }
            update(rule, in);
            if (passed)
            {
                continue;
            }
            final byte outcome = rule.noalert ? SILENT : null == rule.rate ? ALERT : rate(rule, in);
            if (SUPPRESSED == outcome)
            {
                suppressed++;
                continue;
            }
            matched[count] = rule.index;
            outcomes[count++] = outcome;
            passed = rule.pass;
        }
        return count;
    }

    int rule(final int i)
    {
        return matched[i];
    }

    byte outcome(final int i)
    {
        return outcomes[i];
    }

    void newFlow(final int flow)
    {
        flowBits.clear(flow);
    }

    long suppressed()
    {
        return suppressed;
    }

    long hostTableFull()
    {
        return hostTableFull;
    }

    long foreignFlowHandles()
    {
        return foreignFlowHandles;
    }

    private boolean tests(final CompiledRule rule, final MatchInput in)
    {
        for (final CompiledRule.BitOp op : rule.bitTests)
        {
            final boolean isset = op.command == StateOp.Command.ISSET;
            boolean any = false;
            for (int b = 0; b < op.bits.length && !any; b++)
            {
                final int state = bit(op, op.bits[b], in);
                if (state < 0)
                {
                    return false;
                }
                any = isset == (1 == state);
            }
            if (!any)
            {
                return false;
            }
        }
        return true;
    }

    /** 1 when the bit is set, 0 when not, -1 when the input has no flow or addresses to hold it. */
    private int bit(final CompiledRule.BitOp op, final int bit, final MatchInput in)
    {
        if (CompiledRule.BitOp.FLOW == op.scope)
        {
            if (!flowBits.has(in.flowHandle))
            {
                foreignFlowHandles += MatchInput.NO_FLOW == in.flowHandle ? 0 : 1;
                return -1;
            }
            return flowBits.isSet(in.flowHandle, bit) ? 1 : 0;
        }
        if (!in.hasAddresses)
        {
            return -1;
        }
        final int at = hostEntry(op, bit, in, false);
        return at >= 0 && hosts.state(at) > hosts.millis(in.timeNs) ? 1 : 0;
    }

    private void update(final CompiledRule rule, final MatchInput in)
    {
        for (final CompiledRule.BitOp op : rule.bitUpdates)
        {
            final int bit = op.bits[0];
            if (CompiledRule.BitOp.FLOW == op.scope)
            {
                if (!flowBits.has(in.flowHandle))
                {
                    continue;
                }
                switch (op.command)
                {
                    case SET -> flowBits.set(in.flowHandle, bit);
                    case UNSET -> flowBits.unset(in.flowHandle, bit);
                    case TOGGLE -> flowBits.toggle(in.flowHandle, bit);
                    case ISSET, ISNOTSET -> { }
                }
                continue;
            }
            if (!in.hasAddresses)
            {
                continue;
            }
            final int at = hostEntry(op, bit, in, true);
            if (at < 0)
            {
                hostTableFull++;
                continue;
            }
            // The state is the time the bit expires (ms since the table base); 0 or a past time: not set.
            final long now = hosts.millis(in.timeNs);
            final long deadline = now + op.expireMs;
            long state;
            long next;
            do
            {
                state = hosts.state(at);
                next = switch (op.command)
                {
                    case SET -> deadline;
                    case UNSET -> 0;
                    case TOGGLE -> state > now ? 0 : deadline;
                    case ISSET, ISNOTSET -> state;
                };
            }
            while (!hosts.compareAndSet(at, state, next));
        }
    }

    /** The host table entry of an xbit: the host's for ip_src/ip_dst, the pair's (ordered) for ip_pair. */
    private int hostEntry(final CompiledRule.BitOp op, final int bit, final MatchInput in, final boolean claim)
    {
        return switch (op.scope)
        {
            case CompiledRule.BitOp.HOST_SRC -> lookup(KIND_HOSTBIT | bit, in.srcHi, in.srcLo, 0, 0, claim);
            case CompiledRule.BitOp.HOST_DST -> lookup(KIND_HOSTBIT | bit, in.dstHi, in.dstLo, 0, 0, claim);
            default -> srcFirst(in)
                ? lookup(KIND_PAIRBIT | bit, in.srcHi, in.srcLo, in.dstHi, in.dstLo, claim)
                : lookup(KIND_PAIRBIT | bit, in.dstHi, in.dstLo, in.srcHi, in.srcLo, claim);
        };
    }

    private int lookup(final long tag, final long a0, final long a1, final long a2, final long a3,
        final boolean claim)
    {
        return claim ? hosts.entry(tag, a0, a1, a2, a3) : hosts.find(tag, a0, a1, a2, a3);
    }

    private static boolean srcFirst(final MatchInput in)
    {
        final int hi = Long.compareUnsigned(in.srcHi, in.dstHi);
        return hi < 0 || (0 == hi && Long.compareUnsigned(in.srcLo, in.dstLo) <= 0);
    }

    /**
     * Counts the match under the rule's threshold or detection filter (one counter per rule and tracked
     * address, shared by all workers) and decides its outcome, as Suricata's thresholding does: a window
     * opens at the first match and lasts the rule's seconds (a match at its last instant still counts in
     * it); a match after it opens the next.
     */
    private byte rate(final CompiledRule rule, final MatchInput in)
    {
        final CompiledRule.Rate r = rule.rate;
        final long tag = KIND_RATE | ((long)r.track.ordinal() << 32) | rule.index;
        final int at = switch (r.track)
        {
            case BY_SRC -> hosts.entry(tag, in.srcHi, in.srcLo, 0, 0);
            case BY_DST -> hosts.entry(tag, in.dstHi, in.dstLo, 0, 0);
            case BY_RULE -> hosts.entry(tag, 0, 0, 0, 0);
            case BY_BOTH -> srcFirst(in)
                ? hosts.entry(tag, in.srcHi, in.srcLo, in.dstHi, in.dstLo)
                : hosts.entry(tag, in.dstHi, in.dstLo, in.srcHi, in.srcLo);
        };
        if (at < 0)
        {
            // No room to count: alert rather than go blind, and count it.
            hostTableFull++;
            return ALERT;
        }
        final long now = hosts.millis(in.timeNs) & START_MASK;
        long state;
        byte outcome;
        do
        {
            state = hosts.state(at);
            outcome = decide(r, state, now);
        }
        while (!hosts.compareAndSet(at, state, nextState));
        return outcome;
    }

    /** The outcome of one more match on {@code state} at {@code now}; the new state goes to {@link #nextState}. */
    private byte decide(final CompiledRule.Rate r, final long state, final long now)
    {
        final long c = r.count;
        if (0 == state || now > (state & START_MASK) + r.windowMs)
        {
            // First match, or the window is over: a new window with this match as its first.
            nextState = (1L << START_BITS) | now;
            return switch (r.type)
            {
                case CompiledRule.Rate.LIMIT -> ALERT;
                case CompiledRule.Rate.THRESHOLD, CompiledRule.Rate.BOTH -> 1 == c ? ALERT : SUPPRESSED;
                default -> SUPPRESSED;
            };
        }
        final long matches = Math.min(MAX_COUNT, (state >>> START_BITS) + 1);
        nextState = (matches << START_BITS) | (state & START_MASK);
        switch (r.type)
        {
            case CompiledRule.Rate.LIMIT:
                return matches <= c ? ALERT : SILENT;
            case CompiledRule.Rate.THRESHOLD:
                if (matches >= c)
                {
                    // Every c-th match alerts; the count starts again, the window does not.
                    nextState = state & START_MASK;
                    return ALERT;
                }
                return SUPPRESSED;
            case CompiledRule.Rate.BOTH:
                return matches == c ? ALERT : matches > c ? SILENT : SUPPRESSED;
            default:
                return matches > c ? ALERT : SUPPRESSED;
        }
    }
}
