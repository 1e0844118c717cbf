package io.opensase.dpdk.internal;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Helpers the struct classes share; stateless, any thread. */
final class Structs
{
    private Structs()
    {
    }

    /** Byte offset of a member given as a dotted C designator ({@code "rxmode.mq_mode"}). */
    static long offset(final GroupLayout layout, final String designator)
    {
        return layout.byteOffset(Arrays.stream(designator.split("\\."))
            .map(PathElement::groupElement)
            .toArray(PathElement[]::new));
    }

    static MemoryLayout padding(final long bytes)
    {
        return MemoryLayout.paddingLayout(bytes);
    }

    /** The NUL-terminated string a {@code char *} points to; "" for NULL. Needs native access. */
    static String string(final MemorySegment pointer)
    {
        return MemorySegment.NULL.equals(pointer) ? "" : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** A NUL-terminated string held in a fixed-size char array at {@code offset}. */
    static String string(final MemorySegment struct, final long offset, final long capacity)
    {
        final MemorySegment chars = struct.asSlice(offset, capacity);
        long length = 0;
        while (length < capacity && 0 != chars.get(CTypes.C_CHAR, length))
        {
            length++;
        }
        return new String(chars.asSlice(0, length).toArray(CTypes.C_CHAR), StandardCharsets.UTF_8);
    }
}
