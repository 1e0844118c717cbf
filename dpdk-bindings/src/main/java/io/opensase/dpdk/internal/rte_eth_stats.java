package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_LONG_LONG;
import static io.opensase.dpdk.internal.opensase_dpdk_h.RTE_ETHDEV_QUEUE_STAT_CNTRS;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/** {@code struct rte_eth_stats}: basic port counters, totals and per queue. Stateless, any thread. */
public final class rte_eth_stats
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("ipackets"),
        C_LONG_LONG.withName("opackets"),
        C_LONG_LONG.withName("ibytes"),
        C_LONG_LONG.withName("obytes"),
        C_LONG_LONG.withName("imissed"),
        C_LONG_LONG.withName("ierrors"),
        C_LONG_LONG.withName("oerrors"),
        C_LONG_LONG.withName("rx_nombuf"),
        MemoryLayout.sequenceLayout(RTE_ETHDEV_QUEUE_STAT_CNTRS, C_LONG_LONG).withName("q_ipackets"),
        MemoryLayout.sequenceLayout(RTE_ETHDEV_QUEUE_STAT_CNTRS, C_LONG_LONG).withName("q_opackets"),
        MemoryLayout.sequenceLayout(RTE_ETHDEV_QUEUE_STAT_CNTRS, C_LONG_LONG).withName("q_ibytes"),
        MemoryLayout.sequenceLayout(RTE_ETHDEV_QUEUE_STAT_CNTRS, C_LONG_LONG).withName("q_obytes"),
        MemoryLayout.sequenceLayout(RTE_ETHDEV_QUEUE_STAT_CNTRS, C_LONG_LONG).withName("q_errors"))
        .withName("rte_eth_stats");

    public static final long ipackets$offset = Structs.offset(LAYOUT, "ipackets");
    public static final long opackets$offset = Structs.offset(LAYOUT, "opackets");
    public static final long ibytes$offset = Structs.offset(LAYOUT, "ibytes");
    public static final long obytes$offset = Structs.offset(LAYOUT, "obytes");
    public static final long imissed$offset = Structs.offset(LAYOUT, "imissed");
    public static final long ierrors$offset = Structs.offset(LAYOUT, "ierrors");
    public static final long oerrors$offset = Structs.offset(LAYOUT, "oerrors");
    public static final long rx_nombuf$offset = Structs.offset(LAYOUT, "rx_nombuf");

    private rte_eth_stats()
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

    /** Any of the eight 64-bit totals, by its {@code $offset}. */
    public static long counter(final MemorySegment struct, final long offset)
    {
        return struct.get(C_LONG_LONG, offset);
    }
}
