package io.opensase.core.packet;

import io.opensase.core.ring.MpscLongRing;
import io.opensase.dpdk.Mbuf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Off-heap packet buffers laid out as DPDK mbufs (header, headroom, data room), so that pure-Java ports
 * feed the pipeline the same way DPDK ports do.
 * <p>
 * One thread, the pool's owner, allocates; any thread frees. Freed buffers come back through a
 * multi-producer ring that the owner drains when its own stack of free buffers runs out.
 */
public final class JavaPacketPool implements PacketPool, AutoCloseable
{
    /** Frames up to this size are held whole in one buffer. */
    public static final int DATA_ROOM = 9216;
    private static final int ELEMENT = Mbuf.HEADER_SIZE + Mbuf.HEADROOM + DATA_ROOM;

    private final Arena arena = Arena.ofShared();
    private final int capacity;
    private final long[] free;
    private final MpscLongRing returned;
    private int freeCount;

    public JavaPacketPool(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("pool capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        final MemorySegment memory = arena.allocate((long)ELEMENT * capacity, 64);
        free = new long[capacity];
        for (int i = 0; i < capacity; i++)
        {
            final long mbuf = memory.address() + (long)i * ELEMENT;
            Mbuf.initialise(mbuf, mbuf + Mbuf.HEADER_SIZE, Mbuf.HEADROOM + DATA_ROOM);
            free[capacity - 1 - i] = mbuf;
        }
        freeCount = capacity;
        returned = new MpscLongRing(Integer.highestOneBit(capacity * 2 - 1));
    }

    /**
     * Owner thread only: takes up to {@code count} buffers.
     *
     * @return how many were taken into {@code mbufs[0..]}; fewer when the pool runs low.
     */
    public int allocate(final MbufArray mbufs, final int count)
    {
        if (freeCount < count)
        {
            freeCount += returned.poll(free, freeCount, capacity - freeCount);
        }
        final int n = Math.min(count, freeCount);
        for (int i = 0; i < n; i++)
        {
            mbufs.set(i, free[--freeCount]);
        }
        return n;
    }

    @Override
    public void free(final MbufArray mbufs, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            while (!returned.offer(mbufs.get(i)))
            {
                Thread.onSpinWait();
            }
        }
    }

    /** Owner thread, or any thread once no other thread uses the pool. */
    @Override
    public int inUse()
    {
        freeCount += returned.poll(free, freeCount, capacity - freeCount);
        return capacity - freeCount;
    }

    @Override
    public int dataRoom()
    {
        return DATA_ROOM;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
