package io.opensase.core.report;

import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.parse.Protocol;
import io.opensase.core.config.DpdkPortConfig;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.PortConfig;
import io.opensase.core.engine.FlowTotals;
import io.opensase.core.engine.RunResult;
import io.opensase.core.events.EventStats;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;

import java.util.Locale;

/**
 * The run report: one JSON object (schema in the README) and a short human summary.
 */
public final class RunReport
{
    /** Bumped when a key changes meaning or disappears; new keys may be added within a version. */
    public static final int SCHEMA_VERSION = 1;

    private RunReport()
    {
    }

    public static String json(final EngineConfig config, final RunResult result)
    {
        return json(config, result, null, null);
    }

    /**
     * @param events    the counts of {@code eve.json} at the run's end, or null when it was not written.
     * @param ipsEvents the counts of the IPS EVE file, or null.
     */
    public static String json(final EngineConfig config, final RunResult result, final EventStats events,
        final EventStats ipsEvents)
    {
        final WorkerCounters c = result.counters();
        final JsonWriter json = new JsonWriter().beginObject()
            .field("schema_version", SCHEMA_VERSION)
            .field("input", config.receivingPort().input())
            .field("output", output(config))
            .field("workers", result.workers())
            .field("packets_in", c.get(WorkerCounters.RX_PACKETS))
            .field("packets_out", c.get(WorkerCounters.TX_PACKETS))
            .field("bytes_in", c.get(WorkerCounters.RX_BYTES))
            .field("bytes_out", c.get(WorkerCounters.TX_BYTES));
        json.beginObject("drops");
        for (final DropReason reason : DropReason.values())
        {
            if (DropReason.NONE != reason)
            {
                json.field(reason.reportName(), c.drops(reason));
            }
        }
        json.endObject().beginObject("malformed");
        for (final Malformed reason : Malformed.values())
        {
            if (Malformed.NONE != reason)
            {
                json.field(reason.reportName(), c.malformed(reason));
            }
        }
        json.endObject().field("snap_truncated", c.get(WorkerCounters.SNAP_TRUNCATED));
        final FlowTotals flows = result.flows();
        json.beginObject("flows")
            .field("created", flows.created())
            .field("expired", flows.expired())
            .field("evicted", flows.evicted())
            .field("refused", flows.refused())
            .field("active", flows.active())
            .endObject();
        json.beginObject("protocols");
        for (final Protocol protocol : Protocol.all())
        {
            json.field(protocol.reportName(), c.protocol(protocol));
        }
        json.endObject()
            .field("elapsed_s", seconds(result))
            .field("mpps", mpps(result))
            .field("generated", c.get(WorkerCounters.GENERATED))
            .field("buffers_in_use", result.buffersInUse())
            .field("stopped", result.stopped())
            .field("error", null == result.captureError() ? null : result.captureError().getMessage());
        if (null != result.firewall())
        {
            FirewallReport.write(json, result.firewall());
        }
        if (null != result.ips())
        {
            json.beginObject("ips");
            for (int i = 0; i < IpsCounters.NAMES.size(); i++)
            {
                json.field(IpsCounters.NAMES.get(i), result.ips().get(i));
            }
            json.endObject();
        }
        EventStats.write(json, "events", events);
        EventStats.write(json, "ips_events", ipsEvents);
        return json.endObject().toString() + "\n";
    }

    public static String summary(final EngineConfig config, final RunResult result)
    {
        final WorkerCounters c = result.counters();
        final StringBuilder text = new StringBuilder();
        final String output = output(config);
        text.append("opensase run: ").append(config.receivingPort().input())
            .append(" -> ").append(null == output ? "(discard)" : output)
            .append(", ").append(result.workers()).append(result.workers() == 1 ? " worker\n" : " workers\n");
        long dropped = 0;
        final StringBuilder reasons = new StringBuilder();
        for (final DropReason reason : DropReason.values())
        {
            if (DropReason.NONE != reason && c.drops(reason) > 0)
            {
                dropped += c.drops(reason);
                reasons.append(' ').append(reason.reportName()).append('=').append(c.drops(reason));
            }
        }
        text.append(String.format(Locale.ROOT, "  packets in %d (%d bytes), out %d (%d bytes), dropped %d%s%n",
            c.get(WorkerCounters.RX_PACKETS), c.get(WorkerCounters.RX_BYTES), c.get(WorkerCounters.TX_PACKETS),
            c.get(WorkerCounters.TX_BYTES), dropped, reasons));
        long malformed = 0;
        final StringBuilder malformedReasons = new StringBuilder();
        for (final Malformed reason : Malformed.values())
        {
            if (Malformed.NONE != reason && c.malformed(reason) > 0)
            {
                malformed += c.malformed(reason);
                malformedReasons.append(' ').append(reason.reportName()).append('=').append(c.malformed(reason));
            }
        }
        text.append(String.format(Locale.ROOT, "  malformed %d%s, snap-truncated %d%n", malformed, malformedReasons,
            c.get(WorkerCounters.SNAP_TRUNCATED)));
        final FlowTotals flows = result.flows();
        text.append(String.format(Locale.ROOT, "  flows created %d, expired %d, evicted %d, refused %d, active %d%n",
            flows.created(), flows.expired(), flows.evicted(), flows.refused(), flows.active()));
        text.append("  protocols:");
        for (final Protocol protocol : Protocol.all())
        {
            if (c.protocol(protocol) > 0)
            {
                text.append(' ').append(protocol.reportName()).append('=').append(c.protocol(protocol));
            }
        }
        if (null != result.firewall())
        {
            text.append('\n').append(FirewallReport.summary(result.firewall()));
        }
        text.append(String.format(Locale.ROOT, "%n  %.3f s, %s%s%n", seconds(result), rate(result),
            result.stopped() ? "; stopped before the input ended" : ""));
        return text.toString();
    }

    /** What the receiving port's traffic is transmitted on: a capture file, a device's devargs, or null. */
    private static String output(final EngineConfig config)
    {
        final PortConfig in = config.receivingPort();
        if (in instanceof DpdkPortConfig device)
        {
            return ((DpdkPortConfig)config.port(device.out())).devargs();
        }
        return in.output();
    }

    private static double seconds(final RunResult result)
    {
        return result.elapsedNs() / 1e9;
    }

    /** Packets per second, in Mpps when that says something, else as a plain count. */
    private static String rate(final RunResult result)
    {
        final double mpps = mpps(result);
        return mpps >= 0.1 ? String.format(Locale.ROOT, "%.2f Mpps", mpps)
            : String.format(Locale.ROOT, "%.0f packets/s", mpps * 1e6);
    }

    private static double mpps(final RunResult result)
    {
        final double seconds = seconds(result);
        return seconds > 0 ? result.counters().get(WorkerCounters.RX_PACKETS) / seconds / 1e6 : 0;
    }
}
