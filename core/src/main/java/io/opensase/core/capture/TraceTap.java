package io.opensase.core.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's side of a packet trace: while armed with a filter, the worker writes what its stages decided
 * about each packet the filter takes (tenant, flow, firewall rule, verdict, policy generation) into a ring of
 * preallocated entries that the control thread reads. Single producer, single consumer; a full ring counts
 * the entry missed and the worker goes on.
 */
public final class TraceTap
{
    public static final int SLOTS = 1024;

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle MISSED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(TraceTap.class, "tail", long.class);
            HEAD = lookup.findVarHandle(TraceTap.class, "head", long.class);
            MISSED = lookup.findVarHandle(TraceTap.class, "missed", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile PacketFilter filter;
    private final long[] timestampsNs = new long[SLOTS];
    private final long[] generations = new long[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final int[] tenants = new int[SLOTS];
    private final int[] flows = new int[SLOTS];
    private final int[] rules = new int[SLOTS];
    private final byte[] verdicts = new byte[SLOTS];
    @SuppressWarnings("unused")
    private long tail;
    @SuppressWarnings("unused")
    private long head;
    @SuppressWarnings("unused")
    private long missed;

    /** Worker: the filter of the trace under way, or null. */
    public PacketFilter filter()
    {
        return filter;
    }

    /** Worker: records one packet's decisions. */
    public void record(final long timestampNs, final int length, final int tenant, final int flow, final int rule,
        final byte verdict, final long generation)
    {
        final long at = (long)TAIL.getOpaque(this);
        if (at - (long)HEAD.getAcquire(this) >= SLOTS)
        {
            MISSED.setOpaque(this, (long)MISSED.getOpaque(this) + 1);
            return;
        }
        final int slot = (int)(at & (SLOTS - 1));
        timestampsNs[slot] = timestampNs;
        lengths[slot] = length;
        tenants[slot] = tenant;
        flows[slot] = flow;
        rules[slot] = rule;
        verdicts[slot] = verdict;
        generations[slot] = generation;
        TAIL.setRelease(this, at + 1);
    }

    void arm(final PacketFilter trace)
    {
        MISSED.setOpaque(this, 0L);
        HEAD.setRelease(this, (long)TAIL.getAcquire(this));
        filter = trace;
    }

    void disarm()
    {
        filter = null;
    }

    /** One recorded packet, as the control thread reads it. */
    public record Entry(int worker, long timestampNs, int length, int tenant, int flow, int rule, byte verdict,
        long generation)
    {
    }

    /** Control thread: moves the recorded entries into {@code into}. */
    void drain(final int worker, final java.util.List<Entry> into)
    {
        final long from = (long)HEAD.getOpaque(this);
        final long to = (long)TAIL.getAcquire(this);
        for (long at = from; at < to; at++)
        {
            final int slot = (int)(at & (SLOTS - 1));
            into.add(new Entry(worker, timestampsNs[slot], lengths[slot], tenants[slot], flows[slot], rules[slot],
                verdicts[slot], generations[slot]));
        }
        HEAD.setRelease(this, to);
    }

    long missed()
    {
        return (long)MISSED.getOpaque(this);
    }
}
