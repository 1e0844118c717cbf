package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_INT;
import static io.opensase.dpdk.internal.CTypes.C_LONG_LONG;
import static io.opensase.dpdk.internal.CTypes.C_POINTER;
import static io.opensase.dpdk.internal.CTypes.C_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct rte_mbuf} of DPDK 22.11 on x86_64 built with {@code RTE_IOVA_AS_PA} (Debian's build), where
 * {@code next} sits in the second cache line. Unions and markers are named after the C member that holds them
 * ({@code hash}). Stateless, any thread; {@code io.opensase.dpdk.Mbuf} reads the fields.
 */
public final class rte_mbuf
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("buf_addr"),
        C_LONG_LONG.withName("buf_iova"),
        C_SHORT.withName("data_off"),
        C_SHORT.withName("refcnt"),
        C_SHORT.withName("nb_segs"),
        C_SHORT.withName("port"),
        C_LONG_LONG.withName("ol_flags"),
        C_INT.withName("packet_type"),
        C_INT.withName("pkt_len"),
        C_SHORT.withName("data_len"),
        C_SHORT.withName("vlan_tci"),
        MemoryLayout.sequenceLayout(2, C_INT).withName("hash"),
        C_SHORT.withName("vlan_tci_outer"),
        C_SHORT.withName("buf_len"),
        C_POINTER.withName("pool"),
        C_POINTER.withName("next"),
        C_LONG_LONG.withName("tx_offload"),
        C_POINTER.withName("shinfo"),
        C_SHORT.withName("priv_size"),
        C_SHORT.withName("timesync"),
        MemoryLayout.sequenceLayout(9, C_INT).withName("dynfield1"))
        .withByteAlignment(64)
        .withName("rte_mbuf");

    public static final long buf_addr$offset = Structs.offset(LAYOUT, "buf_addr");
    public static final long data_off$offset = Structs.offset(LAYOUT, "data_off");
    public static final long refcnt$offset = Structs.offset(LAYOUT, "refcnt");
    public static final long nb_segs$offset = Structs.offset(LAYOUT, "nb_segs");
    public static final long port$offset = Structs.offset(LAYOUT, "port");
    public static final long ol_flags$offset = Structs.offset(LAYOUT, "ol_flags");
    public static final long pkt_len$offset = Structs.offset(LAYOUT, "pkt_len");
    public static final long data_len$offset = Structs.offset(LAYOUT, "data_len");
    public static final long buf_len$offset = Structs.offset(LAYOUT, "buf_len");
    public static final long pool$offset = Structs.offset(LAYOUT, "pool");
    public static final long next$offset = Structs.offset(LAYOUT, "next");
    public static final long dynfield1$offset = Structs.offset(LAYOUT, "dynfield1");
    public static final long dynfield1$size = LAYOUT.select(MemoryLayout.PathElement.groupElement("dynfield1"))
        .byteSize();

    private rte_mbuf()
    {
    }

    public static StructLayout layout()
    {
        return LAYOUT;
    }

    public static long sizeof()
    {
        return LAYOUT.byteSize();
    }
}
