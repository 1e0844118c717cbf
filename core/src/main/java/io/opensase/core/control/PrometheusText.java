package io.opensase.core.control;

import io.opensase.classifiers.parse.Malformed;
import io.opensase.core.engine.EngineSample;
import io.opensase.core.events.EventStats;
import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.firewall.PolicySnapshot;
import io.opensase.core.firewall.RuleAction;
import io.opensase.core.firewall.RuleCounters;
import io.opensase.core.firewall.TenantConfig;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.metrics.BurstSummary;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;

import java.math.BigDecimal;
import java.util.List;

/**
 * The engine's counters in the Prometheus text exposition format (0.0.4): stable metric names, labels from
 * small fixed sets (port, worker, reason, outcome, action) and tenants, at most a fixed number of them by
 * name (the rest summed as {@code _other}), so that a PoP with many tenants cannot blow up a scraper.
 */
final class PrometheusText
{
    private static final String OTHER_TENANTS = "_other";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText()
    {
    }

    static String of(final EngineSample sample, final String port, final int maxTenantLabels)
    {
        final PrometheusText text = new PrometheusText();
        final WorkerCounters totals = null == sample ? new WorkerCounters() : sample.totals();
        final String portLabel = "port=\"" + escape(port) + "\"";
        text.help("opensase_packets_received_total", "counter", "Packets received on the port.")
            .sample("opensase_packets_received_total", portLabel, totals.get(WorkerCounters.RX_PACKETS));
        text.help("opensase_bytes_received_total", "counter", "Captured bytes received on the port.")
            .sample("opensase_bytes_received_total", portLabel, totals.get(WorkerCounters.RX_BYTES));
        text.help("opensase_packets_transmitted_total", "counter", "Packets transmitted.")
            .sample("opensase_packets_transmitted_total", portLabel, totals.get(WorkerCounters.TX_PACKETS));
        text.help("opensase_bytes_transmitted_total", "counter", "Bytes transmitted.")
            .sample("opensase_bytes_transmitted_total", portLabel, totals.get(WorkerCounters.TX_BYTES));
        text.help("opensase_packets_generated_total", "counter", "Packets the engine made (reject answers).")
            .sample("opensase_packets_generated_total", portLabel, totals.get(WorkerCounters.GENERATED));
        text.help("opensase_packets_dropped_total", "counter", "Packets dropped, by reason.");
        for (final DropReason reason : DropReason.values())
        {
            if (DropReason.NONE != reason)
            {
                text.sample("opensase_packets_dropped_total", "reason=\"" + reason.reportName() + "\"",
                    totals.drops(reason));
            }
        }
        text.help("opensase_packets_malformed_total", "counter", "Malformed packets, by reason.");
        for (final Malformed reason : Malformed.values())
        {
            if (Malformed.NONE != reason)
            {
                text.sample("opensase_packets_malformed_total", "reason=\"" + reason.reportName() + "\"",
                    totals.malformed(reason));
            }
        }
        if (null != sample)
        {
            text.help("opensase_worker_packets_received_total", "counter", "Packets each worker processed.");
            for (int w = 0; w < sample.perWorker().size(); w++)
            {
                text.sample("opensase_worker_packets_received_total", "worker=\"" + w + "\"",
                    sample.processed().get(w));
            }
            text.help("opensase_flows_active", "gauge", "Flows in each worker's table.");
            for (int w = 0; w < sample.tables().size(); w++)
            {
                text.sample("opensase_flows_active", "worker=\"" + w + "\"", sample.tables().get(w).active());
            }
            text.bursts(sample.bursts());
            text.firewall(sample, maxTenantLabels);
            text.ips(sample.ips());
        }
        return text.out.toString();
    }

    /**
     * The event paths' counts: per worker queued and dropped, then what the writer did, for {@code eve.json}
     * (flow records, audit events apart: {@code opensase_events_*}) and the IPS file (alerts and application
     * events: {@code opensase_ips_events_*}); nothing for a file the engine does not write.
     */
    static String events(final EventStats flows, final EventStats ips)
    {
        final PrometheusText text = new PrometheusText();
        if (null != flows)
        {
            text.events("opensase_events", "flow records", flows);
            text.help("opensase_events_audit_queued_total", "counter", "Audit events put on the audit event queue.")
                .sample("opensase_events_audit_queued_total", null, flows.auditQueued());
            text.help("opensase_events_audit_dropped_total", "counter",
                    "Audit events dropped because the audit event queue was full.")
                .sample("opensase_events_audit_dropped_total", null, flows.auditDropped());
        }
        if (null != ips)
        {
            text.events("opensase_ips_events", "IPS alerts and application events", ips);
        }
        return text.out.toString();
    }

    private void events(final String prefix, final String what, final EventStats events)
    {
        help(prefix + "_queued_total", "counter", "The " + what + " each worker put on its event queue.");
        for (int w = 0; w < events.queued().length; w++)
        {
            sample(prefix + "_queued_total", "worker=\"" + w + "\"", events.queued()[w]);
        }
        help(prefix + "_dropped_total", "counter", "The " + what + " each worker dropped because its queue was full.");
        for (int w = 0; w < events.dropped().length; w++)
        {
            sample(prefix + "_dropped_total", "worker=\"" + w + "\"", events.dropped()[w]);
        }
        help(prefix + "_written_total", "counter", "Lines of " + what + " written to the EVE files.")
            .sample(prefix + "_written_total", null, events.written());
        help(prefix + "_lost_total", "counter", "Events taken from the queues but not written.")
            .sample(prefix + "_lost_total", null, events.lost());
        help(prefix + "_write_errors_total", "counter", "Failed writes, opens and rotations of the EVE files.")
            .sample(prefix + "_write_errors_total", null, events.writeErrors());
        help(prefix + "_rotations_total", "counter", "EVE files rotated.")
            .sample(prefix + "_rotations_total", null, events.rotations());
    }

    private void ips(final IpsCounters ips)
    {
        if (null == ips)
        {
            return;
        }
        for (int i = 0; i < IpsCounters.NAMES.size(); i++)
        {
            final String name = "opensase_ips_" + IpsCounters.NAMES.get(i) + "_total";
            help(name, "counter", IpsCounters.HELP.get(i)).sample(name, null, ips.get(i));
        }
    }

    private void firewall(final EngineSample sample, final int maxTenantLabels)
    {
        final FirewallCounters c = sample.firewall();
        final PolicySnapshot policy = sample.policy();
        if (null == c || null == policy)
        {
            return;
        }
        help("opensase_policy_generation", "gauge", "Generation of the firewall policy the workers run.")
            .sample("opensase_policy_generation", null, policy.generation());
        help("opensase_firewall_packets_total", "counter", "Packets the firewall judged, by outcome.");
        final String[] outcomes = {"allowed", "denied", "rejected", "invalid", "related"};
        final int[] codes = {FirewallCounters.ALLOWED, FirewallCounters.DENIED, FirewallCounters.REJECTED,
            FirewallCounters.INVALID, FirewallCounters.RELATED};
        for (int o = 0; o < outcomes.length; o++)
        {
            sample("opensase_firewall_packets_total", "outcome=\"" + outcomes[o] + "\"", c.outcome(codes[o]));
        }
        help("opensase_firewall_tenant_packets_total", "counter",
            "Packets decided by each tenant's rules and default, by action, under the running policy generation.");
        final RuleCounters hits = policy.ruleTotals();
        final List<TenantConfig> tenants = policy.config().tenants();
        final long[] other = new long[RuleAction.values().length];
        for (int t = 0; t < tenants.size(); t++)
        {
            final TenantConfig tenant = tenants.get(t);
            final long[] byAction = new long[RuleAction.values().length];
            for (int r = 0; r < tenant.rules().size(); r++)
            {
                byAction[tenant.rules().get(r).action().ordinal()] += hits.packets(tenant.id(), r);
            }
            byAction[tenant.defaultAction().ordinal()] += hits.packets(tenant.id(), -1);
            for (final RuleAction action : RuleAction.values())
            {
                if (t < maxTenantLabels)
                {
                    sample("opensase_firewall_tenant_packets_total", "tenant=\"" + escape(tenant.name())
                        + "\",action=\"" + action.configName() + "\"", byAction[action.ordinal()]);
                }
                else
                {
                    other[action.ordinal()] += byAction[action.ordinal()];
                }
            }
        }
        if (tenants.size() > maxTenantLabels)
        {
            for (final RuleAction action : RuleAction.values())
            {
                sample("opensase_firewall_tenant_packets_total", "tenant=\"" + OTHER_TENANTS + "\",action=\""
                    + action.configName() + "\"", other[action.ordinal()]);
            }
        }
    }

    /**
     * Burst processing time per worker: a histogram over fixed bounds (15 buckets and {@code +Inf}, so the
     * series per worker are fixed), in seconds, and the longest burst since the start as a gauge.
     */
    private void bursts(final List<BurstSummary> bursts)
    {
        final String name = "opensase_worker_burst_seconds";
        help(name, "histogram", "Time each worker took over a burst, from its first stage to the end of its "
            + "transmit.");
        for (int w = 0; w < bursts.size(); w++)
        {
            final BurstSummary burst = bursts.get(w);
            final String worker = "worker=\"" + w + "\"";
            for (int b = 0; b < BurstSummary.bucketCount(); b++)
            {
                sample(name + "_bucket", worker + ",le=\"" + seconds(BurstSummary.boundNs(b)) + "\"",
                    burst.countAtMost(b));
            }
            sample(name + "_bucket", worker + ",le=\"+Inf\"", burst.count());
            sample(name + "_sum", worker, seconds(burst.sumNs()));
            sample(name + "_count", worker, burst.count());
        }
        help("opensase_worker_burst_max_seconds", "gauge", "Longest burst of each worker since the start.");
        for (int w = 0; w < bursts.size(); w++)
        {
            sample("opensase_worker_burst_max_seconds", "worker=\"" + w + "\"", seconds(bursts.get(w).maxNs()));
        }
    }

    /** Nanoseconds as seconds in plain decimal, exactly: {@code 1500} is {@code 0.0000015}. */
    private static String seconds(final long ns)
    {
        return 0 == ns ? "0" : BigDecimal.valueOf(ns, 9).stripTrailingZeros().toPlainString();
    }

    private PrometheusText help(final String name, final String type, final String help)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    private PrometheusText sample(final String name, final String labels, final long value)
    {
        return sample(name, labels, Long.toString(value));
    }

    private PrometheusText sample(final String name, final String labels, final String value)
    {
        out.append(name);
        if (null != labels)
        {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    /** A label value: backslash, double quote and line feed escaped. */
    static String escape(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
