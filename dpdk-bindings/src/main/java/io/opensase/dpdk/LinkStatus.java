package io.opensase.dpdk;

/**
 * A port's link as {@code rte_eth_link_get_nowait} reports it. Immutable snapshot; any thread.
 *
 * @param speedMbps {@code link_speed} as an unsigned number; {@link #SPEED_UNKNOWN} when the driver cannot tell.
 */
public record LinkStatus(boolean up, long speedMbps, boolean fullDuplex, boolean autoNegotiated)
{
    /** {@code RTE_ETH_SPEED_NUM_UNKNOWN}. */
    public static final long SPEED_UNKNOWN = 0xFFFF_FFFFL;
}
