package io.opensase.core.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of a tap's ring: a single producer (a worker) fills preallocated slots in order, a single
 * consumer (a control thread) reads them; a full ring refuses the slot and counts it missed, so the worker
 * never waits. The slots themselves live in the tap.
 */
final class TapSequence
{
    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle MISSED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(TapSequence.class, "tail", long.class);
            HEAD = lookup.findVarHandle(TapSequence.class, "head", long.class);
            MISSED = lookup.findVarHandle(TapSequence.class, "missed", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int slots;
    @SuppressWarnings("unused")
    private long tail;
    @SuppressWarnings("unused")
    private long head;
    @SuppressWarnings("unused")
    private long missed;

    /** @param slots a power of two. */
    TapSequence(final int slots)
    {
        this.slots = slots;
    }

    /** Producer: the slot to fill next, or -1 (counted missed) when the ring is full. */
    int claim()
    {
        final long at = (long)TAIL.getOpaque(this);
        if (at - (long)HEAD.getAcquire(this) >= slots)
        {
            MISSED.setOpaque(this, (long)MISSED.getOpaque(this) + 1);
            return -1;
        }
        return (int)(at & (slots - 1));
    }

    /** Producer: the claimed slot is filled and may be read. */
    void publish()
    {
        TAIL.setRelease(this, (long)TAIL.getOpaque(this) + 1);
    }

    /** Consumer: the first unread position. */
    long head()
    {
        return (long)HEAD.getOpaque(this);
    }

    /** Consumer: one past the last filled position. */
    long tail()
    {
        return (long)TAIL.getAcquire(this);
    }

    /** Consumer: positions before {@code to} are read and their slots free again. */
    void consumed(final long to)
    {
        HEAD.setRelease(this, to);
    }

    /** Consumer: the slot of a position. */
    int slot(final long position)
    {
        return (int)(position & (slots - 1));
    }

    /** Consumer, before a new capture or trace: forgets what was left unread and what was missed. */
    void restart()
    {
        MISSED.setOpaque(this, 0L);
        HEAD.setRelease(this, (long)TAIL.getAcquire(this));
    }

    long missed()
    {
        return (long)MISSED.getOpaque(this);
    }
}
