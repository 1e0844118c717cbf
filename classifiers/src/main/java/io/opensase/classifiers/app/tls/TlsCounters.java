package io.opensase.classifiers.app.tls;

/** The counts of one {@link TlsParser}, written by its owning thread only (plain fields, no ordering). */
public final class TlsCounters
{
    private final long[] values = new long[TlsCounter.count()];

    public long get(final TlsCounter counter)
    {
        return values[counter.ordinal()];
    }

    void increment(final TlsCounter counter)
    {
        values[counter.ordinal()]++;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (final TlsCounter counter : TlsCounter.values())
        {
            if (0 != values[counter.ordinal()])
            {
                text.append(text.isEmpty() ? "" : ", ").append(counter.label()).append('=')
                    .append(values[counter.ordinal()]);
            }
        }
        return text.toString();
    }
}
