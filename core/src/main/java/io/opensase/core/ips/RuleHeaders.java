package io.opensase.core.ips;

import io.opensase.ips.match.PayloadScope;
import io.opensase.ips.rules.AddressSet;
import io.opensase.ips.rules.AppProtocol;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.ContentMatch;
import io.opensase.ips.rules.Direction;
import io.opensase.ips.rules.PortSet;
import io.opensase.ips.rules.Protocol;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleHeader;
import io.opensase.ips.rules.SslState;
import io.opensase.ips.rules.SslVersion;
import io.opensase.ips.rules.TlsVersion;

import java.util.List;

/**
 * What each enforced rule is for, asked before the matcher verifies a candidate, so that a rule for another
 * protocol, port, application, HTTP phase or kind of payload costs no verification: its header (protocol,
 * addresses, ports and direction, {@code <>} also with the endpoints swapped; ports hold only for TCP, UDP and
 * SCTP packets, as in Suricata) and the kind of match it belongs to.
 * <p>
 * Per rule, what the test needs is packed into flat arrays (one int of traits, the application's ordinal, a
 * single port range each way), because the test runs for every candidate and every rule without a prefilter
 * literal, on every match: following each rule's objects there cost more than the verifications it saved.
 * Headers with address lists or several port ranges fall back to their objects.
 */
final class RuleHeaders
{
    /** Packet kinds, each a trait bit: a rule's protocol admits the kinds whose bits it has. */
    static final int KIND_TCP = 1;
    static final int KIND_UDP = 1 << 1;
    static final int KIND_ICMP = 1 << 2;
    static final int KIND_OTHER = 1 << 3;
    private static final int KINDS = KIND_TCP | KIND_UDP | KIND_ICMP | KIND_OTHER;

    /** Tests only the packet and its flow (no buffer, no application state): matched once per packet. */
    private static final int PACKET_ONLY = 1 << 4;
    /** Inspects an HTTP body ({@code file.data}, {@code http.request_body}): matched when the body ends. */
    private static final int HTTP_BODY = 1 << 5;
    /** Inspects no HTTP body: matched when an HTTP message's headers are complete, not when it ends. */
    private static final int NOT_HTTP_BODY = 1 << 6;
    /** Its payload keywords look at TCP stream bytes when the flow has a stream ({@link PayloadScope}). */
    private static final int STREAM_PAYLOAD = 1 << 7;
    private static final int TCP_PKT = 1 << 8;
    private static final int TCP_STREAM = 1 << 9;
    /** Addresses and ports are {@code any} both ways: the header admits any packet of its protocol. */
    private static final int ANY_ENDPOINTS = 1 << 10;
    /** Addresses are {@code any} and each port set is one range, kept in {@link #ports}. */
    private static final int PORT_RANGES = 1 << 11;
    private static final int BOTH_DIRECTIONS = 1 << 12;

    private final RuleHeader[] headers;
    private final int[] traits;
    /** {@link AppProtocol} ordinal the rule is bound to ({@code NONE}'s when none). */
    private final byte[] apps;
    /** Per rule, four ints: source low, source high, destination low, destination high port. */
    private final int[] ports;
    /** Bytes of the longest content a stream rule looks for in the payload (0: none). */
    private final int longestStreamContent;

    RuleHeaders(final List<Rule> rules)
    {
        headers = new RuleHeader[rules.size()];
        traits = new int[rules.size()];
        apps = new byte[rules.size()];
        ports = new int[4 * rules.size()];
        int longest = 0;
        for (int r = 0; r < headers.length; r++)
        {
            final Rule rule = rules.get(r);
            final RuleHeader header = rule.header();
            headers[r] = header;
            apps[r] = (byte)rule.appProtocol().ordinal();
            final boolean streamPayload = PayloadScope.inspectsStream(rule);
            traits[r] = kinds(header.protocol(), !rule.inspections(Buffer.PAYLOAD).isEmpty())
                | headerTraits(header, ports, r) | phaseTraits(rule) | (streamPayload ? STREAM_PAYLOAD : 0);
            if (streamPayload)
            {
                longest = Math.max(longest, longestContent(rule));
            }
        }
        longestStreamContent = longest;
    }

    private static int longestContent(final Rule rule)
    {
        int longest = 0;
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
        return longest;
    }

    /**
     * The packet kinds {@code protocol} admits, and for {@code tcp-pkt} / {@code tcp-stream} where the payload
     * is inspected: as in Suricata those only choose where payload keywords look, so a rule without them
     * matches as a {@code tcp} rule.
     */
    private static int kinds(final Protocol protocol, final boolean inspectsPayload)
    {
        return switch (protocol)
        {
            case IP -> KINDS;
            case TCP, TCP_STREAM, TCP_PKT, HTTP, TLS -> KIND_TCP | (!inspectsPayload ? 0
                : protocol == Protocol.TCP_PKT ? TCP_PKT : protocol == Protocol.TCP_STREAM ? TCP_STREAM : 0);
            case UDP -> KIND_UDP;
            case DNS -> KIND_UDP | KIND_TCP;
            case ICMP -> KIND_ICMP;
        };
    }

    private static int headerTraits(final RuleHeader header, final int[] ports, final int r)
    {
        final int direction = header.direction() == Direction.BOTH ? BOTH_DIRECTIONS : 0;
        if (!header.sourceAddresses().isAny() || !header.destinationAddresses().isAny())
        {
            return direction;
        }
        if (header.sourcePorts().isAny() && header.destinationPorts().isAny())
        {
            return direction | ANY_ENDPOINTS;
        }
        final int[] source = header.sourcePorts().ranges();
        final int[] destination = header.destinationPorts().ranges();
        if (source.length != 2 || destination.length != 2)
        {
            return direction;
        }
        ports[4 * r] = source[0];
        ports[4 * r + 1] = source[1];
        ports[4 * r + 2] = destination[0];
        ports[4 * r + 3] = destination[1];
        return direction | PORT_RANGES;
    }

    private static int phaseTraits(final Rule rule)
    {
        final boolean httpBody = !rule.inspections(Buffer.FILE_DATA).isEmpty()
            || !rule.inspections(Buffer.HTTP_REQUEST_BODY).isEmpty()
            || !rule.inspections(Buffer.HTTP_RESPONSE_BODY).isEmpty();
        final boolean packetOnly = rule.inspections().isEmpty() && rule.appProtocol() == AppProtocol.NONE
            && rule.conditions().stream().noneMatch(c -> c instanceof SslState || c instanceof SslVersion
                || c instanceof TlsVersion);
        return (httpBody ? HTTP_BODY : NOT_HTTP_BODY) | (packetOnly ? PACKET_ONLY : 0);
    }

    /**
     * Bytes of the longest content a stream rule looks for in the payload: the bytes inspected before must stay
     * in front of new ones at least this long, less one, for it to be found across an inspection boundary.
     */
    int longestStreamContent()
    {
        return longestStreamContent;
    }

    /** The kind bit of the packet {@code facts} describes. */
    static int kindOf(final PacketFacts facts)
    {
        return facts.isTcp() ? KIND_TCP : facts.isUdp() ? KIND_UDP : facts.isIcmp() ? KIND_ICMP : KIND_OTHER;
    }

    /**
     * The traits that exclude a rule from one match, computed once per match for {@link #inspects}.
     *
     * @param ofPacket        the packet's own match (not a stream chunk's or an application message's).
     * @param fromStream      it inspects reassembled stream bytes.
     * @param payloadInStream the packet's TCP payload went into its flow's stream, where stream rules see it.
     * @param httpHeaders     an HTTP message whose headers are complete.
     * @param httpBody        an HTTP message that ended.
     */
    static int excluded(final boolean ofPacket, final boolean fromStream, final boolean payloadInStream,
        final boolean httpHeaders, final boolean httpBody)
    {
        return (ofPacket ? 0 : PACKET_ONLY)
            | (httpHeaders ? HTTP_BODY : 0)
            | (httpBody ? NOT_HTTP_BODY : 0)
            | (!fromStream && payloadInStream ? STREAM_PAYLOAD : 0)
            | (fromStream ? TCP_PKT : TCP_STREAM);
    }

    /**
     * True when rule {@code r} is for this match and its header admits the packet.
     *
     * @param excluded   {@link #excluded} for this match.
     * @param kind       {@link #kindOf} the packet.
     * @param flowApp    the flow's application.
     */
    boolean inspects(final int r, final int excluded, final int kind, final AppProtocol flowApp,
        final PacketFacts facts)
    {
        final int t = traits[r];
        if ((t & excluded) != 0 || (t & kind) == 0)
        {
            return false;
        }
        final int app = apps[r];
        if (app != AppProtocol.NONE.ordinal() && app != flowApp.ordinal())
        {
            return false;
        }
        if ((t & ANY_ENDPOINTS) != 0)
        {
            return true;
        }
        final boolean portsApply = kind == KIND_TCP || kind == KIND_UDP || 132 == facts.ipProtocol;
        if ((t & PORT_RANGES) != 0 && portsApply)
        {
            return inRanges(r, facts.srcPort, facts.dstPort)
                || (t & BOTH_DIRECTIONS) != 0 && inRanges(r, facts.dstPort, facts.srcPort);
        }
        final RuleHeader h = headers[r];
        if (endpoints(h.sourceAddresses(), h.sourcePorts(), h.destinationAddresses(), h.destinationPorts(),
            facts, portsApply))
        {
            return true;
        }
        return (t & BOTH_DIRECTIONS) != 0
            && endpoints(h.destinationAddresses(), h.destinationPorts(), h.sourceAddresses(), h.sourcePorts(),
                facts, portsApply);
    }

    private boolean inRanges(final int r, final int source, final int destination)
    {
        final int at = 4 * r;
        return source >= ports[at] && source <= ports[at + 1]
            && destination >= ports[at + 2] && destination <= ports[at + 3];
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
