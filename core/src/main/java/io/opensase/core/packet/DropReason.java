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
    TX_FAILED("tx_failed");

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
