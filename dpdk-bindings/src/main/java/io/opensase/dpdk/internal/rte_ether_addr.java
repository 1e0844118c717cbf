package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_CHAR;
import static io.opensase.dpdk.internal.opensase_dpdk_h.RTE_ETHER_ADDR_LEN;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/** {@code struct rte_ether_addr}: six bytes in transmission order, 2-byte aligned. Stateless, any thread. */
public final class rte_ether_addr
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(RTE_ETHER_ADDR_LEN, C_CHAR).withName("addr_bytes"))
        .withByteAlignment(2)
        .withName("rte_ether_addr");

    private rte_ether_addr()
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

    /** The address as a 48-bit number, first byte most significant. */
    public static long addr_bytes(final MemorySegment struct)
    {
        long value = 0;
        for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++)
        {
            value = (value << 8) | Byte.toUnsignedLong(struct.get(C_CHAR, i));
        }
        return value;
    }
}
