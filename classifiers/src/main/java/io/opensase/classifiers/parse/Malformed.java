package io.opensase.classifiers.parse;

/**
 * Why the parser gave up on a packet. Each reason is a counter of its own in the run report.
 * <p>
 * A header cut short because the capture kept fewer bytes than were on the wire is not malformed: it is
 * counted as {@code snap_truncated} instead. The reasons below all describe bytes that were on the wire.
 */
public enum Malformed
{
    NONE("none"),
    LINK_TRUNCATED("link_truncated"),
    ETHERNET_TRUNCATED("ethernet_truncated"),
    VLAN_TRUNCATED("vlan_truncated"),
    MPLS_TRUNCATED("mpls_truncated"),
    ARP_TRUNCATED("arp_truncated"),
    IPV4_TRUNCATED("ipv4_truncated"),
    IPV4_VERSION("ipv4_version"),
    /** IHL below 5. */
    IPV4_IHL("ipv4_ihl"),
    /** Total length shorter than the header, or longer than the frame (then parsed on over the frame). */
    IPV4_LENGTH("ipv4_length"),
    IPV4_OPTIONS("ipv4_options"),
    IPV6_TRUNCATED("ipv6_truncated"),
    IPV6_VERSION("ipv6_version"),
    /** Payload length longer than the frame (parsed on over the frame). */
    IPV6_LENGTH("ipv6_length"),
    IPV6_EXT_TRUNCATED("ipv6_ext_truncated"),
    /** A hop-by-hop or destination option running past its extension header. */
    IPV6_OPTIONS("ipv6_options"),
    /** More extension headers than the configured limit. */
    IPV6_EXT_CHAIN("ipv6_ext_chain"),
    TCP_TRUNCATED("tcp_truncated"),
    /** Data offset below 5, or past the end of the IP payload. */
    TCP_DATA_OFFSET("tcp_data_offset"),
    TCP_OPTIONS("tcp_options"),
    UDP_TRUNCATED("udp_truncated"),
    /** UDP length below 8, or longer than the IP payload (then parsed on over the payload). */
    UDP_LENGTH("udp_length"),
    ICMP_TRUNCATED("icmp_truncated"),
    ICMPV6_TRUNCATED("icmpv6_truncated"),
    SCTP_TRUNCATED("sctp_truncated"),
    GRE_TRUNCATED("gre_truncated"),
    VXLAN_TRUNCATED("vxlan_truncated"),
    GENEVE_TRUNCATED("geneve_truncated"),
    /** A first fragment too short to hold the whole transport header. */
    FRAGMENT_L4_TRUNCATED("fragment_l4_truncated"),
    /** More nested tunnels than the configured limit. */
    TUNNEL_DEPTH("tunnel_depth"),
    /** More headers than a packet's layer list holds. */
    LAYER_LIMIT("layer_limit");

    private static final Malformed[] VALUES = values();

    private final String reportName;

    Malformed(final String reportName)
    {
        this.reportName = reportName;
    }

    public String reportName()
    {
        return reportName;
    }

    public byte code()
    {
        return (byte)ordinal();
    }

    public static Malformed of(final int code)
    {
        return VALUES[code];
    }

    public static int count()
    {
        return VALUES.length;
    }
}
