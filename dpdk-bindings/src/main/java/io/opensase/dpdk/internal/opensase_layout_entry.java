package io.opensase.dpdk.internal;

import static io.opensase.dpdk.internal.CTypes.C_INT;
import static io.opensase.dpdk.internal.CTypes.C_POINTER;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct opensase_layout_entry} of the shim: one row of its layout table. Stateless, any thread. */
public final class opensase_layout_entry
{
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        C_POINTER.withName("name"),
        C_INT.withName("offset"),
        C_INT.withName("size"))
        .withName("opensase_layout_entry");

    public static final long name$offset = Structs.offset(LAYOUT, "name");
    public static final long offset$offset = Structs.offset(LAYOUT, "offset");
    public static final long size$offset = Structs.offset(LAYOUT, "size");

    private opensase_layout_entry()
    {
    }

    public static StructLayout layout()
    {
        return LAYOUT;
    }

    public static String name(final MemorySegment array, final long index)
    {
        return Structs.string(array.get(C_POINTER, index * LAYOUT.byteSize() + name$offset));
    }

    public static int offset(final MemorySegment array, final long index)
    {
        return array.get(C_INT, index * LAYOUT.byteSize() + offset$offset);
    }

    public static int size(final MemorySegment array, final long index)
    {
        return array.get(C_INT, index * LAYOUT.byteSize() + size$offset);
    }
}
