package io.opensase.classifiers.app.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts of one {@link HttpParser}: written by the parser's worker thread with plain stores; another thread
 * reading them sees values that may be stale.
 */
public final class HttpCounters
{
    private final long[] values = new long[HttpCounter.count()];

    void add(final HttpCounter counter)
    {
        values[counter.id()]++;
    }

    public long get(final HttpCounter counter)
    {
        return values[counter.id()];
    }

    public long requests()
    {
        return get(HttpCounter.REQUESTS);
    }

    public long responses()
    {
        return get(HttpCounter.RESPONSES);
    }

    /** Every counter by report name, in id order; allocates, for reports. */
    public Map<String, Long> snapshot()
    {
        final Map<String, Long> snapshot = new LinkedHashMap<>();
        for (int id = 0; id < values.length; id++)
        {
            snapshot.put(HttpCounter.of(id).reportName(), values[id]);
        }
        return snapshot;
    }

    @Override
    public String toString()
    {
        return snapshot().toString();
    }
}
