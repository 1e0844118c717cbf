package io.opensase.classifiers.app;

/**
 * The slot numbers {@code 0 .. capacity-1} of a parser that keeps per-flow state in arrays indexed by slot: a
 * flow takes a slot when it starts and gives it back when it ends (the HTTP parser's header blocks are handed
 * out the same way, per message). A stack of free numbers: take and release are O(1), and nothing is allocated
 * after construction.
 */
public final class FlowSlots
{
    private final int[] free;
    private int freeCount;
    private final boolean[] taken;

    public FlowSlots(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        taken = new boolean[capacity];
    }

    /** A free slot (slot 0 first on a fresh pool), or -1 when every slot is taken. */
    public int take()
    {
        if (0 == freeCount)
        {
            return -1;
        }
        final int slot = free[--freeCount];
        taken[slot] = true;
        return slot;
    }

    public boolean isTaken(final int slot)
    {
        return taken[slot];
    }

    /** Gives the slot back; returns false, changing nothing, when it was not taken. */
    public boolean release(final int slot)
    {
        if (!taken[slot])
        {
            return false;
        }
        taken[slot] = false;
        free[freeCount++] = slot;
        return true;
    }

    public int takenCount()
    {
        return taken.length - freeCount;
    }

    public int capacity()
    {
        return taken.length;
    }
}
