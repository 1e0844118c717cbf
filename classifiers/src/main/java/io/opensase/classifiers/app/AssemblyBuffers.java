package io.opensase.classifiers.app;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A fixed pool of equal off-heap buffers in which a parser gathers a message that arrived in pieces (a TLS
 * handshake message split across records or segments, a DNS message split across TCP segments). A flow holds
 * a buffer only while such a message is incomplete, so a pool much smaller than the flow table serves it.
 * Owned by one worker thread; nothing is allocated after construction.
 */
public final class AssemblyBuffers implements AutoCloseable
{
    private final Arena arena;
    private final MemorySegment memory;
    private final int bufferBytes;
    private final int[] free;
    private int freeCount;

    public AssemblyBuffers(final int count, final int bufferBytes)
    {
        if (count < 1 || bufferBytes < 1)
        {
            throw new IllegalArgumentException("count and bufferBytes must be positive: " + count + ", " + bufferBytes);
        }
        this.arena = Arena.ofShared();
        this.memory = arena.allocate((long)count * bufferBytes, 64);
        this.bufferBytes = bufferBytes;
        this.free = new int[count];
        for (int b = 0; b < count; b++)
        {
            free[b] = count - 1 - b;
        }
        this.freeCount = count;
    }

    /** A free buffer's number, or -1 when every buffer is taken. */
    public int take()
    {
        return 0 == freeCount ? -1 : free[--freeCount];
    }

    public void release(final int buffer)
    {
        free[freeCount++] = buffer;
    }

    /** The memory of all buffers; buffer {@code b} starts at {@link #offset offset(b)}. */
    public MemorySegment memory()
    {
        return memory;
    }

    public long offset(final int buffer)
    {
        return (long)buffer * bufferBytes;
    }

    public int bufferBytes()
    {
        return bufferBytes;
    }

    public int available()
    {
        return freeCount;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
