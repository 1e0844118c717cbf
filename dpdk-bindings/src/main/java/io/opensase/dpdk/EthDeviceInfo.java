package io.opensase.dpdk;

/**
 * What {@code rte_eth_dev_info_get} reports about a port: driver, queue limits, RSS and offload capabilities.
 * Immutable snapshot; any thread.
 *
 * @param rssHashFunctions  {@code flow_type_rss_offloads}: the {@code RTE_ETH_RSS_*} bits the port can hash on;
 *                          {@link EthPort#configure} accepts a subset of them.
 * @param configuredRxQueues RX queues configured now ({@code nb_rx_queues}).
 * @param configuredTxQueues TX queues configured now ({@code nb_tx_queues}).
 */
public record EthDeviceInfo(
    String driverName,
    int interfaceIndex,
    int maxRxQueues,
    int maxTxQueues,
    int minRxBufferSize,
    int maxRxPacketLength,
    int minMtu,
    int maxMtu,
    int maxMacAddresses,
    long rxOffloadCapabilities,
    long txOffloadCapabilities,
    long rssHashFunctions,
    int retaSize,
    int hashKeySize,
    int configuredRxQueues,
    int configuredTxQueues)
{
}
