package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_CHAR;
import static io.opensase.dpdk.internal.CTypes.C_INT;
import static io.opensase.dpdk.internal.CTypes.C_LONG_LONG;
import static io.opensase.dpdk.internal.CTypes.C_POINTER;
import static io.opensase.dpdk.internal.CTypes.C_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/** {@code struct rte_eth_dev_info} (376 bytes in 22.11): the members the bindings read. Stateless, any thread. */
public final class rte_eth_dev_info
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("device"),
        C_POINTER.withName("driver_name"),
        C_INT.withName("if_index"),
        C_SHORT.withName("min_mtu"),
        C_SHORT.withName("max_mtu"),
        C_POINTER.withName("dev_flags"),
        C_INT.withName("min_rx_bufsize"),
        C_INT.withName("max_rx_pktlen"),
        C_INT.withName("max_lro_pkt_size"),
        C_SHORT.withName("max_rx_queues"),
        C_SHORT.withName("max_tx_queues"),
        C_INT.withName("max_mac_addrs"),
        Structs.padding(20),
        C_LONG_LONG.withName("rx_offload_capa"),
        C_LONG_LONG.withName("tx_offload_capa"),
        C_LONG_LONG.withName("rx_queue_offload_capa"),
        C_LONG_LONG.withName("tx_queue_offload_capa"),
        C_SHORT.withName("reta_size"),
        C_CHAR.withName("hash_key_size"),
        Structs.padding(5),
        C_LONG_LONG.withName("flow_type_rss_offloads"),
        Structs.padding(168),
        C_SHORT.withName("nb_rx_queues"),
        C_SHORT.withName("nb_tx_queues"),
        Structs.padding(84))
        .withName("rte_eth_dev_info");

    public static final long device$offset = Structs.offset(LAYOUT, "device");
    public static final long driver_name$offset = Structs.offset(LAYOUT, "driver_name");
    public static final long if_index$offset = Structs.offset(LAYOUT, "if_index");
    public static final long min_mtu$offset = Structs.offset(LAYOUT, "min_mtu");
    public static final long max_mtu$offset = Structs.offset(LAYOUT, "max_mtu");
    public static final long min_rx_bufsize$offset = Structs.offset(LAYOUT, "min_rx_bufsize");
    public static final long max_rx_pktlen$offset = Structs.offset(LAYOUT, "max_rx_pktlen");
    public static final long max_rx_queues$offset = Structs.offset(LAYOUT, "max_rx_queues");
    public static final long max_tx_queues$offset = Structs.offset(LAYOUT, "max_tx_queues");
    public static final long max_mac_addrs$offset = Structs.offset(LAYOUT, "max_mac_addrs");
    public static final long rx_offload_capa$offset = Structs.offset(LAYOUT, "rx_offload_capa");
    public static final long tx_offload_capa$offset = Structs.offset(LAYOUT, "tx_offload_capa");
    public static final long reta_size$offset = Structs.offset(LAYOUT, "reta_size");
    public static final long hash_key_size$offset = Structs.offset(LAYOUT, "hash_key_size");
    public static final long flow_type_rss_offloads$offset = Structs.offset(LAYOUT, "flow_type_rss_offloads");
    public static final long nb_rx_queues$offset = Structs.offset(LAYOUT, "nb_rx_queues");
    public static final long nb_tx_queues$offset = Structs.offset(LAYOUT, "nb_tx_queues");

    private rte_eth_dev_info()
    {
    }

    public static StructLayout layout()
    {
        return LAYOUT;
    }

    public static MemorySegment allocate(final SegmentAllocator allocator)
    {
        return allocator.allocate(LAYOUT);
    }

    /** {@code struct rte_device *}: what {@code rte_dev_remove} takes. */
    public static MemorySegment device(final MemorySegment struct)
    {
        return struct.get(C_POINTER, device$offset);
    }

    /** The driver's name ({@code net_null}, {@code net_pcap}); static storage in the driver. */
    public static String driver_name(final MemorySegment struct)
    {
        return Structs.string(struct.get(C_POINTER, driver_name$offset));
    }

    public static int if_index(final MemorySegment struct)
    {
        return struct.get(C_INT, if_index$offset);
    }

    public static int min_mtu(final MemorySegment struct)
    {
        return Short.toUnsignedInt(struct.get(C_SHORT, min_mtu$offset));
    }

    public static int max_mtu(final MemorySegment struct)
    {
        return Short.toUnsignedInt(struct.get(C_SHORT, max_mtu$offset));
    }

    public static int min_rx_bufsize(final MemorySegment struct)
    {
        return struct.get(C_INT, min_rx_bufsize$offset);
    }

    public static int max_rx_pktlen(final MemorySegment struct)
    {
        return struct.get(C_INT, max_rx_pktlen$offset);
    }

    public static int max_rx_queues(final MemorySegment struct)
    {
        return Short.toUnsignedInt(struct.get(C_SHORT, max_rx_queues$offset));
    }

    public static int max_tx_queues(final MemorySegment struct)
    {
        return Short.toUnsignedInt(struct.get(C_SHORT, max_tx_queues$offset));
    }

    public static int max_mac_addrs(final MemorySegment struct)
    {
        return struct.get(C_INT, max_mac_addrs$offset);
    }

    public static long rx_offload_capa(final MemorySegment struct)
    {
        return struct.get(C_LONG_LONG, rx_offload_capa$offset);
    }

    public static long tx_offload_capa(final MemorySegment struct)
    {
        return struct.get(C_LONG_LONG, tx_offload_capa$offset);
    }

    public static int reta_size(final MemorySegment struct)
    {
        return Short.toUnsignedInt(struct.get(C_SHORT, reta_size$offset));
    }

    public static int hash_key_size(final MemorySegment struct)
    {
        return Byte.toUnsignedInt(struct.get(C_CHAR, hash_key_size$offset));
    }

    public static long flow_type_rss_offloads(final MemorySegment struct)
    {
        return struct.get(C_LONG_LONG, flow_type_rss_offloads$offset);
    }

    public static int nb_rx_queues(final MemorySegment struct)
    {
        return Short.toUnsignedInt(struct.get(C_SHORT, nb_rx_queues$offset));
    }

    public static int nb_tx_queues(final MemorySegment struct)
    {
        return Short.toUnsignedInt(struct.get(C_SHORT, nb_tx_queues$offset));
    }
}
