package io.opensase.classifiers.parse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Network-byte-order views used to read packet bytes at absolute native addresses.
 * <p>
 * Packet memory is either DPDK mbuf memory or the project's off-heap Java packet pool; both are read
 * through {@link #ALL}, one segment over the whole address space, so that no {@code MemorySegment} is
 * created per packet. {@code ALL} has no bounds of its own: every reader must check offsets against the
 * packet's captured length before reading. Tests pass an exactly-sized segment instead, which turns any
 * read past the packet into an exception.
 */
public final class PacketMemory
{
    /** The whole native address space; reads are only as safe as the caller's own length checks. */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    public static final ValueLayout.OfShort U16 =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PacketMemory()
    {
    }

    public static int u8(final MemorySegment mem, final long address)
    {
        return mem.get(ValueLayout.JAVA_BYTE, address) & 0xFF;
    }

    public static int u16(final MemorySegment mem, final long address)
    {
        return mem.get(U16, address) & 0xFFFF;
    }

    public static long u32(final MemorySegment mem, final long address)
    {
        return mem.get(U32, address) & 0xFFFF_FFFFL;
    }

    public static long u64(final MemorySegment mem, final long address)
    {
        return mem.get(U64, address);
    }
}
