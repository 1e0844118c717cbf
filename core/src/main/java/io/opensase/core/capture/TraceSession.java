package io.opensase.core.capture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One trace: arms every worker's trace tap with the filter until {@code maxPackets} entries were collected or
 * the time is up; entries are collected whenever they are asked for. Control threads only.
 */
public final class TraceSession
{
    private final List<TraceTap> taps;
    private final PacketFilter filter;
    private final int maxPackets;
    private final long deadlineNs;
    private final List<TraceTap.Entry> entries = new ArrayList<>();
    private boolean done;
    private long missed;

    private TraceSession(final List<TraceTap> taps, final PacketFilter filter, final int maxPackets,
        final long deadlineNs)
    {
        this.taps = taps;
        this.filter = filter;
        this.maxPackets = maxPackets;
        this.deadlineNs = deadlineNs;
        taps.forEach(tap -> tap.arm(filter));
    }

    public static TraceSession start(final List<TraceTap> taps, final PacketFilter filter, final int maxPackets,
        final int maxSeconds)
    {
        return new TraceSession(taps, filter, maxPackets, System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds));
    }

    public PacketFilter filter()
    {
        return filter;
    }

    /** Collects what the workers recorded; ends the trace at its limits. Returns the entries in time order. */
    public synchronized List<TraceTap.Entry> collect()
    {
        if (!done)
        {
            for (int w = 0; w < taps.size(); w++)
            {
                taps.get(w).drain(w, entries);
            }
            if (entries.size() >= maxPackets || System.nanoTime() >= deadlineNs)
            {
                taps.forEach(TraceTap::disarm);
                for (final TraceTap tap : taps)
                {
                    missed += tap.missed();
                }
                done = true;
            }
        }
        entries.sort(Comparator.comparingLong(TraceTap.Entry::timestampNs));
        return List.copyOf(entries.subList(0, Math.min(entries.size(), maxPackets)));
    }

    public synchronized boolean isDone()
    {
        return done;
    }

    /** Entries the workers could not record into full rings (known once done). */
    public synchronized long missed()
    {
        return missed;
    }
}
