package io.opensase.core.control;

import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.Malformed;
import io.opensase.core.audit.AuditException;
import io.opensase.core.capture.PacketFilter;
import io.opensase.core.capture.CaptureSession;
import io.opensase.core.capture.TraceSession;
import io.opensase.core.capture.TraceTap;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.audit.AuditLog;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.EngineSample;
import io.opensase.core.events.EventStats;
import io.opensase.core.firewall.PolicySnapshot;
import io.opensase.core.firewall.RuleConfig;
import io.opensase.core.firewall.RuleCounters;
import io.opensase.core.firewall.TenantConfig;
import io.opensase.core.firewall.TenantSelector;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.metrics.BurstSummary;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.report.FirewallReport;
import io.opensase.core.report.JsonWriter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * The control path's view of a running engine: JSON and Prometheus renderings of what the engine samples,
 * reloads through the {@link ConfigReloader}, each change recorded in the audit log when there is one.
 * Control threads only; every read of worker state is a lock-free sample.
 */
public final class LiveControl implements EngineControl
{
    /** Tenants named in metric labels at most; the rest are summed under {@code tenant="_other"}. */
    static final int MAX_TENANT_LABELS = 100;

    private final Engine engine;
    private final String receivingPort;
    private final ConfigReloader reloader;
    private final AuditLog audit;
    private final Instant startedAt = Instant.now();
    /** Where the workers' capture rings live: as long as this object, which lives as long as the engine. */
    private final Arena captureArena = Arena.ofAuto();
    private CaptureSession capture;
    private TraceSession trace;
    private int captures;
    private static final DateTimeFormatter CAPTURE_NAME =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * @param reloader null when the engine runs without a configuration file (nothing to reload).
     * @param audit    null without an audit log.
     */
    public LiveControl(final Engine engine, final String receivingPort, final ConfigReloader reloader,
        final AuditLog audit)
    {
        this.engine = engine;
        this.receivingPort = receivingPort;
        this.reloader = reloader;
        this.audit = audit;
    }

    @Override
    public String healthJson()
    {
        final EngineSample sample = engine.sample();
        final JsonWriter json = new JsonWriter().beginObject()
            .field("status", null == sample || sample.running() ? "ok" : "stopped")
            .field("up_since", startedAt.toString())
            .field("policy_generation", generation(sample))
            .field("config_digest", null == reloader ? null : reloader.runningDigest());
        if (null != audit)
        {
            audit.head().writeTo(json);
        }
        return json.endObject() + "\n";
    }

    @Override
    public String statsJson()
    {
        final EngineSample sample = engine.sample();
        final JsonWriter json = new JsonWriter().beginObject()
            .field("running", null != sample && sample.running())
            .field("policy_generation", generation(sample));
        final WorkerCounters totals = null == sample ? new WorkerCounters() : sample.totals();
        json.beginObject("port").field("name", receivingPort);
        counters(json, totals).endObject();
        json.beginArray("workers");
        if (null != sample)
        {
            for (int w = 0; w < sample.perWorker().size(); w++)
            {
                final WorkerCounters worker = sample.perWorker().get(w);
                final FlowTable table = sample.tables().get(w);
                json.beginObject().field("worker", w)
                    .field("packets_in", sample.processed().get(w))
                    .field("packets_out", worker.get(WorkerCounters.TX_PACKETS))
                    .beginObject("flows")
                    .field("active", table.active())
                    .field("created", table.created())
                    .field("expired", table.expired())
                    .field("evicted", table.evicted())
                    .field("refused", table.refused())
                    .endObject();
                final BurstSummary bursts = sample.bursts().get(w);
                json.beginObject("burst_ns")
                    .field("p50", bursts.p50Ns())
                    .field("p99", bursts.p99Ns())
                    .field("p999", bursts.p999Ns())
                    .field("max", bursts.maxNs())
                    .field("count", bursts.count())
                    .endObject().endObject();
            }
        }
        json.endArray();
        json.beginObject("stages").beginObject("parse")
            .field("snap_truncated", totals.get(WorkerCounters.SNAP_TRUNCATED)).beginObject("malformed");
        for (final Malformed reason : Malformed.values())
        {
            if (Malformed.NONE != reason)
            {
                json.field(reason.reportName(), totals.malformed(reason));
            }
        }
        json.endObject().endObject();
        if (null != sample && null != sample.firewall())
        {
            FirewallReport.outcomes(json.beginObject("firewall"), sample.firewall()).endObject();
        }
        if (null != sample && null != sample.ips())
        {
            // Found by a tester: the stats file and /metrics had these, this view did not.
            json.beginObject("ips");
            for (int i = 0; i < IpsCounters.NAMES.size(); i++)
            {
                json.field(IpsCounters.NAMES.get(i), sample.ips().get(i));
            }
            json.endObject();
        }
        json.endObject();
        EventStats.write(json, "events", engine.eventStats());
        EventStats.write(json, "ips_events", engine.ipsEventStats());
        return json.endObject() + "\n";
    }

    private static JsonWriter counters(final JsonWriter json, final WorkerCounters c)
    {
        json.field("packets_in", c.get(WorkerCounters.RX_PACKETS))
            .field("bytes_in", c.get(WorkerCounters.RX_BYTES))
            .field("packets_out", c.get(WorkerCounters.TX_PACKETS))
            .field("bytes_out", c.get(WorkerCounters.TX_BYTES))
            .field("generated", c.get(WorkerCounters.GENERATED))
            .beginObject("drops");
        for (final DropReason reason : DropReason.values())
        {
            if (DropReason.NONE != reason)
            {
                json.field(reason.reportName(), c.drops(reason));
            }
        }
        return json.endObject();
    }

    @Override
    public String flowsJson(final FlowFilter filter, final int limit)
    {
        final EngineSample sample = engine.sample();
        final FlowMatch match = FlowMatch.of(filter, null == sample ? null : sample.policy());
        final PriorityQueue<FlowRow> top = new PriorityQueue<>(Comparator.comparingLong(FlowRow::bytes));
        long matched = 0;
        if (null != sample && match.possible())
        {
            for (int w = 0; w < sample.tables().size(); w++)
            {
                final int worker = w;
                final long[] count = new long[1];
                sample.tables().get(w).visitFlows((slot, key, p0, p1, b0, b1, createdNs, lastSeenNs) ->
                {
                    if (match.test(key))
                    {
                        count[0]++;
                        top.add(new FlowRow(worker, key.clone(), p0, p1, b0, b1, createdNs, lastSeenNs));
                        if (top.size() > limit)
                        {
                            top.poll();
                        }
                    }
                });
                matched += count[0];
            }
        }
        final List<FlowRow> rows = new ArrayList<>(top);
        rows.sort(Comparator.comparingLong(FlowRow::bytes).reversed());
        final JsonWriter json = new JsonWriter().beginObject().field("matched", matched).beginArray("flows");
        for (final FlowRow row : rows)
        {
            row.write(json, sample.policy());
        }
        return json.endArray().endObject() + "\n";
    }

    @Override
    public String tenantsJson()
    {
        final PolicySnapshot policy = engine.firewallPolicy();
        final JsonWriter json = new JsonWriter().beginObject().field("policy_generation", generation(engine.sample()))
            .beginArray("tenants");
        if (null != policy)
        {
            final long[] active = activeFlowsByTenant(engine.sample());
            for (final TenantConfig tenant : policy.config().tenants())
            {
                json.beginObject().field("name", tenant.name()).field("id", tenant.id())
                    .field("default", tenant.defaultAction().configName())
                    .field("rules", tenant.rules().size())
                    .field("max_connections", tenant.maxConnections())
                    .field("flows_active", tenant.id() < active.length ? active[tenant.id()] : 0)
                    .beginArray("select");
                for (final TenantSelector selector : tenant.selectors())
                {
                    json.beginObject().field("port", selector.port());
                    if (selector.outerVlan() >= 0)
                    {
                        json.field(selector.innerVlan() >= 0 ? "qinq" : "vlan", selector.innerVlan() >= 0
                            ? selector.outerVlan() + "/" + selector.innerVlan() : Integer.toString(selector.outerVlan()));
                    }
                    if (selector.vni() >= 0)
                    {
                        json.field("vni", selector.vni());
                    }
                    if (null != selector.prefix())
                    {
                        json.field("prefix", text(selector.prefix()));
                    }
                    json.endObject();
                }
                json.endArray().beginArray("inside");
                for (final IpPrefix prefix : tenant.inside())
                {
                    json.beginObject().field("prefix", text(prefix)).endObject();
                }
                json.endArray().endObject();
            }
        }
        return json.endArray().endObject() + "\n";
    }

    @Override
    public String rulesJson()
    {
        final PolicySnapshot policy = engine.firewallPolicy();
        final JsonWriter json = new JsonWriter().beginObject().field("policy_generation", generation(engine.sample()))
            .beginArray("tenants");
        if (null != policy)
        {
            final RuleCounters hits = policy.ruleTotals();
            for (final TenantConfig tenant : policy.config().tenants())
            {
                json.beginObject().field("name", tenant.name()).beginArray("rules");
                for (int r = 0; r < tenant.rules().size(); r++)
                {
                    final RuleConfig rule = tenant.rules().get(r);
                    hits(json.beginObject().field("name", rule.name()).field("action", rule.action().configName())
                        .field("line", rule.line()), hits, tenant.id(), r).endObject();
                }
                json.endArray();
                hits(json.beginObject("default").field("action", tenant.defaultAction().configName()), hits,
                    tenant.id(), -1).endObject().endObject();
            }
        }
        return json.endArray().endObject() + "\n";
    }

    private static JsonWriter hits(final JsonWriter json, final RuleCounters hits, final int tenant, final int rule)
    {
        return json.field("packets", hits.packets(tenant, rule)).field("bytes", hits.bytes(tenant, rule))
            .field("last_hit_ns", hits.lastHitNs(tenant, rule));
    }

    @Override
    public String configJson()
    {
        return new JsonWriter().beginObject()
            .field("policy_generation", generation(engine.sample()))
            .field("digest", null == reloader ? null : reloader.runningDigest())
            .field("text", null == reloader ? null : reloader.runningText())
            .endObject() + "\n";
    }

    @Override
    public String metricsText()
    {
        return PrometheusText.of(engine.sample(), receivingPort, MAX_TENANT_LABELS)
            + PrometheusText.events(engine.eventStats(), engine.ipsEventStats());
    }

    @Override
    public synchronized String startCapture(final FlowFilter filter, final int maxPackets, final int maxSeconds,
        final String principal)
    {
        if (null != capture && !capture.isDone())
        {
            throw new IllegalStateException("a capture is under way: " + capture.file().getFileName() + "; "
                + capture.packets() + " packets so far");
        }
        if (null == reloader)
        {
            throw new IllegalStateException("the engine runs without a configuration file: no captures folder");
        }
        final FlowMatch match = FlowMatch.of(filter, engine.firewallPolicy());
        if (!match.possible())
        {
            throw new IllegalArgumentException("tenant: no tenant is named '" + filter.tenant() + "'");
        }
        final Path folder = reloader.file().toAbsolutePath().getParent().resolve("captures");
        final Path file = folder.resolve("capture-" + CAPTURE_NAME.format(Instant.now()) + "-" + ++captures + ".pcap");
        try
        {
            Files.createDirectories(folder);
            capture = CaptureSession.start(engine.captureTaps(), engine::linkType, file, match.captureFilter(),
                maxPackets, maxSeconds, captureArena);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
        record(principal, "capture", "started", file.getFileName() + " " + filter);
        return captureJson();
    }

    @Override
    public synchronized String captureJson()
    {
        final JsonWriter json = new JsonWriter().beginObject();
        if (null == capture)
        {
            return json.field("state", "none").endObject() + "\n";
        }
        return json.field("state", capture.isDone() ? "done" : "running")
            .field("file", capture.file().toString())
            .field("packets", capture.packets())
            .field("missed", capture.missed())
            .field("error", capture.error())
            .endObject() + "\n";
    }

    @Override
    public synchronized String startTrace(final TraceFilter filter, final int maxPackets, final int maxSeconds,
        final String principal)
    {
        if (null != trace)
        {
            trace.collect();
            if (!trace.isDone())
            {
                throw new IllegalStateException("a trace is under way");
            }
        }
        final PolicySnapshot policy = engine.firewallPolicy();
        final int tenant = null == filter.tenant() ? -1 : tenantId(policy, filter.tenant());
        trace = TraceSession.start(engine.traceTaps(), new PacketFilter(tenant,
            null == filter.protocol() ? -1 : filter.protocol(),
            endpoint(filter.source(), filter.sourcePort()), endpoint(filter.destination(), filter.destinationPort()),
            -1), maxPackets, maxSeconds);
        record(principal, "trace", "started", filter.toString());
        return traceJson();
    }

    @Override
    public synchronized String traceJson()
    {
        final JsonWriter json = new JsonWriter().beginObject();
        if (null == trace)
        {
            return json.field("state", "none").endObject() + "\n";
        }
        final List<TraceTap.Entry> entries = trace.collect();
        json.field("state", trace.isDone() ? "done" : "running").field("missed", trace.missed())
            .beginArray("packets");
        final PolicySnapshot policy = engine.firewallPolicy();
        for (final TraceTap.Entry entry : entries)
        {
            json.beginObject().field("time_ns", entry.timestampNs()).field("worker", entry.worker())
                .field("length", entry.length());
            final TenantConfig tenant = null == policy || null == policy.tenant(entry.tenant()) ? null
                : policy.tenant(entry.tenant()).config();
            json.field("tenant", null == tenant ? null : tenant.name());
            final int flow = entry.flow();
            json.field("flow", PacketBurst.NO_FLOW == flow ? "none" : (flow & FlowTable.NEW) != 0 ? "new" : "existing")
                .field("direction", PacketBurst.NO_FLOW == flow ? null
                    : (flow & FlowTable.REVERSE) != 0 ? "reverse" : "forward");
            final DropReason verdict = DropReason.of(entry.verdict());
            json.field("verdict", DropReason.NONE == verdict ? "pass" : verdict.reportName())
                .field("policy_generation", entry.generation());
            if (null == policy)
            {
                json.field("decided_by", "no firewall");
            }
            else if (PacketBurst.NO_RULE == entry.rule() || null == tenant)
            {
                json.field("decided_by", DropReason.NONE == verdict ? "no rule: not IP, or let through by a "
                    + "firewall setting (unmatched, invalid, when_table_full) or as a related ICMP error"
                    : "no rule: " + verdict.reportName());
            }
            else if (entry.rule() < 0)
            {
                json.field("decided_by", "default " + tenant.defaultAction().configName());
            }
            else if (null != policy && entry.generation() == policy.generation() && entry.rule() < tenant.rules().size())
            {
                final RuleConfig rule = tenant.rules().get(entry.rule());
                json.field("decided_by", "rule " + rule.name() + " (" + rule.action().configName() + ", line "
                    + rule.line() + ")");
            }
            else
            {
                json.field("decided_by", "rule #" + entry.rule() + " of policy generation " + entry.generation());
            }
            json.endObject();
        }
        return json.endArray().endObject() + "\n";
    }

    private static int tenantId(final PolicySnapshot policy, final String name)
    {
        if (null != policy)
        {
            for (final TenantConfig tenant : policy.config().tenants())
            {
                if (tenant.name().equals(name))
                {
                    return tenant.id();
                }
            }
        }
        throw new IllegalArgumentException("tenant: no tenant is named '" + name + "'");
    }

    private static PacketFilter.Endpoint endpoint(final String address, final Integer port)
    {
        if (null == address)
        {
            return new PacketFilter.Endpoint(false, false, 0, 0, null == port ? -1 : port);
        }
        final IpPrefix host = IpPrefix.parse(address);
        return new PacketFilter.Endpoint(true, host.ipv6(), host.hi(), host.lo(), null == port ? -1 : port);
    }

    /**
     * Records a change in the audit log, when there is one, and as an EVE audit line; a failure to record is
     * said on stderr.
     */
    private void record(final String principal, final String action, final String result, final String detail)
    {
        if (null == audit)
        {
            return;
        }
        try
        {
            engine.auditEvent(audit.append(principal, action, result, null, detail));
        }
        catch (final AuditException | IllegalArgumentException ex)
        {
            System.err.println("opensase: " + action + " not recorded in the audit log: " + ex.getMessage());
        }
    }

    @Override
    public ReloadOutcome reload(final String principal)
    {
        if (null == reloader)
        {
            return new ReloadOutcome(ReloadOutcome.Status.FAILED, generation(engine.sample()),
                "the engine runs without a configuration file: nothing to reload", List.of(), null);
        }
        return audited(principal, "reload", reloader.reload());
    }

    @Override
    public ReloadOutcome putConfig(final String yaml, final boolean validateOnly, final String principal)
    {
        if (null == reloader)
        {
            return new ReloadOutcome(ReloadOutcome.Status.FAILED, generation(engine.sample()),
                "the engine runs without a configuration file: nothing to replace", List.of(), null);
        }
        return audited(principal, validateOnly ? "config_validate" : "config_put", reloader.put(yaml, validateOnly));
    }

    /**
     * Records a change in the audit log and as an EVE audit line; a failed record is said in the outcome, the
     * change itself stands.
     */
    private ReloadOutcome audited(final String principal, final String action, final ReloadOutcome outcome)
    {
        if (null == audit)
        {
            return outcome;
        }
        try
        {
            engine.auditEvent(audit.append(principal, action, outcome.status().name().toLowerCase(Locale.ROOT),
                outcome.digest(), outcome.error()));
            return outcome;
        }
        catch (final AuditException | IllegalArgumentException ex)
        {
            return new ReloadOutcome(outcome.status(), outcome.generation(),
                (null == outcome.error() ? "" : outcome.error() + "; ") + "not recorded in the audit log: "
                    + ex.getMessage(), outcome.needsRestart(), outcome.digest(), outcome.ipsLoad());
        }
    }

    private static long generation(final EngineSample sample)
    {
        return null == sample || null == sample.policy() ? 0 : sample.policy().generation();
    }

    private static long[] activeFlowsByTenant(final EngineSample sample)
    {
        final long[] active = new long[PolicySnapshot.MAX_TENANT_ID + 1];
        if (null != sample)
        {
            for (final FlowTable table : sample.tables())
            {
                table.visitFlows((slot, key, p0, p1, b0, b1, createdNs, lastSeenNs) ->
                    active[FlowKey.tenantOf(key) & 0xFFFF]++);
            }
        }
        return active;
    }

    static String text(final IpPrefix prefix)
    {
        return address(prefix.ipv6(), prefix.hi(), prefix.lo()) + "/" + prefix.length();
    }

    static String address(final boolean ipv6, final long hi, final long lo)
    {
        final byte[] bytes;
        if (ipv6)
        {
            bytes = new byte[16];
            for (int b = 0; b < 8; b++)
            {
                bytes[b] = (byte)(hi >>> (56 - 8 * b));
                bytes[8 + b] = (byte)(lo >>> (56 - 8 * b));
            }
        }
        else
        {
            bytes = new byte[] {(byte)(lo >>> 24), (byte)(lo >>> 16), (byte)(lo >>> 8), (byte)lo};
        }
        try
        {
            return InetAddress.getByAddress(bytes).getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", ex);
        }
    }

    /** One flow as /flows lists it. */
    private record FlowRow(int worker, long[] key, long packets0, long packets1, long bytes0, long bytes1,
        long createdNs, long lastSeenNs)
    {
        long bytes()
        {
            return bytes0 + bytes1;
        }

        void write(final JsonWriter json, final PolicySnapshot policy)
        {
            final int tenant = FlowKey.tenantOf(key);
            final boolean v6 = FlowKey.isIpv6(key);
            final TenantConfig config = null == policy || null == policy.tenant(tenant) ? null
                : policy.tenant(tenant).config();
            json.beginObject().field("worker", worker)
                .field("tenant", null == config ? null : config.name())
                .field("protocol", FlowKey.protocolOf(key))
                .field("a", address(v6, FlowKey.addressOf(key, 0, 0), FlowKey.addressOf(key, 0, 1)))
                .field("a_port", FlowKey.portOf(key, 0))
                .field("b", address(v6, FlowKey.addressOf(key, 1, 0), FlowKey.addressOf(key, 1, 1)))
                .field("b_port", FlowKey.portOf(key, 1))
                .field("vlan", FlowKey.vlanOuterOf(key))
                .field("tunnel", FlowKey.tunnelOf(key))
                .field("packets_a_to_b", packets0).field("packets_b_to_a", packets1)
                .field("bytes_a_to_b", bytes0).field("bytes_b_to_a", bytes1)
                .field("created_ns", createdNs).field("last_seen_ns", lastSeenNs)
                .endObject();
        }
    }

    /** A /flows filter resolved against the running policy: tenant name to id, address text to its words. */
    private record FlowMatch(boolean possible, int tenant, boolean anyAddress, boolean v6, long hi, long lo,
        int port, int protocol)
    {
        static FlowMatch of(final FlowFilter filter, final PolicySnapshot policy)
        {
            int tenant = -1;
            boolean possible = true;
            if (null != filter.tenant())
            {
                possible = false;
                if (null != policy)
                {
                    for (final TenantConfig config : policy.config().tenants())
                    {
                        if (config.name().equals(filter.tenant()))
                        {
                            tenant = config.id();
                            possible = true;
                        }
                    }
                }
            }
            IpPrefix address = null;
            if (null != filter.address())
            {
                address = IpPrefix.parse(filter.address());
                if (address.length() != (address.ipv6() ? 128 : 32))
                {
                    throw new IllegalArgumentException("address: '" + filter.address() + "' is a prefix; give one "
                        + "address");
                }
            }
            return new FlowMatch(possible, tenant, null == address, null != address && address.ipv6(),
                null == address ? 0 : address.hi(), null == address ? 0 : address.lo(),
                null == filter.port() ? -1 : filter.port(), null == filter.protocol() ? -1 : filter.protocol());
        }

        PacketFilter captureFilter()
        {
            return new PacketFilter(tenant, protocol, new PacketFilter.Endpoint(!anyAddress, v6, hi, lo, -1),
                PacketFilter.Endpoint.ANY, port);
        }

        boolean test(final long[] key)
        {
            if (tenant >= 0 && FlowKey.tenantOf(key) != tenant)
            {
                return false;
            }
            if (protocol >= 0 && FlowKey.protocolOf(key) != protocol)
            {
                return false;
            }
            if (port >= 0 && FlowKey.portOf(key, 0) != port && FlowKey.portOf(key, 1) != port)
            {
                return false;
            }
            if (!anyAddress)
            {
                if (FlowKey.isIpv6(key) != v6)
                {
                    return false;
                }
                final boolean a = FlowKey.addressOf(key, 0, 0) == hi && FlowKey.addressOf(key, 0, 1) == lo;
                final boolean b = FlowKey.addressOf(key, 1, 0) == hi && FlowKey.addressOf(key, 1, 1) == lo;
                return a || b;
            }
            return true;
        }
    }
}
