package io.opensase.dpdk;

/**
 * A port's basic counters ({@code struct rte_eth_stats} totals) since start or the last reset. Immutable
 * snapshot; any thread.
 *
 * @param rxMissed  {@code imissed}: dropped by the hardware because the RX queues were full.
 * @param rxNoMbuf  {@code rx_nombuf}: RX mbuf allocation failures.
 */
public record PortStats(
    long rxPackets,
    long txPackets,
    long rxBytes,
    long txBytes,
    long rxMissed,
    long rxErrors,
    long txErrors,
    long rxNoMbuf)
{
}
