package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_CHAR;
import static io.opensase.dpdk.internal.CTypes.C_LONG_LONG;
import static io.opensase.dpdk.internal.CTypes.C_POINTER;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;

/** {@code struct rte_eth_rss_conf}: the RSS key and hash functions. Stateless, any thread. */
public final class rte_eth_rss_conf
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("rss_key"),
        C_CHAR.withName("rss_key_len"),
        Structs.padding(7),
        C_LONG_LONG.withName("rss_hf"))
        .withName("rte_eth_rss_conf");

    public static final long rss_key$offset = Structs.offset(LAYOUT, "rss_key");
    public static final long rss_key_len$offset = Structs.offset(LAYOUT, "rss_key_len");
    public static final long rss_hf$offset = Structs.offset(LAYOUT, "rss_hf");

    private rte_eth_rss_conf()
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

    public static long rss_hf(final MemorySegment struct)
    {
        return struct.get(C_LONG_LONG, rss_hf$offset);
    }

    public static void rss_hf(final MemorySegment struct, final long value)
    {
        struct.set(C_LONG_LONG, rss_hf$offset, value);
    }

    public static void rss_key(final MemorySegment struct, final MemorySegment value)
    {
        struct.set(C_POINTER, rss_key$offset, value);
    }

    public static void rss_key_len(final MemorySegment struct, final byte value)
    {
        struct.set(C_CHAR, rss_key_len$offset, value);
    }
}
