package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_LONG_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct rte_eth_xstat}: one extended counter, by id into the names array. Stateless, any thread. */
public final class rte_eth_xstat
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_LONG_LONG.withName("id"),
        C_LONG_LONG.withName("value"))
        .withName("rte_eth_xstat");

    public static final long id$offset = Structs.offset(LAYOUT, "id");
    public static final long value$offset = Structs.offset(LAYOUT, "value");

    private rte_eth_xstat()
    {
    }

    public static StructLayout layout()
    {
        return LAYOUT;
    }

    public static long id(final MemorySegment array, final long index)
    {
        return array.get(C_LONG_LONG, index * LAYOUT.byteSize() + id$offset);
    }

    public static long value(final MemorySegment array, final long index)
    {
        return array.get(C_LONG_LONG, index * LAYOUT.byteSize() + value$offset);
    }
}
