package io.opensase.core.metrics;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.Malformed;
import io.opensase.core.engine.EngineSample;
import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The engine's counters as the stats file names them: the same values {@code GET /stats} shows, under names
 * that stay stable (a name changes meaning or disappears only with a new stats file version). The list is
 * fixed for a run by its number of workers and whether it runs a firewall; policy reloads do not change it.
 */
public final class EngineStats
{
    private record Entry(StatsCounter counter, ToLongFunction<EngineSample> value)
    {
    }

    private final List<Entry> entries = new ArrayList<>();

    /**
     * @param workers  the run's worker threads.
     * @param firewall whether it runs a firewall (then the {@code firewall.*} counters are there).
     * @param ips      whether it runs an IPS stage (then the {@code ips.*} counters are there).
     */
    public EngineStats(final int workers, final boolean firewall, final boolean ips)
    {
        port("port.packets_in", WorkerCounters.RX_PACKETS);
        port("port.bytes_in", WorkerCounters.RX_BYTES);
        port("port.packets_out", WorkerCounters.TX_PACKETS);
        port("port.bytes_out", WorkerCounters.TX_BYTES);
        port("port.generated", WorkerCounters.GENERATED);
        for (final DropReason reason : DropReason.values())
        {
            if (DropReason.NONE != reason)
            {
                counter("drops." + reason.reportName(), s -> s.totals().drops(reason));
            }
        }
        port("parse.snap_truncated", WorkerCounters.SNAP_TRUNCATED);
        for (final Malformed reason : Malformed.values())
        {
            if (Malformed.NONE != reason)
            {
                counter("malformed." + reason.reportName(), s -> s.totals().malformed(reason));
            }
        }
        if (firewall)
        {
            outcome("firewall.allowed", FirewallCounters.ALLOWED);
            outcome("firewall.denied", FirewallCounters.DENIED);
            outcome("firewall.rejected", FirewallCounters.REJECTED);
            outcome("firewall.answers_sent", FirewallCounters.GENERATED);
            outcome("firewall.related", FirewallCounters.RELATED);
            outcome("firewall.logged", FirewallCounters.LOGGED);
            outcome("firewall.invalid", FirewallCounters.INVALID);
        }
        if (ips)
        {
            for (int i = 0; i < IpsCounters.NAMES.size(); i++)
            {
                final int index = i;
                counter("ips." + IpsCounters.NAMES.get(i), s -> null == s.ips() ? 0 : s.ips().get(index));
            }
        }
        gauge("policy.generation", s -> null == s.policy() ? 0 : s.policy().generation());
        gauge("flows.active", s -> s.tables().stream().mapToLong(FlowTable::active).sum());
        counter("flows.created", s -> s.tables().stream().mapToLong(FlowTable::created).sum());
        counter("flows.expired", s -> s.tables().stream().mapToLong(FlowTable::expired).sum());
        counter("flows.evicted", s -> s.tables().stream().mapToLong(FlowTable::evicted).sum());
        counter("flows.refused", s -> s.tables().stream().mapToLong(FlowTable::refused).sum());
        gauge("bursts.max_ns", s -> s.bursts().stream().mapToLong(BurstSummary::maxNs).max().orElse(0));
        for (int w = 0; w < workers; w++)
        {
            worker(w);
        }
    }

    private void worker(final int w)
    {
        final String prefix = "worker." + w + ".";
        counter(prefix + "packets_in", s -> s.processed().get(w));
        counter(prefix + "packets_out", s -> s.perWorker().get(w).get(WorkerCounters.TX_PACKETS));
        gauge(prefix + "flows_active", s -> s.tables().get(w).active());
        counter(prefix + "flows_created", s -> s.tables().get(w).created());
        counter(prefix + "flows_expired", s -> s.tables().get(w).expired());
        counter(prefix + "flows_evicted", s -> s.tables().get(w).evicted());
        counter(prefix + "flows_refused", s -> s.tables().get(w).refused());
        counter(prefix + "bursts", s -> s.bursts().get(w).count());
        counter(prefix + "burst_ns_total", s -> s.bursts().get(w).sumNs());
        gauge(prefix + "burst_max_ns", s -> s.bursts().get(w).maxNs());
    }

    private void port(final String name, final int counter)
    {
        counter(name, s -> s.totals().get(counter));
    }

    private void outcome(final String name, final int outcome)
    {
        counter(name, s -> null == s.firewall() ? 0 : s.firewall().outcome(outcome));
    }

    private void counter(final String name, final ToLongFunction<EngineSample> value)
    {
        entries.add(new Entry(new StatsCounter(name, false), value));
    }

    private void gauge(final String name, final ToLongFunction<EngineSample> value)
    {
        entries.add(new Entry(new StatsCounter(name, true), value));
    }

    /** The counters, in file order. */
    public List<StatsCounter> counters()
    {
        return entries.stream().map(Entry::counter).toList();
    }

    /** The sample's values, in file order. */
    public long[] values(final EngineSample sample)
    {
        final long[] values = new long[entries.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = entries.get(i).value().applyAsLong(sample);
        }
        return values;
    }
}
