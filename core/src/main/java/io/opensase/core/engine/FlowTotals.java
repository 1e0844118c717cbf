package io.opensase.core.engine;

import io.opensase.classifiers.flow.FlowTable;

import java.util.List;

/**
 * Flow counts summed over the workers' tables.
 *
 * @param active flows open at the end of the run (not timed out at the last packet's time).
 */
public record FlowTotals(long created, long expired, long evicted, long refused, long active)
{
    public static final FlowTotals NONE = new FlowTotals(0, 0, 0, 0, 0);

    static FlowTotals of(final List<FlowTable> tables)
    {
        long created = 0;
        long expired = 0;
        long evicted = 0;
        long refused = 0;
        long active = 0;
        for (final FlowTable table : tables)
        {
            created += table.created();
            expired += table.expired();
            evicted += table.evicted();
            refused += table.refused();
            active += table.active();
        }
        return new FlowTotals(created, expired, evicted, refused, active);
    }
}
