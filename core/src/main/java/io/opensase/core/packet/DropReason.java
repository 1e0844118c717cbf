package io.opensase.core.packet;

/**
 * Why a packet was not transmitted. Every dropped packet is counted under exactly one reason.
 */
public enum DropReason
{
    /** Not dropped: the packet goes on to transmission. */
    NONE("none"),
    /** The policy says {@code malformed: drop} and the parser found the packet malformed. */
    MALFORMED("malformed"),
    /** Larger than a packet buffer holds ({@code JavaPacketPool.DATA_ROOM} bytes). */
    OVERSIZE("oversize"),
    /** A live port's packet found its worker's ring full. */
    RING_FULL("ring_full"),
    /** The output port did not take the packet. */
    TX_FAILED("tx_failed"),
    /** A firewall rule, or a tenant's default, denied the packet's flow. */
    FIREWALL_DENY("firewall_deny"),
    /** A firewall rule rejected the packet's flow: the packet was answered (and counted as generated). */
    FIREWALL_REJECT("firewall_reject"),
    /** Connection tracking found the packet invalid, and the policy drops invalid packets. */
    FIREWALL_INVALID("firewall_invalid"),
    /** No tenant selector took the packet, and the firewall drops such packets. */
    NO_TENANT("no_tenant"),
    /** The packet's tenant already holds its maximum of connections. */
    CONNECTION_LIMIT("connection_limit"),
    /** The flow table was full and refused the packet's flow, and the firewall fails closed. */
    FLOW_TABLE_FULL("flow_table_full"),
    /** A first fragment too short to hold its transport header. */
    TINY_FRAGMENT("tiny_fragment"),
    /** A later fragment whose first fragment (and so its verdict) was not seen. */
    FRAGMENT_WITHOUT_FIRST("fragment_without_first"),
    /** Matched an IPS {@code drop} or {@code reject} rule in IPS mode, or belongs to a flow that did. */
    IPS_DROP("ips_drop");

    private static final DropReason[] VALUES = values();

    private final String reportName;

    DropReason(final String reportName)
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

    public static DropReason of(final int code)
    {
        return VALUES[code];
    }

    public static int count()
    {
        return VALUES.length;
    }
}
