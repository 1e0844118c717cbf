package io.opensase.ips.match;

import io.opensase.ips.rules.AppProtocol;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.FlowCondition;
import io.opensase.ips.rules.Rule;

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

    /**
     * The facts a rule needs: its {@code flow} condition's and, when that names no direction, the direction its
     * application buffers imply. As Suricata infers a rule's direction from its buffers ({@code SigValidate}),
     * a rule whose buffers are all inspected one way only ({@code tls.sni} and {@code ja3.hash} to the server,
     * {@code tls.cert_*} and {@code ja3s.hash} to the client, {@code Buffer.Side}) holds only that way; so a
     * {@code tls.sni} rule is not reported again where the server's flight is inspected (the parser refuses
     * buffers of both one-way kinds in a rule, and a flow direction against them). Unlike Suricata, a
     * buffer inspected both ways ({@code tls.alpn}) keeps the rule open to both: the server's side of a TLS
     * handshake is inspected with the client's name and ALPN, so {@code tls.sni} with {@code tls.alpn} holds
     * once, when both are known.
     */
    static int needs(final Rule rule)
    {
        final int declared = needs(rule.flow());
        if (rule.flow().side() != FlowCondition.Side.ANY)
        {
            return declared;
        }
        int toServer = 0;
        int toClient = 0;
        int either = 0;
        for (final BufferInspection inspection : rule.inspections())
        {
            final Buffer buffer = inspection.buffer();
            if (buffer.appProtocol() == AppProtocol.NONE)
            {
                continue;
            }
            switch (buffer.side())
            {
                case TO_SERVER -> toServer++;
                case TO_CLIENT -> toClient++;
                case EITHER -> either++;
            }
        }
        if (0 != either || (0 == toServer) == (0 == toClient))
        {
            return declared;
        }
        return declared | (0 != toServer ? TO_SERVER : TO_CLIENT);
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
