package io.opensase.core.ips;

import io.opensase.ips.rules.AddressSet;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.ContentMatch;
import io.opensase.ips.rules.HeaderInt;
import io.opensase.ips.rules.Direction;
import io.opensase.ips.rules.PortSet;
import io.opensase.ips.rules.Protocol;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleHeader;

import java.util.List;

/**
 * The headers of the enforced rules, checked against a packet after the matcher has named the rules whose
 * options held: protocol, addresses, ports and direction ({@code <>} also with the endpoints swapped). Ports
 * of a rule hold only for TCP, UDP and SCTP packets, as in Suricata.
 */
final class RuleHeaders
{
    private final RuleHeader[] headers;
    /**
     * Rules whose payload keywords look at TCP stream bytes when the flow has a stream: they hold on the
     * stream, not again on each packet's payload ({@code tcp-pkt} rules and rules with {@code dsize} stay
     * packet rules, as in Suricata).
     */
    private final boolean[] streamPayload;
    /** Rules inspecting an HTTP body ({@code file.data}, {@code http.request_body}): matched when it ends. */
    private final boolean[] httpBody;
    /** Bytes of the longest content a stream rule looks for in the payload (0: none). */
    private final int longestStreamContent;

    RuleHeaders(final List<Rule> rules)
    {
        headers = new RuleHeader[rules.size()];
        streamPayload = new boolean[rules.size()];
        httpBody = new boolean[rules.size()];
        int longest = 0;
        for (int r = 0; r < headers.length; r++)
        {
            final Rule rule = rules.get(r);
            headers[r] = rule.header();
            final boolean dsize = rule.conditions().stream().anyMatch(c -> c instanceof HeaderInt h
                && h.field() == HeaderInt.Field.PAYLOAD_SIZE);
            streamPayload[r] = headers[r].protocol() != Protocol.TCP_PKT && !dsize
                && !rule.inspections(Buffer.PAYLOAD).isEmpty();
            httpBody[r] = !rule.inspections(Buffer.FILE_DATA).isEmpty()
                || !rule.inspections(Buffer.HTTP_REQUEST_BODY).isEmpty()
                || !rule.inspections(Buffer.HTTP_RESPONSE_BODY).isEmpty();
            if (streamPayload[r])
            {
                for (final var inspection : rule.inspections(Buffer.PAYLOAD))
                {
                    for (final var match : inspection.matches())
                    {
                        if (match instanceof ContentMatch content)
                        {
                            longest = Math.max(longest, content.pattern().length);
                        }
                    }
                }
            }
        }
        longestStreamContent = longest;
    }

    /**
     * Bytes of the longest content a stream rule looks for in the payload: the bytes inspected before must stay
     * in front of new ones at least this long, less one, for it to be found across an inspection boundary.
     */
    int longestStreamContent()
    {
        return longestStreamContent;
    }

    /** True when rule {@code r} inspects an HTTP message body. */
    boolean httpBody(final int r)
    {
        return httpBody[r];
    }

    /** True when rule {@code r} inspects a TCP flow's stream rather than its packets' payloads. */
    boolean streamPayload(final int r)
    {
        return streamPayload[r];
    }

    /**
     * True when rule {@code r}'s header admits packet {@code i}; {@code fromStream} tells whether the rule's
     * payload keywords looked at reassembled stream bytes ({@code tcp-stream} rules) or at the packet's own
     * payload ({@code tcp-pkt} rules).
     */
    boolean admits(final int r, final PacketFacts facts, final boolean fromStream)
    {
        final RuleHeader h = headers[r];
        if (!protocolAdmits(h.protocol(), facts)
            || (fromStream ? h.protocol() == Protocol.TCP_PKT : h.protocol() == Protocol.TCP_STREAM))
        {
            return false;
        }
        final boolean ports = facts.isTcp() || facts.isUdp() || 132 == facts.ipProtocol;
        if (endpoints(h.sourceAddresses(), h.sourcePorts(), h.destinationAddresses(), h.destinationPorts(),
            facts, ports))
        {
            return true;
        }
        return h.direction() == Direction.BOTH
            && endpoints(h.destinationAddresses(), h.destinationPorts(), h.sourceAddresses(), h.sourcePorts(),
                facts, ports);
    }

    private static boolean protocolAdmits(final Protocol protocol, final PacketFacts facts)
    {
        return switch (protocol)
        {
            case IP -> true;
            case TCP, TCP_STREAM, TCP_PKT, HTTP, TLS -> facts.isTcp();
            case UDP -> facts.isUdp();
            case DNS -> facts.isUdp() || facts.isTcp();
            case ICMP -> facts.isIcmp();
        };
    }

    private static boolean endpoints(
        final AddressSet sources,
        final PortSet sourcePorts,
        final AddressSet destinations,
        final PortSet destinationPorts,
        final PacketFacts facts,
        final boolean ports)
    {
        if (ports && (!sourcePorts.contains(facts.srcPort) || !destinationPorts.contains(facts.dstPort)))
        {
            return false;
        }
        if (!ports && (!sourcePorts.isAny() || !destinationPorts.isAny()))
        {
            return false;
        }
        return contains(sources, facts.ipVersion, facts.srcHi, facts.srcLo)
            && contains(destinations, facts.ipVersion, facts.dstHi, facts.dstLo);
    }

    private static boolean contains(final AddressSet set, final int ipVersion, final long hi, final long lo)
    {
        if (set.isAny())
        {
            return true;
        }
        return 4 == ipVersion ? set.containsIpv4((int)lo) : set.containsIpv6(hi, lo);
    }
}
