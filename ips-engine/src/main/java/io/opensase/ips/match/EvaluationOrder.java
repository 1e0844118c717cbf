package io.opensase.ips.match;

import io.opensase.ips.rules.Action;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.StateOp;

import java.util.Comparator;

/**
 * The order in which rules are evaluated on a packet, Suricata's signature ordering: by action (pass, drop,
 * reject, alert: its default action order), then by use of {@code flowbits}, of host {@code xbits}
 * ({@code track ip_src/ip_dst}, Suricata's hostbits) and of pair {@code xbits} ({@code track ip_pair}): rules
 * that only update the bits first, then rules that update and test them, then rules that only test them,
 * then rules without; then by {@code priority} (1 first); ties keep the order the rules were given in.
 * So a rule that sets a bit runs before a rule of the same action that tests it, and the test sees the bit
 * set on the same packet.
 */
final class EvaluationOrder
{
    /** Bit use, in evaluation order. */
    private static final int ONLY_UPDATES = 0;
    private static final int UPDATES_AND_TESTS = 1;
    private static final int ONLY_TESTS = 2;
    private static final int NONE = 3;

    /** Compares two rules; stable sorting keeps the input order of ties. */
    static final Comparator<Rule> COMPARATOR = Comparator
        .comparingInt((Rule r) -> action(r.header().action()))
        .thenComparingInt(r -> bitUse(r, Scope.FLOW))
        .thenComparingInt(r -> bitUse(r, Scope.HOST))
        .thenComparingInt(r -> bitUse(r, Scope.PAIR))
        .thenComparingInt(r -> r.meta().priority());

    private enum Scope
    {
        FLOW,
        HOST,
        PAIR
    }

    private EvaluationOrder()
    {
    }

    private static int action(final Action action)
    {
        return switch (action)
        {
            case PASS -> 0;
            case DROP -> 1;
            case REJECT -> 2;
            case ALERT -> 3;
        };
    }

    private static int bitUse(final Rule rule, final Scope scope)
    {
        boolean tests = false;
        boolean updates = false;
        for (final StateOp op : rule.stateOps())
        {
            final Scope of = switch (op)
            {
                case StateOp.Flowbit f -> Scope.FLOW;
                case StateOp.Xbit x -> x.track() == StateOp.Track.IP_PAIR ? Scope.PAIR : Scope.HOST;
            };
            if (of == scope)
            {
                tests |= op.command().isTest();
                updates |= !op.command().isTest();
            }
        }
        return updates ? (tests ? UPDATES_AND_TESTS : ONLY_UPDATES) : tests ? ONLY_TESTS : NONE;
    }
}
