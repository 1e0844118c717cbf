package io.opensase.core.metrics;

import java.util.List;

/**
 * One whole update read from a stats file.
 *
 * @param pid       the engine process that writes the file.
 * @param createdNs when the engine made the file, ns since the epoch.
 * @param updatedNs when this update was written, ns since the epoch (0 before the first).
 * @param sequence  the update's sequence number (twice the number of updates so far).
 * @param state     {@link StatsFile#STATE_STARTING}, {@link StatsFile#STATE_RUNNING} or {@link StatsFile#STATE_STOPPED}.
 * @param counters  the file's counters, in file order.
 * @param values    their values, in the same order.
 */
public record StatsSnapshot(long pid, long createdNs, long updatedNs, long sequence, int state,
    List<StatsCounter> counters, long[] values)
{
    public StatsSnapshot
    {
        counters = List.copyOf(counters);
        values = values.clone();
    }

    @Override
    public long[] values()
    {
        return values.clone();
    }

    public long value(final int index)
    {
        return values[index];
    }

    /**
     * @throws IllegalArgumentException when the file has no counter of that name.
     */
    public long value(final String name)
    {
        for (int i = 0; i < counters.size(); i++)
        {
            if (counters.get(i).name().equals(name))
            {
                return values[i];
            }
        }
        throw new IllegalArgumentException("no stats counter named '" + name + "'");
    }
}
