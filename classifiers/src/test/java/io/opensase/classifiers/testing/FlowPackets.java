package io.opensase.classifiers.testing;

import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;

import java.util.Arrays;

import static io.opensase.classifiers.testing.Frames.concat;
import static io.opensase.classifiers.testing.Frames.ethernet;
import static io.opensase.classifiers.testing.Frames.icmp;
import static io.opensase.classifiers.testing.Frames.ipv4;
import static io.opensase.classifiers.testing.Frames.ipv6;
import static io.opensase.classifiers.testing.Frames.tag;
import static io.opensase.classifiers.testing.Frames.tcp;
import static io.opensase.classifiers.testing.Frames.udp;
import static io.opensase.classifiers.testing.Frames.vxlan;

/**
 * Hand-built Ethernet packets for flow table tests, and their flow keys as the parser and {@link FlowKey}
 * make them: flows are always looked up through real parsing.
 */
public final class FlowPackets
{
    private FlowPackets()
    {
    }

    public static byte[] tcp4(final String src, final int srcPort, final String dst, final int dstPort)
    {
        return concat(ethernet(0x0800), ipv4(6, src, dst, 20), tcp(srcPort, dstPort));
    }

    public static byte[] udp4(final String src, final int srcPort, final String dst, final int dstPort)
    {
        return concat(ethernet(0x0800), ipv4(17, src, dst, 8), udp(srcPort, dstPort, 8));
    }

    public static byte[] tcp6(final String src, final int srcPort, final String dst, final int dstPort)
    {
        return concat(ethernet(0x86DD), ipv6(6, src, dst, 20), tcp(srcPort, dstPort));
    }

    /** ICMP echo request (type 8) or reply (type 0) with {@code identifier}. */
    public static byte[] echo4(final String src, final String dst, final int identifier, final boolean request)
    {
        return concat(ethernet(0x0800), ipv4(1, src, dst, 8), icmp(request ? 8 : 0, 0, (long)identifier << 16 | 1));
    }

    /** An IPv4 packet of a protocol the parser does not decode (ESP, 50): keyed on addresses. */
    public static byte[] esp4(final String src, final String dst)
    {
        return concat(ethernet(0x0800), ipv4(50, src, dst, 8), new byte[8]);
    }

    /** {@code packet} (an Ethernet frame) with 802.1Q tags inserted after the MAC addresses, outermost first. */
    public static byte[] tagged(final byte[] packet, final int... vlanIds)
    {
        byte[] tagged = Arrays.copyOfRange(packet, 12, packet.length);
        for (int t = vlanIds.length - 1; t >= 0; t--)
        {
            final int ethertype = (tagged[0] & 0xFF) << 8 | tagged[1] & 0xFF;
            tagged = concat(Frames.u16(0x8100), tag(vlanIds[t], ethertype),
                Arrays.copyOfRange(tagged, 2, tagged.length));
        }
        return concat(Arrays.copyOf(packet, 12), tagged);
    }

    /** {@code inner} (an Ethernet frame) in VXLAN with {@code vni}, between two fixed tunnel endpoints. */
    public static byte[] inVxlan(final byte[] inner, final int vni)
    {
        return concat(ethernet(0x0800), ipv4(17, "172.16.0.1", "172.16.0.2", 16 + inner.length),
            udp(49152, 4789, 16 + inner.length), vxlan(vni), inner);
    }

    /** Parses {@code packet} and builds its key for {@code tenantId}; fails when the packet has none. */
    public static FlowKey key(final byte[] packet, final int tenantId)
    {
        final ParsedPackets parsed = ExactParse.parse(new PacketParser(), packet, packet.length, LinkType.ETHERNET);
        final FlowKey key = new FlowKey();
        if (!key.set(parsed, 0, tenantId))
        {
            throw new AssertionError("no flow key");
        }
        return key;
    }
}
