package io.opensase.classifiers.parse;

/**
 * The protocol counters of the run report: a packet counts once for a protocol when its own stack
 * (headers quoted inside ICMP errors excluded) holds that header at any tunnel depth.
 */
public enum Protocol
{
    ETH("eth"),
    /** At least one 802.1Q or 802.1ad tag. */
    VLAN("vlan"),
    /** Two or more tags on one Ethernet header. */
    QINQ("qinq"),
    MPLS("mpls"),
    ARP("arp"),
    IPV4("ipv4"),
    IPV6("ipv6"),
    /** An IPv6 header followed by at least one extension header. */
    IPV6_EXT("ipv6_ext"),
    /** An IPv4 packet with MF set or a non-zero offset, or an IPv6 packet with a fragment header. */
    FRAGMENT("fragment"),
    /** An IP header directly inside another. */
    IPIP("ipip"),
    TCP("tcp"),
    UDP("udp"),
    ICMP("icmp"),
    ICMPV6("icmpv6"),
    SCTP("sctp"),
    GRE("gre"),
    VXLAN("vxlan"),
    GENEVE("geneve"),
    /** IPv6 carried in UDP by Teredo (RFC 4380), recognised as Suricata recognises it. */
    TEREDO("teredo");

    private static final Protocol[] VALUES = values();

    private final String reportName;

    Protocol(final String reportName)
    {
        this.reportName = reportName;
    }

    /** The key used in the run report's {@code protocols} object. */
    public String reportName()
    {
        return reportName;
    }

    public int bit()
    {
        return 1 << ordinal();
    }

    public boolean isIn(final int protocolBits)
    {
        return (protocolBits & bit()) != 0;
    }

    public static Protocol[] all()
    {
        return VALUES.clone();
    }
}
