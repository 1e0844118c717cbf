package io.opensase.core.ips;

import io.opensase.core.events.EveRecord;

/** The fields every EVE line about a packet carries: VLANs, endpoints, protocol, ICMP type and code, tunnel. */
final class PacketFields
{
    private PacketFields()
    {
    }

    static void write(final EveRecord json, final PacketFacts facts)
    {
        vlans(json, facts);
        final boolean ports = facts.isTcp() || facts.isUdp();
        json.address("src_ip", facts.ipVersion, facts.srcHi, facts.srcLo);
        if (ports)
        {
            json.field("src_port", facts.srcPort);
        }
        json.address("dest_ip", facts.ipVersion, facts.dstHi, facts.dstLo);
        if (ports)
        {
            json.field("dest_port", facts.dstPort);
        }
        json.protocol("proto", facts.ipProtocol);
        if (facts.isIcmp())
        {
            json.field("icmp_type", facts.icmpType).field("icmp_code", facts.icmpCode);
        }
    }

    /** The packet's VLAN ids, outermost first, when it has any. */
    static void vlans(final EveRecord json, final PacketFacts facts)
    {
        if (facts.vlanCount > 0)
        {
            json.openArray("vlan");
            for (int v = 0; v < facts.vlanCount; v++)
            {
                json.value(facts.vlans[v]);
            }
            json.closeArray();
        }
    }

    /** The outer endpoints of a tunnelled packet, as Suricata's {@code tunnel} object. */
    static void tunnel(final EveRecord json, final PacketFacts facts)
    {
        if (!facts.tunnelled)
        {
            return;
        }
        json.open("tunnel")
            .address("src_ip", facts.outerIpVersion, facts.outerSrcHi, facts.outerSrcLo);
        if (0 != facts.outerSrcPort)
        {
            json.field("src_port", facts.outerSrcPort);
        }
        json.address("dest_ip", facts.outerIpVersion, facts.outerDstHi, facts.outerDstLo);
        if (0 != facts.outerDstPort)
        {
            json.field("dest_port", facts.outerDstPort);
        }
        json.protocol("proto", facts.outerProtocol).field("depth", 0).close();
    }
}
