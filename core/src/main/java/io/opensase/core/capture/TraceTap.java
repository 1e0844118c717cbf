package io.opensase.core.capture;

/**
 * One worker's side of a packet trace: while armed with a filter, the worker writes what its stages decided
 * about each packet the filter takes (tenant, flow, firewall rule, verdict, policy generation) into a ring of
 * preallocated entries that the control thread reads. Single producer, single consumer; a full ring counts
 * the entry missed and the worker goes on.
 */
public final class TraceTap
{
    public static final int SLOTS = 1024;

    private volatile PacketFilter filter;
    private final long[] timestampsNs = new long[SLOTS];
    private final long[] generations = new long[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final int[] tenants = new int[SLOTS];
    private final int[] flows = new int[SLOTS];
    private final int[] rules = new int[SLOTS];
    private final byte[] verdicts = new byte[SLOTS];
    private final TapSequence sequence = new TapSequence(SLOTS);

    /** Worker: the filter of the trace under way, or null. */
    public PacketFilter filter()
    {
        return filter;
    }

    /** Worker: records one packet's decisions. */
    public void record(final long timestampNs, final int length, final int tenant, final int flow, final int rule,
        final byte verdict, final long generation)
    {
        final int slot = sequence.claim();
        if (slot < 0)
        {
            return;
        }
        timestampsNs[slot] = timestampNs;
        lengths[slot] = length;
        tenants[slot] = tenant;
        flows[slot] = flow;
        rules[slot] = rule;
        verdicts[slot] = verdict;
        generations[slot] = generation;
        sequence.publish();
    }

    void arm(final PacketFilter trace)
    {
        sequence.restart();
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
        final long to = sequence.tail();
        for (long at = sequence.head(); at < to; at++)
        {
            final int slot = sequence.slot(at);
            into.add(new Entry(worker, timestampsNs[slot], lengths[slot], tenants[slot], flows[slot], rules[slot],
                verdicts[slot], generations[slot]));
        }
        sequence.consumed(to);
    }

    long missed()
    {
        return sequence.missed();
    }
}
