package io.opensase.core.config;

/**
 * A DPDK device, probed from its devargs (a PCI address, or a virtual device such as
 * {@code net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap}, {@code net_null0}, {@code net_ring0}).
 *
 * @param devargs what {@code rte_dev_probe} takes.
 * @param queues  RX and TX queue pairs; with more than one, RSS spreads flows over them and each worker owns
 *                one pair (run to completion), so it must equal the number of workers.
 * @param receive false for a port that only transmits (it is never polled).
 * @param out     name of the port what this port receives is transmitted on (itself by default).
 */
public record DpdkPortConfig(String name, String devargs, int queues, boolean receive, String out)
    implements PortConfig
{
    @Override
    public String input()
    {
        return devargs;
    }

    @Override
    public String output()
    {
        return out;
    }
}
