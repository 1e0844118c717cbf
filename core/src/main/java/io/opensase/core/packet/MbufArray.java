package io.opensase.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * A fixed array of mbuf addresses seen two ways: as a Java {@code long[]} for the pipeline and the rings,
 * and as a segment over that same array for DPDK's burst calls, which take it without a copy. Owned by one
 * thread; made once, so no burst allocates a segment.
 */
public final class MbufArray
{
    private final long[] addresses;
    private final MemorySegment segment;

    public MbufArray(final int capacity)
    {
        addresses = new long[capacity];
        segment = MemorySegment.ofArray(addresses);
    }

    public long[] addresses()
    {
        return addresses;
    }

    public MemorySegment segment()
    {
        return segment;
    }

    public int capacity()
    {
        return addresses.length;
    }

    public long get(final int i)
    {
        return addresses[i];
    }

    public void set(final int i, final long mbuf)
    {
        addresses[i] = mbuf;
    }
}
