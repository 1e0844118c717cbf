package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_CHAR;
import static io.opensase.dpdk.internal.opensase_dpdk_h.RTE_ETH_XSTATS_NAME_SIZE;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct rte_eth_xstat_name}: the name of one extended counter. Stateless, any thread. */
public final class rte_eth_xstat_name
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(RTE_ETH_XSTATS_NAME_SIZE, C_CHAR).withName("name"))
        .withName("rte_eth_xstat_name");

    private rte_eth_xstat_name()
    {
    }

    public static StructLayout layout()
    {
        return LAYOUT;
    }

    public static String name(final MemorySegment array, final long index)
    {
        return Structs.string(array, index * LAYOUT.byteSize(), RTE_ETH_XSTATS_NAME_SIZE);
    }
}
