package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_CHAR;
import static io.opensase.dpdk.internal.CTypes.C_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/**
 * {@code struct rte_eth_link}: a speed and three one-bit fields, which FFM cannot name; their bit numbers from
 * the start of the struct ({@code $bit}) are checked against the compiler's. Stateless, any thread.
 */
public final class rte_eth_link
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_INT.withName("link_speed"),
        Structs.padding(4))
        .withByteAlignment(8)
        .withName("rte_eth_link");

    public static final long link_speed$offset = Structs.offset(LAYOUT, "link_speed");
    public static final int link_duplex$bit = 32;
    public static final int link_autoneg$bit = 33;
    public static final int link_status$bit = 34;

    private rte_eth_link()
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

    /** Mbps; {@code UINT32_MAX} when unknown. */
    public static int link_speed(final MemorySegment struct)
    {
        return struct.get(C_INT, link_speed$offset);
    }

    public static int link_duplex(final MemorySegment struct)
    {
        return bit(struct, link_duplex$bit);
    }

    public static int link_autoneg(final MemorySegment struct)
    {
        return bit(struct, link_autoneg$bit);
    }

    public static int link_status(final MemorySegment struct)
    {
        return bit(struct, link_status$bit);
    }

    private static int bit(final MemorySegment struct, final int bit)
    {
        return (struct.get(C_CHAR, bit / 8) >> (bit % 8)) & 1;
    }
}
