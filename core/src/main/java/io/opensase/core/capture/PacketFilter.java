package io.opensase.core.capture;

import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.ParsedPackets;

/**
 * Which packets a capture or a trace takes, on the innermost headers: by tenant id, IP protocol, up to two
 * endpoints (an address and a port each, either left out) in either direction, so that one filter names both
 * halves of a connection, and a port at either end. Left-out fields (-1, or no address) take anything.
 * Immutable.
 */
public record PacketFilter(int tenant, int protocol, Endpoint a, Endpoint b, int eitherPort)
{
    public static final PacketFilter ANY = new PacketFilter(-1, -1, Endpoint.ANY, Endpoint.ANY, -1);

    /** An address (when {@code hasAddress}) and a port (-1 for any). */
    public record Endpoint(boolean hasAddress, boolean ipv6, long hi, long lo, int port)
    {
        public static final Endpoint ANY = new Endpoint(false, false, 0, 0, -1);

        boolean isAny()
        {
            return !hasAddress && port < 0;
        }

        boolean matches(final ParsedPackets parsed, final int i, final boolean source)
        {
            if (hasAddress && !(source ? parsed.srcHi(i) == hi && parsed.srcLo(i) == lo
                : parsed.dstHi(i) == hi && parsed.dstLo(i) == lo))
            {
                return false;
            }
            return port < 0 || (FlowKeyKind.PORTS == parsed.keyKind(i)
                && (source ? parsed.srcPort(i) : parsed.dstPort(i)) == port);
        }
    }

    /** Worker: whether parsed packet {@code i} of tenant {@code packetTenant} is taken. */
    public boolean matches(final ParsedPackets parsed, final int i, final int packetTenant)
    {
        if (tenant >= 0 && packetTenant != tenant)
        {
            return false;
        }
        if (a.isAny() && b.isAny() && protocol < 0 && eitherPort < 0)
        {
            return true;
        }
        final int version = parsed.ipVersion(i);
        if (0 == version || (protocol >= 0 && parsed.ipProtocol(i) != protocol)
            || (a.hasAddress() && (6 == version) != a.ipv6()) || (b.hasAddress() && (6 == version) != b.ipv6()))
        {
            return false;
        }
        if (eitherPort >= 0 && (FlowKeyKind.PORTS != parsed.keyKind(i)
            || (parsed.srcPort(i) != eitherPort && parsed.dstPort(i) != eitherPort)))
        {
            return false;
        }
        return (a.matches(parsed, i, true) && b.matches(parsed, i, false))
            || (a.matches(parsed, i, false) && b.matches(parsed, i, true));
    }
}
