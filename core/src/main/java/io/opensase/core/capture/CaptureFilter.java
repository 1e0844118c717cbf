package io.opensase.core.capture;

import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.ParsedPackets;

/**
 * Which packets a capture takes: by tenant id, an address at either end, a port at either end and the IP
 * protocol, each on the innermost headers and each left out (-1, or no address) to take any. Immutable.
 */
public record CaptureFilter(int tenant, boolean hasAddress, boolean ipv6, long hi, long lo, int port, int protocol)
{
    public static final CaptureFilter ANY = new CaptureFilter(-1, false, false, 0, 0, -1, -1);

    /** Worker: whether parsed packet {@code i} of tenant {@code packetTenant} is taken. */
    public boolean matches(final ParsedPackets parsed, final int i, final int packetTenant)
    {
        if (tenant >= 0 && packetTenant != tenant)
        {
            return false;
        }
        if (!hasAddress && port < 0 && protocol < 0)
        {
            return true;
        }
        final int version = parsed.ipVersion(i);
        if (0 == version || (protocol >= 0 && parsed.ipProtocol(i) != protocol))
        {
            return false;
        }
        if (port >= 0 && (FlowKeyKind.PORTS != parsed.keyKind(i)
            || (parsed.srcPort(i) != port && parsed.dstPort(i) != port)))
        {
            return false;
        }
        if (hasAddress)
        {
            return (6 == version) == ipv6 && ((parsed.srcHi(i) == hi && parsed.srcLo(i) == lo)
                || (parsed.dstHi(i) == hi && parsed.dstLo(i) == lo));
        }
        return true;
    }
}
