package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;
import io.opensase.dpdk.internal.rte_eth_conf;
import io.opensase.dpdk.internal.rte_eth_dev_info;
import io.opensase.dpdk.internal.rte_eth_link;
import io.opensase.dpdk.internal.rte_eth_rss_conf;
import io.opensase.dpdk.internal.rte_eth_stats;
import io.opensase.dpdk.internal.rte_eth_xstat;
import io.opensase.dpdk.internal.rte_eth_xstat_name;
import io.opensase.dpdk.internal.rte_ether_addr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ethdev port: configuration, queues, start and stop, counters. The control thread owns it and makes every
 * control call (they are not thread-safe); the lcore that owns a queue calls {@link #rxBurst} / {@link #txBurst}
 * on it.
 * <p>
 * Control calls keep DPDK's convention underneath (0 or a negative errno) and throw {@link DpdkException} with
 * DPDK's reason and what to do. Bursts return counts and never throw for a DPDK condition.
 */
public final class EthPort implements AutoCloseable
{
    /** Hash on IPv4/IPv6 addresses and TCP/UDP ports: {@code RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP}. */
    public static final long RSS_IP_TCP_UDP =
        opensase_dpdk_h.RTE_ETH_RSS_IP | opensase_dpdk_h.RTE_ETH_RSS_TCP | opensase_dpdk_h.RTE_ETH_RSS_UDP;
    /** The most packets one burst can move: bursts count in {@code uint16_t}. */
    public static final int MAX_BURST = 0xFFFF;
    /** A descriptor count that asks the driver for its default ring size. */
    public static final int DEFAULT_DESCRIPTORS = 0;

    private static final String STALE_PORT =
        "the port id is no longer valid: was the port closed or its device removed?";

    private final Arena arena = Arena.ofShared();
    private final int portId;
    private final short port;
    private final String name;
    private final MemorySegment info;
    private final MemorySegment stats;
    private final MemorySegment link;
    private final MemorySegment mac;
    private boolean started;
    private boolean closed;

    private EthPort(final int portId, final String name)
    {
        this.portId = portId;
        this.port = (short)portId;
        this.name = name;
        info = rte_eth_dev_info.allocate(arena);
        stats = rte_eth_stats.allocate(arena);
        link = rte_eth_link.allocate(arena);
        mac = rte_ether_addr.allocate(arena);
    }

    /** {@code rte_eth_dev_count_avail}: ports that exist and are not owned by another component. */
    public static int countAvailable()
    {
        Eal.current();
        return Short.toUnsignedInt(opensase_dpdk_h.rte_eth_dev_count_avail());
    }

    /**
     * The port a device of that name created ({@code rte_eth_dev_get_port_by_name}), e.g. "net_null0" for
     * {@code --vdev=net_null0} or a PCI address. One object per port: closing it releases the port.
     *
     * @throws DpdkException when there is none, saying where to look.
     */
    public static EthPort open(final String name)
    {
        return new EthPort(idOf(name), name);
    }

    /**
     * The id of the port named {@code name}, without taking the port.
     *
     * @throws DpdkException when there is none, saying where to look.
     */
    public static int idOf(final String name)
    {
        Eal.current();
        final long logPosition = Dpdk.logPosition();
        final int id = find(name);
        if (id < 0)
        {
            throw Dpdk.failure("rte_eth_dev_get_port_by_name(\"" + name + "\")", -id, logPosition,
                "no ethdev port has that name: check the --vdev / -a option or the HotplugDevice devargs that " +
                "should have created it, and the driver's log lines at EAL start or at probe (" +
                countAvailable() + " ports exist)");
        }
        return id;
    }

    /** The id of the port named {@code name}, or a negative errno. */
    static int find(final String name)
    {
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment portId = call.allocate(opensase_dpdk_h.C_SHORT);
            final int result = opensase_dpdk_h.rte_eth_dev_get_port_by_name(call.allocateFrom(name), portId);
            return result < 0 ? result : Short.toUnsignedInt(portId.get(opensase_dpdk_h.C_SHORT, 0));
        }
    }

    /** The port with id {@code portId} (0 to {@code RTE_MAX_ETHPORTS - 1}). One object per port. */
    public static EthPort open(final int portId)
    {
        Eal.current();
        final long logPosition = Dpdk.logPosition();
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment name = call.allocate(opensase_dpdk_h.RTE_ETH_NAME_MAX_LEN);
            final int result = portId < 0 || portId >= opensase_dpdk_h.RTE_MAX_ETHPORTS ? -Errno.ENODEV :
                opensase_dpdk_h.rte_eth_dev_get_name_by_port((short)portId, name);
            if (result < 0)
            {
                throw Dpdk.failure("rte_eth_dev_get_name_by_port(" + portId + ")", -result, logPosition,
                    "no port has that id: ports are numbered from 0 in the order devices were probed (" +
                    countAvailable() + " exist)");
            }
            return new EthPort(portId, name.getString(0));
        }
    }

    /** The port id (a {@code uint16_t}). */
    public int id()
    {
        return portId;
    }

    public String name()
    {
        return name;
    }

    /** {@code rte_eth_dev_info_get}. */
    public EthDeviceInfo info()
    {
        final long logPosition = Dpdk.logPosition();
        check("rte_eth_dev_info_get(" + this + ")", opensase_dpdk_h.rte_eth_dev_info_get(port, info), logPosition,
            STALE_PORT);
        return new EthDeviceInfo(
            rte_eth_dev_info.driver_name(info),
            rte_eth_dev_info.if_index(info),
            rte_eth_dev_info.max_rx_queues(info),
            rte_eth_dev_info.max_tx_queues(info),
            rte_eth_dev_info.min_rx_bufsize(info),
            rte_eth_dev_info.max_rx_pktlen(info),
            rte_eth_dev_info.min_mtu(info),
            rte_eth_dev_info.max_mtu(info),
            rte_eth_dev_info.max_mac_addrs(info),
            rte_eth_dev_info.rx_offload_capa(info),
            rte_eth_dev_info.tx_offload_capa(info),
            rte_eth_dev_info.flow_type_rss_offloads(info),
            rte_eth_dev_info.reta_size(info),
            rte_eth_dev_info.hash_key_size(info),
            rte_eth_dev_info.nb_rx_queues(info),
            rte_eth_dev_info.nb_tx_queues(info));
    }

    /**
     * {@code rte_eth_dev_configure} with {@code rxQueues} RX and {@code txQueues} TX queues. With
     * {@code rssHashFunctions} not 0, RX uses RSS ({@code RTE_ETH_MQ_RX_RSS}) with DPDK's default key and
     * those hash functions, which must be a subset of {@link EthDeviceInfo#rssHashFunctions()}; with 0, no RSS.
     * The port must be stopped. Every queue then needs {@link #setupRxQueue} / {@link #setupTxQueue}.
     */
    public void configure(final int rxQueues, final int txQueues, final long rssHashFunctions)
    {
        final long logPosition = Dpdk.logPosition();
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment conf = rte_eth_conf.allocate(call);
            rte_eth_conf.txmode_mq_mode(conf, opensase_dpdk_h.RTE_ETH_MQ_TX_NONE);
            if (0 == rssHashFunctions)
            {
                rte_eth_conf.rxmode_mq_mode(conf, opensase_dpdk_h.RTE_ETH_MQ_RX_NONE);
            }
            else
            {
                rte_eth_conf.rxmode_mq_mode(conf, opensase_dpdk_h.RTE_ETH_MQ_RX_RSS);
                final MemorySegment rss = rte_eth_conf.rx_adv_conf_rss_conf(conf);
                rte_eth_rss_conf.rss_key(rss, MemorySegment.NULL);
                rte_eth_rss_conf.rss_hf(rss, rssHashFunctions);
            }
            final int result = opensase_dpdk_h.rte_eth_dev_configure(port, (short)rxQueues, (short)txQueues, conf);
            if (result < 0)
            {
                final EthDeviceInfo device = info();
                throw Dpdk.failure("rte_eth_dev_configure(" + this + ", " + rxQueues + " rx, " + txQueues +
                    " tx, rss 0x" + Long.toHexString(rssHashFunctions) + ")", -result, logPosition,
                    Errno.EBUSY == -result ? "stop the port before configuring it" :
                        "the " + device.driverName() + " port takes 1 to " + device.maxRxQueues() + " RX and 1 to " +
                        device.maxTxQueues() + " TX queues and RSS hash functions within 0x" +
                        Long.toHexString(device.rssHashFunctions()) + " (0 for no RSS)");
            }
        }
    }

    /**
     * {@code rte_eth_rx_queue_setup} for queue {@code queue} with {@code descriptors} RX descriptors (or
     * {@link #DEFAULT_DESCRIPTORS}), receiving into mbufs from {@code pool}, on the port's NUMA socket.
     */
    public void setupRxQueue(final int queue, final int descriptors, final Mempool pool)
    {
        final long logPosition = Dpdk.logPosition();
        final int result = opensase_dpdk_h.rte_eth_rx_queue_setup(port, (short)queue, (short)descriptors,
            socket(), MemorySegment.NULL, pool.handle());
        if (result < 0)
        {
            throw Dpdk.failure("rte_eth_rx_queue_setup(" + this + ", queue " + queue + ", " + descriptors +
                " descriptors, " + pool + ")", -result, logPosition, "configure the port first, with more than " +
                queue + " RX queues; the descriptor count must suit the driver (0 asks for its default) and the " +
                "pool's data room must be at least the driver's minimum RX buffer (" + info().minRxBufferSize() +
                " bytes)");
        }
    }

    /** {@code rte_eth_tx_queue_setup} for queue {@code queue} with {@code descriptors} TX descriptors. */
    public void setupTxQueue(final int queue, final int descriptors)
    {
        final long logPosition = Dpdk.logPosition();
        final int result = opensase_dpdk_h.rte_eth_tx_queue_setup(port, (short)queue, (short)descriptors,
            socket(), MemorySegment.NULL);
        check("rte_eth_tx_queue_setup(" + this + ", queue " + queue + ", " + descriptors + " descriptors)",
            result, logPosition, "configure the port first, with more than " + queue + " TX queues; the " +
                "descriptor count must suit the driver (0 asks for its default)");
    }

    /** {@code rte_eth_dev_start}. */
    public void start()
    {
        final long logPosition = Dpdk.logPosition();
        check("rte_eth_dev_start(" + this + ")", opensase_dpdk_h.rte_eth_dev_start(port), logPosition,
            "configure the port and set up every RX and TX queue it was configured with before starting it");
        started = true;
    }

    /** {@code rte_eth_dev_stop}: the port stops receiving; its queues keep their mbufs until it is closed. */
    public void stop()
    {
        final long logPosition = Dpdk.logPosition();
        check("rte_eth_dev_stop(" + this + ")", opensase_dpdk_h.rte_eth_dev_stop(port), logPosition,
            "stop the lcores that poll the port first");
        started = false;
    }

    /** {@code rte_eth_promiscuous_enable}: receive frames for every destination address. */
    public void enablePromiscuous()
    {
        final long logPosition = Dpdk.logPosition();
        final int result = opensase_dpdk_h.rte_eth_promiscuous_enable(port);
        if (result < 0)
        {
            throw Dpdk.failure("rte_eth_promiscuous_enable(" + this + ")", -result, logPosition, "the " +
                info().driverName() + " driver may not support promiscuous mode (ENOTSUP)");
        }
    }

    /**
     * {@link #enablePromiscuous()} where the driver has the mode.
     *
     * @return false when the driver does not support promiscuous mode (ENOTSUP), as virtual devices over
     *         files or nothing do; any other failure throws.
     */
    public boolean enablePromiscuousIfSupported()
    {
        try
        {
            enablePromiscuous();
            return true;
        }
        catch (final DpdkException ex)
        {
            if (Errno.ENOTSUP == ex.errno())
            {
                return false;
            }
            throw ex;
        }
    }

    /** {@code rte_eth_promiscuous_get}. */
    public boolean isPromiscuous()
    {
        final long logPosition = Dpdk.logPosition();
        final int result = opensase_dpdk_h.rte_eth_promiscuous_get(port);
        check("rte_eth_promiscuous_get(" + this + ")", result, logPosition, STALE_PORT);
        return 1 == result;
    }

    /** {@code rte_eth_macaddr_get}: the port's primary address. */
    public MacAddress macAddress()
    {
        final long logPosition = Dpdk.logPosition();
        check("rte_eth_macaddr_get(" + this + ")", opensase_dpdk_h.rte_eth_macaddr_get(port, mac), logPosition,
            STALE_PORT);
        return new MacAddress(rte_ether_addr.addr_bytes(mac));
    }

    /** {@code rte_eth_link_get_nowait}: the link as the driver knows it now, without waiting for negotiation. */
    public LinkStatus link()
    {
        final long logPosition = Dpdk.logPosition();
        check("rte_eth_link_get_nowait(" + this + ")", opensase_dpdk_h.rte_eth_link_get_nowait(port, link),
            logPosition, "the driver cannot report its link (ENOTSUP) or the port id is no longer valid");
        return new LinkStatus(
            opensase_dpdk_h.RTE_ETH_LINK_UP == rte_eth_link.link_status(link),
            Integer.toUnsignedLong(rte_eth_link.link_speed(link)),
            opensase_dpdk_h.RTE_ETH_LINK_FULL_DUPLEX == rte_eth_link.link_duplex(link),
            opensase_dpdk_h.RTE_ETH_LINK_AUTONEG == rte_eth_link.link_autoneg(link));
    }

    /** {@code rte_eth_dev_rss_hash_conf_get}: the RSS hash functions the port applies now. */
    public long rssHashFunctions()
    {
        final long logPosition = Dpdk.logPosition();
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment rss = rte_eth_rss_conf.allocate(call);
            check("rte_eth_dev_rss_hash_conf_get(" + this + ")",
                opensase_dpdk_h.rte_eth_dev_rss_hash_conf_get(port, rss), logPosition,
                "the driver does not report RSS (ENOTSUP) or the port is not configured");
            return rte_eth_rss_conf.rss_hf(rss);
        }
    }

    /** {@code rte_eth_stats_get}. */
    public PortStats stats()
    {
        final long logPosition = Dpdk.logPosition();
        check("rte_eth_stats_get(" + this + ")", opensase_dpdk_h.rte_eth_stats_get(port, stats), logPosition,
            STALE_PORT);
        return new PortStats(
            rte_eth_stats.counter(stats, rte_eth_stats.ipackets$offset),
            rte_eth_stats.counter(stats, rte_eth_stats.opackets$offset),
            rte_eth_stats.counter(stats, rte_eth_stats.ibytes$offset),
            rte_eth_stats.counter(stats, rte_eth_stats.obytes$offset),
            rte_eth_stats.counter(stats, rte_eth_stats.imissed$offset),
            rte_eth_stats.counter(stats, rte_eth_stats.ierrors$offset),
            rte_eth_stats.counter(stats, rte_eth_stats.oerrors$offset),
            rte_eth_stats.counter(stats, rte_eth_stats.rx_nombuf$offset));
    }

    /** {@code rte_eth_stats_reset}. */
    public void resetStats()
    {
        final long logPosition = Dpdk.logPosition();
        check("rte_eth_stats_reset(" + this + ")", opensase_dpdk_h.rte_eth_stats_reset(port), logPosition,
            "the driver cannot reset its counters (ENOTSUP)");
    }

    /** {@code rte_eth_xstats_get_names} and {@code rte_eth_xstats_get}: every extended counter, in DPDK's order. */
    public Map<String, Long> xstats()
    {
        final long logPosition = Dpdk.logPosition();
        try (Arena call = Arena.ofConfined())
        {
            final int count = opensase_dpdk_h.rte_eth_xstats_get_names(port, MemorySegment.NULL, 0);
            check("rte_eth_xstats_get_names(" + this + ")", count, logPosition, STALE_PORT);
            final MemorySegment names = call.allocate(rte_eth_xstat_name.layout(), count);
            final MemorySegment values = call.allocate(rte_eth_xstat.layout(), count);
            final int named = opensase_dpdk_h.rte_eth_xstats_get_names(port, names, count);
            final int read = opensase_dpdk_h.rte_eth_xstats_get(port, values, count);
            check("rte_eth_xstats_get(" + this + ")", Math.min(named, read), logPosition,
                STALE_PORT);
            if (named != count || read != count)
            {
                throw new IllegalStateException("the number of xstats of " + this + " changed while reading them (" +
                    count + ", " + named + ", " + read + "): read them again");
            }
            final Map<String, Long> xstats = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                xstats.put(rte_eth_xstat_name.name(names, rte_eth_xstat.id(values, i)), rte_eth_xstat.value(values, i));
            }
            return xstats;
        }
    }

    /**
     * {@code rte_eth_rx_burst} on {@code queue}: receives up to {@code count} packets into {@code mbufs} (a
     * native array of pointers; {@code count} at most {@link #MAX_BURST}). Only the lcore that owns the queue calls
     * it. The caller owns the mbufs received.
     *
     * @return how many packets were received, 0 to {@code count}.
     */
    public int rxBurst(final int queue, final MemorySegment mbufs, final int count)
    {
        checkBurst(mbufs, count);
        return Short.toUnsignedInt(opensase_dpdk_h.opensase_rx_burst(port, (short)queue, mbufs, (short)count));
    }

    /**
     * {@code rte_eth_tx_burst} on {@code queue}: hands up to {@code count} packets from {@code mbufs} to the
     * driver, which frees them once sent. Only the lcore that owns the queue calls it.
     *
     * @return how many the driver took, {@code n}; {@code mbufs[n..count)} still belong to the caller, to retry
     * or to free ({@link Mempool#freeBulk}).
     */
    public int txBurst(final int queue, final MemorySegment mbufs, final int count)
    {
        checkBurst(mbufs, count);
        return Short.toUnsignedInt(opensase_dpdk_h.opensase_tx_burst(port, (short)queue, mbufs, (short)count));
    }

    /**
     * Stops the port if it was started by this object, then {@code rte_eth_dev_close}, which releases the port id:
     * the device stays probed (remove it with {@link HotplugDevice#close()}) but this port cannot be reopened.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (started)
            {
                stop();
            }
            final long logPosition = Dpdk.logPosition();
            check("rte_eth_dev_close(" + this + ")", opensase_dpdk_h.rte_eth_dev_close(port), logPosition,
                "stop the lcores that poll the port first");
        }
        finally
        {
            arena.close();
        }
    }

    @Override
    public String toString()
    {
        return "port " + portId + " (" + name + ")";
    }

    private static void checkBurst(final MemorySegment mbufs, final int count)
    {
        if (count > MAX_BURST)
        {
            throw new IllegalArgumentException("a burst counts in uint16_t: at most " + MAX_BURST + " packets, not " +
                count);
        }
        Mempool.checkArray(mbufs, count);
    }

    private int socket()
    {
        final int socket = opensase_dpdk_h.rte_eth_dev_socket_id(port);
        return socket < 0 ? opensase_dpdk_h.SOCKET_ID_ANY : socket;
    }

    private static void check(final String operation, final int result, final long logPosition, final String fix)
    {
        if (result < 0)
        {
            throw Dpdk.failure(operation, -result, logPosition, fix);
        }
    }
}
