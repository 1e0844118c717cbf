package io.opensase.classifiers.parse;

/**
 * The headers the parser records, one entry per header in a packet's layer list.
 * <p>
 * A layer is stored as its ordinal in a byte; headers quoted inside an ICMP or ICMPv6 error carry the
 * {@link #QUOTED} bit in addition, so that they are never mistaken for the packet's own stack.
 */
public enum LayerType
{
    ETHERNET,
    /** One 802.1Q or 802.1ad tag; the tag's TPID tells which. */
    VLAN,
    /** One MPLS label stack entry. */
    MPLS,
    ARP,
    IPV4,
    IPV6,
    /** One IPv6 extension header (hop-by-hop, routing, fragment, destination options, AH, mobility...). */
    IPV6_EXT,
    TCP,
    UDP,
    ICMP,
    ICMPV6,
    SCTP,
    GRE,
    VXLAN,
    GENEVE,
    /** Linux cooked capture header, version 1 (link type 113). */
    LINUX_SLL,
    /** Linux cooked capture header, version 2 (link type 276). */
    LINUX_SLL2,
    /** BSD loopback header: a 4-byte address family in the capturing host's byte order (link type 0). */
    LOOPBACK,
    /**
     * A Teredo origin indication (8 bytes) before the IPv6 header a UDP payload carries. Teredo without one has
     * no header of its own: the IPv6 header follows the UDP header, and {@link Protocol#TEREDO} marks it.
     */
    TEREDO;

    /** Set on the stored type byte of a header quoted inside an ICMP error. */
    public static final int QUOTED = 0x80;

    private static final LayerType[] VALUES = values();

    public static LayerType of(final int storedType)
    {
        return VALUES[storedType & ~QUOTED];
    }

    public static boolean isQuoted(final int storedType)
    {
        return (storedType & QUOTED) != 0;
    }

    public byte code()
    {
        return (byte)ordinal();
    }
}
