package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_INT;
import static io.opensase.dpdk.internal.CTypes.C_LONG_LONG;
import static io.opensase.dpdk.internal.CTypes.C_POINTER;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/**
 * {@code struct rte_eth_conf} (2,272 bytes in 22.11): the members a port configuration sets, the rest padding
 * that {@link #allocate} leaves zeroed, which DPDK reads as "default". Stateless, any thread.
 */
public final class rte_eth_conf
{
    private static final StructLayout RXMODE = MemoryLayout.structLayout(
        C_INT.withName("mq_mode"),
        C_INT.withName("mtu"),
        C_INT.withName("max_lro_pkt_size"),
        Structs.padding(4),
        C_LONG_LONG.withName("offloads"),
        MemoryLayout.sequenceLayout(2, C_LONG_LONG).withName("reserved_64s"),
        MemoryLayout.sequenceLayout(2, C_POINTER).withName("reserved_ptrs"))
        .withName("rte_eth_rxmode");

    private static final StructLayout TXMODE = MemoryLayout.structLayout(
        C_INT.withName("mq_mode"),
        Structs.padding(4),
        C_LONG_LONG.withName("offloads"),
        Structs.padding(40))
        .withName("rte_eth_txmode");

    private static final StructLayout RX_ADV_CONF = MemoryLayout.structLayout(
        rte_eth_rss_conf.layout().withName("rss_conf"),
        Structs.padding(2096));

    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("link_speeds"),
        Structs.padding(4),
        RXMODE.withName("rxmode"),
        TXMODE.withName("txmode"),
        C_INT.withName("lpbk_mode"),
        Structs.padding(4),
        RX_ADV_CONF.withName("rx_adv_conf"),
        Structs.padding(24))
        .withName("rte_eth_conf");

    public static final long rxmode_mq_mode$offset = Structs.offset(LAYOUT, "rxmode.mq_mode");
    public static final long rxmode_mtu$offset = Structs.offset(LAYOUT, "rxmode.mtu");
    public static final long rxmode_offloads$offset = Structs.offset(LAYOUT, "rxmode.offloads");
    public static final long txmode_mq_mode$offset = Structs.offset(LAYOUT, "txmode.mq_mode");
    public static final long txmode_offloads$offset = Structs.offset(LAYOUT, "txmode.offloads");
    public static final long rss_conf$offset = Structs.offset(LAYOUT, "rx_adv_conf.rss_conf");

    private rte_eth_conf()
    {
    }

    public static StructLayout layout()
    {
        return LAYOUT;
    }

    /** A zeroed configuration: every member at DPDK's default. */
    public static MemorySegment allocate(final SegmentAllocator allocator)
    {
        return allocator.allocate(LAYOUT);
    }

    public static void rxmode_mq_mode(final MemorySegment struct, final int value)
    {
        struct.set(C_INT, rxmode_mq_mode$offset, value);
    }

    public static void rxmode_mtu(final MemorySegment struct, final int value)
    {
        struct.set(C_INT, rxmode_mtu$offset, value);
    }

    public static void rxmode_offloads(final MemorySegment struct, final long value)
    {
        struct.set(C_LONG_LONG, rxmode_offloads$offset, value);
    }

    public static void txmode_mq_mode(final MemorySegment struct, final int value)
    {
        struct.set(C_INT, txmode_mq_mode$offset, value);
    }

    public static void txmode_offloads(final MemorySegment struct, final long value)
    {
        struct.set(C_LONG_LONG, txmode_offloads$offset, value);
    }

    /** The embedded {@code rx_adv_conf.rss_conf}, to fill with {@link rte_eth_rss_conf}'s accessors. */
    public static MemorySegment rx_adv_conf_rss_conf(final MemorySegment struct)
    {
        return struct.asSlice(rss_conf$offset, rte_eth_rss_conf.layout());
    }
}
