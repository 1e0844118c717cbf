package io.opensase.classifiers.app.dns;

/** The counts of one DNS parser, written by its owning thread only. */
public final class DnsCounters
{
    private final long[] values = new long[DnsCounter.count()];

    public long get(final DnsCounter counter)
    {
        return values[counter.ordinal()];
    }

    void increment(final DnsCounter counter)
    {
        values[counter.ordinal()]++;
    }
}
