package io.opensase.ips.match;

import io.opensase.ips.rules.FlowCondition;

/**
 * {@code flow:} as bits, so that verification tests a rule's flow condition with one mask: a rule needs
 * some facts ({@link #needs}), an input has some ({@link #of}), and the condition holds when the input has
 * all the rule needs. As Suricata tests it: a direction needs the packet to go that way in a flow;
 * established needs an established flow, not_established anything else (a packet without flow included),
 * stateless holds always; only_stream needs {@link io.opensase.ips.rules.Buffer#PAYLOAD} to be stream data,
 * no_stream packet data.
 */
final class FlowFacts
{
    static final int TO_SERVER = 1;
    static final int TO_CLIENT = 1 << 1;
    static final int ESTABLISHED = 1 << 2;
    static final int NOT_ESTABLISHED = 1 << 3;
    static final int STREAM = 1 << 4;
    static final int NOT_STREAM = 1 << 5;

    private FlowFacts()
    {
    }

    /** The facts {@code flow} needs (0 for none). */
    static int needs(final FlowCondition flow)
    {
        final int side = switch (flow.side())
        {
            case ANY -> 0;
            case TO_SERVER -> TO_SERVER;
            case TO_CLIENT -> TO_CLIENT;
        };
        final int state = switch (flow.state())
        {
            case ANY, STATELESS -> 0;
            case ESTABLISHED -> ESTABLISHED;
            case NOT_ESTABLISHED -> NOT_ESTABLISHED;
        };
        final int mode = switch (flow.mode())
        {
            case ANY -> 0;
            case ONLY_STREAM -> STREAM;
            case NO_STREAM -> NOT_STREAM;
        };
        return side | state | mode;
    }

    /** The facts of an input. */
    static int of(final MatchInput.Direction direction, final boolean established, final boolean stream)
    {
        final int side = switch (direction)
        {
            case NONE -> 0;
            case TO_SERVER -> TO_SERVER;
            case TO_CLIENT -> TO_CLIENT;
        };
        return side | (established ? ESTABLISHED : NOT_ESTABLISHED) | (stream ? STREAM : NOT_STREAM);
    }

    /** True when facts {@code have} include all of {@code needs}. */
    static boolean holds(final int needs, final int have)
    {
        return 0 == (needs & ~have);
    }
}
