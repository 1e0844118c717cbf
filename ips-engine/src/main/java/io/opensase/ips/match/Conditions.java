package io.opensase.ips.match;

import io.opensase.ips.rules.AppLayerProtocol;
import io.opensase.ips.rules.Condition;
import io.opensase.ips.rules.HeaderInt;
import io.opensase.ips.rules.IpProtocol;
import io.opensase.ips.rules.SslState;
import io.opensase.ips.rules.SslVersion;
import io.opensase.ips.rules.StreamSize;
import io.opensase.ips.rules.TcpFlags;
import io.opensase.ips.rules.TlsVersion;
import io.opensase.ips.rules.VlanId;

/**
 * The packet, flow and application keywords ({@link Condition}s) tested on the facts of a {@link MatchInput},
 * each as Suricata tests it. A fact the input lacks fails the keyword. The switches over the sealed types
 * have no default, so a new kind of condition does not compile until it is tested here.
 */
final class Conditions
{
    private Conditions()
    {
    }

    /** True when {@code condition} holds on {@code in}. */
    static boolean holds(final Condition condition, final MatchInput in)
    {
        return switch (condition)
        {
            case HeaderInt h -> headerInt(h, in);
            case TcpFlags t -> in.tcp && t.test(in.tcpFlags);
            case IpProtocol p -> 0 != in.ipVersion && p.match().test(in.ipProtocol);
            case VlanId v -> vlanId(v, in);
            case StreamSize s -> streamSize(s, in);
            case AppLayerProtocol a -> appLayerProtocol(a, in);
            // Any named state seen, or any negated one not seen: zero only when all fail.
            case SslState s -> in.tls && 0 != (((s.states() | s.negated()) & in.sslState) ^ s.negated());
            case SslVersion s -> sslVersion(s, in);
            case TlsVersion t -> in.tls && 0 != in.tlsVersion && t.version() == in.tlsVersion;
        };
    }

    private static boolean headerInt(final HeaderInt h, final MatchInput in)
    {
        return switch (h.field())
        {
            case PAYLOAD_SIZE -> in.packetPayloadSize >= 0 && h.match().test(in.packetPayloadSize);
            case TCP_ACK -> in.tcp && h.match().test(in.tcpAck);
            case TCP_SEQ -> in.tcp && h.match().test(in.tcpSeq);
            case TCP_WINDOW -> in.tcp && h.match().test(in.tcpWindow);
            case IP_ID -> 4 == in.ipVersion && h.match().test(in.ipId);
            case IP_TTL -> 0 != in.ipVersion && h.match().test(in.ttl);
            case ICMP_TYPE -> in.icmp && h.match().test(in.icmpType);
            case ICMP_CODE -> in.icmp && h.match().test(in.icmpCode);
        };
    }

    /**
     * A packet without tags never matches. A layer counts from the outside (0) or, negative, from the inside
     * (-1 the innermost) and must exist; {@code all} needs every tag to pass, no layer any of them.
     */
    private static boolean vlanId(final VlanId v, final MatchInput in)
    {
        final int n = in.vlanCount;
        if (0 == n)
        {
            return false;
        }
        switch (v.scope())
        {
            case ANY ->
            {
                for (int i = 0; i < n; i++)
                {
                    if (v.match().test(in.vlanIds[i]))
                    {
                        return true;
                    }
                }
                return false;
            }
            case ALL ->
            {
                for (int i = 0; i < n; i++)
                {
                    if (!v.match().test(in.vlanIds[i]))
                    {
                        return false;
                    }
                }
                return true;
            }
            case LAYER ->
            {
                final int layer = v.layer() < 0 ? n + v.layer() : v.layer();
                return layer >= 0 && layer < n && v.match().test(in.vlanIds[layer]);
            }
        }
        return false;
    }

    private static boolean streamSize(final StreamSize s, final MatchInput in)
    {
        if (!in.tcp || in.clientStreamBytes < 0 || in.serverStreamBytes < 0)
        {
            return false;
        }
        final boolean client = s.match().test(in.clientStreamBytes);
        final boolean server = s.match().test(in.serverStreamBytes);
        return switch (s.side())
        {
            case CLIENT -> client;
            case SERVER -> server;
            case BOTH -> client && server;
            case EITHER -> client || server;
        };
    }

    /**
     * Needs a flow with a protocol set. A name holds when the flow has that protocol ({@code unknown} while
     * identification runs); a negated name only once identification is over, so that a flow is not taken for
     * "not HTTP" before its first bytes were looked at.
     */
    private static boolean appLayerProtocol(final AppLayerProtocol a, final MatchInput in)
    {
        if (in.direction == MatchInput.Direction.NONE || null == in.appProtocol)
        {
            return false;
        }
        if (!a.negated())
        {
            return in.appProtocol == a.name();
        }
        return in.appProtocol != a.name()
            && (in.appProtocol != AppLayerProtocol.Name.UNKNOWN || a.name() == AppLayerProtocol.Name.UNKNOWN);
    }

    /** Holds when the record version is among the positive names (if any) and among none of the negated. */
    private static boolean sslVersion(final SslVersion s, final MatchInput in)
    {
        if (!in.tls)
        {
            return false;
        }
        final int bit = switch (in.sslVersion)
        {
            case 0x0002 -> SslVersion.SSLV2;
            case 0x0300 -> SslVersion.SSLV3;
            case 0x0301 -> SslVersion.TLS1_0;
            case 0x0302 -> SslVersion.TLS1_1;
            case 0x0303 -> SslVersion.TLS1_2;
            case 0x0304 -> SslVersion.TLS1_3;
            default -> 0;
        };
        if (0 == bit)
        {
            return false;
        }
        return (0 == s.versions() || 0 != (s.versions() & bit)) && 0 == (s.negated() & bit);
    }
}
