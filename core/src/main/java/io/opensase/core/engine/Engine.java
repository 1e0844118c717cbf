package io.opensase.core.engine;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.capture.CaptureStage;
import io.opensase.core.capture.CaptureTap;
import io.opensase.core.capture.TraceStage;
import io.opensase.core.capture.TraceTap;
import io.opensase.core.config.CapturePortConfig;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.FlowConfig;
import io.opensase.core.config.MalformedAction;
import io.opensase.core.dpdk.DpdkPorts;
import io.opensase.core.audit.AuditEntry;
import io.opensase.core.events.AuditEvents;
import io.opensase.core.events.EventStats;
import io.opensase.core.events.EventWriter;
import io.opensase.core.events.EventsConfig;
import io.opensase.core.events.FlowRecorder;
import io.opensase.core.events.TenantNames;
import io.opensase.core.firewall.FirewallConfig;
import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.firewall.FirewallStage;
import io.opensase.core.firewall.PolicyRef;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.ips.IpsEventSink;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsPolicyRef;
import io.opensase.core.ips.IpsSettings;
import io.opensase.core.ips.IpsStage;
import io.opensase.core.ips.QueuedEveSink;
import io.opensase.ips.dataset.Datasets;
import io.opensase.core.firewall.PolicySnapshot;
import io.opensase.core.firewall.TenantIds;
import io.opensase.core.firewall.TenantStage;
import io.opensase.core.metrics.BurstSummary;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.MalformedPolicyStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.Stage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.ring.SpscLongRing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the pipeline over the configured ports until the input ends (or the run is stopped), then stops every
 * thread cleanly and sums what they counted.
 * <p>
 * Three shapes, one pipeline: with one worker, the worker polls the port itself (run to completion); with
 * several workers on a port with as many queues, each worker owns a queue pair (RSS, run to completion);
 * with several workers on a one-queue port, a {@link PortAgent} owns the port and workers receive and
 * transmit through rings. Built and run from the control thread; {@link #run()} returns when every thread
 * has stopped.
 */
public final class Engine
{
    /** How long the end of a run waits for the event writer to write what is queued. */
    private static final long EVENTS_DRAIN_NS = TimeUnit.SECONDS.toNanos(5);
    /** Printed at start by an IPS without an EVE file: its alerts are counted, and nothing else shows them. */
    private static final String NO_IPS_EVE = "opensase: ips: no eve file (ips.eve): alerts and application events "
        + "are counted, not written";
    /** How long a publish of IPS rules waits for workers to take them up, to release the ones they replace. */
    private static final long RETIRE_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long RETIRE_POLL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EngineConfig config;
    /** The firewall policy workers read, or null when no firewall is configured. */
    private final PolicyRef policy;
    private final TenantIds tenantIds = new TenantIds();
    /** One capture tap per worker, armed by a capture from the control path. */
    private final List<CaptureTap> captureTaps = new ArrayList<>();
    /** One trace tap per worker, armed by a trace from the control path. */
    private final List<TraceTap> traceTaps = new ArrayList<>();
    /** The receiving port's link type once the run has opened it. */
    private volatile LinkType linkType;
    /** Each worker's firewall counts, for the run just started. */
    private final List<FirewallCounters> firewallCounters = new ArrayList<>();
    /** The IPS rules workers run, loaded when the run starts; null without an {@code ips:} section. */
    private volatile IpsPolicyRef ips;
    /** The sets of the IPS rules' dataset keyword, kept across reloads for the run. */
    private Datasets ipsDatasets;
    private final List<IpsStage> ipsStages = new ArrayList<>();
    private final List<IpsPolicy> retiredIps = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Tenant names by id, for the event writer. */
    private final TenantNames tenantNames = new TenantNames();
    /** Each worker's flow recorder, for the run just started; none without events. */
    private final List<FlowRecorder> flowRecorders = new ArrayList<>();
    /**
     * The event writer of the run under way, until it is closed at the run's end; null without events (no
     * {@code events:} section and no IPS EVE file).
     */
    private EventWriter events;
    /** Audit events for the writer of the run under way; control threads take its lock. */
    private final AuditEvents auditEvents = new AuditEvents();
    private volatile PortSet running;
    /** The threads' counters of the run under way (or last run), for {@link #sample}; null before any run. */
    private volatile Live live;

    private record Live(WorkerCounters port, List<Worker> workers, List<FirewallCounters> firewall,
        List<IpsCounters> ips, EventWriter events)
    {
    }

    public Engine(final EngineConfig config)
    {
        this.config = config;
        this.policy = null == config.firewall() ? null : new PolicyRef(new PolicySnapshot(1,
            tenantIds.assign(config.firewall()), config.receivingPort().name(), config.workers(), null));
        for (int w = 0; w < config.workers(); w++)
        {
            captureTaps.add(new CaptureTap());
            traceTaps.add(new TraceTap());
        }
        nameTenants(firewallPolicy());
    }

    /** Each worker's capture tap, in worker order. */
    public List<CaptureTap> captureTaps()
    {
        return List.copyOf(captureTaps);
    }

    /** Each worker's trace tap, in worker order. */
    public List<TraceTap> traceTaps()
    {
        return List.copyOf(traceTaps);
    }

    /** The receiving port's link type, or null before the run has opened the port. */
    public LinkType linkType()
    {
        return linkType;
    }

    /** True when the engine runs a firewall, whose policy {@link #publishFirewall} can replace. */
    public boolean hasFirewall()
    {
        return null != policy;
    }

    /** The firewall policy workers run now, or null without a firewall. */
    public PolicySnapshot firewallPolicy()
    {
        return null == policy ? null : policy.current();
    }

    /**
     * Control thread: compiles a new firewall policy (tenants keep their ids by name, unchanged tenants their
     * compiled rules) and publishes it; each worker takes it at its next burst, and cached verdicts are decided
     * again on each flow's next packet. Flows and their connection state stay.
     *
     * @return the new policy generation.
     * @throws IllegalStateException    when the engine runs no firewall (adding one needs a restart).
     * @throws IllegalArgumentException when the tenant ids are used up.
     */
    public synchronized long publishFirewall(final FirewallConfig firewall)
    {
        if (null == policy)
        {
            throw new IllegalStateException("the engine was started without a firewall");
        }
        final PolicySnapshot running = policy.current();
        final PolicySnapshot next = new PolicySnapshot(running.generation() + 1, tenantIds.assign(firewall),
            config.receivingPort().name(), config.workers(), running);
        nameTenants(next);
        policy.publish(next);
        return next.generation();
    }

    /** What turns the monotonic clock that stamps live packets into epoch time, for event timestamps. */
    private static long wallClockMinusMonotonicNs()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    private void nameTenants(final PolicySnapshot snapshot)
    {
        if (null != snapshot)
        {
            snapshot.config().tenants().forEach(tenant -> tenantNames.put(tenant.id(), tenant.name()));
        }
    }

    /**
     * The counts of {@code eve.json} (flow records queued and dropped per worker, audit events, written, lost),
     * or null without an {@code events:} section.
     */
    public EventStats eventStats()
    {
        final Live now = live;
        return null == now || null == now.events() ? null : now.events().stats();
    }

    /** The counts of the IPS EVE file (alerts and application events per worker), or null without one. */
    public EventStats ipsEventStats()
    {
        final Live now = live;
        return null == now || null == now.events() ? null : now.events().ipsStats();
    }

    /**
     * Any control thread, after an audit log entry is written: the entry as an EVE {@code audit} line in
     * {@code eve.json}, when a run with an {@code events:} section is under way. The audit log stays the
     * record; this line may be dropped (and counted) when the queue is full.
     */
    public void auditEvent(final AuditEntry entry)
    {
        auditEvents.offer(entry);
    }

    /**
     * @throws IOException when the input cannot be opened at all or the output cannot be written; a capture
     *                     that is corrupt or cut short part-way is not thrown but reported in the result.
     */
    public RunResult run() throws IOException
    {
        requireHeapForTables();
        firewallCounters.clear();
        flowRecorders.clear();
        ipsStages.clear();
        if (null != config.events())
        {
            // First: the IPS EVE file may be in it.
            EventWriter.createFolder(config.events());
        }
        if (null != config.ips())
        {
            ipsDatasets = new Datasets(null);
            final IpsPolicy loaded = IpsPolicy.load(config.ips(), ipsDatasets);
            System.err.println("opensase: " + loaded.loadReport().replace("\n", "\nopensase: "));
            ips = new IpsPolicyRef(loaded);
            if (null != config.ips().eve())
            {
                // Fails the start as opening it did when workers wrote it: the writer thread only counts errors.
                Files.newOutputStream(config.ips().eve(), StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    .close();
            }
            else
            {
                System.err.println(NO_IPS_EVE);
            }
        }
        final long startNs = System.nanoTime();
        final PortSet ports;
        try
        {
            ports = open();
        }
        catch (final CaptureFormatException ex)
        {
            return RunResult.empty(config.workers(), ex, System.nanoTime() - startNs);
        }
        try (ports)
        {
            running = ports;
            linkType = ports.linkType();
            events = newEventWriter(ports.live());
            if (null != events)
            {
                events.start();
                auditEvents.writeTo(events.auditQueue());
            }
            final WorkerCounters portCounters = new WorkerCounters();
            final List<Worker> workers = new ArrayList<>();
            final List<PollAgent> agents = new ArrayList<>();
            if (1 == config.workers() || ports.queues() == config.workers())
            {
                for (int w = 0; w < config.workers(); w++)
                {
                    final WorkerCounters counters = 0 == w ? portCounters : new WorkerCounters();
                    final PortSink sink = new PortSink(ports.txPort(w), ports.pool(), counters, config.burstSize());
                    workers.add(newWorker(w, ports, ports.source(w, counters), sink, counters));
                }
                agents.addAll(workers);
            }
            else
            {
                agents.add(newPortAgent(ports, portCounters, workers));
                agents.addAll(workers);
            }
            live = new Live(portCounters, List.copyOf(workers), List.copyOf(firewallCounters),
                ipsStages.stream().map(IpsStage::counters).toList(), events);
            HeapTarget.holdNearCommitted();
            final Throwable failure = AgentThreads.runAll(agents, config.idle(), ports, config.durationNs());
            if (failure instanceof java.io.UncheckedIOException io)
            {
                throw new IOException(io.getMessage(), io.getCause());
            }
            if (null != failure)
            {
                throw new IllegalStateException("engine thread failed: " + failure, failure);
            }
            return result(ports, portCounters, workers, startNs);
        }
        finally
        {
            running = null;
            auditEvents.writeTo(null);
            closeIps();
            if (null != events)
            {
                // The run failed before its end: let the writer write what was queued.
                events.close(EVENTS_DRAIN_NS);
                events = null;
            }
        }
    }

    /** True when the engine runs an IPS stage, whose rules {@link #publishIps} can replace. */
    public boolean hasIps()
    {
        return null != ips;
    }

    /**
     * Control thread: workers match with {@code next} from their next burst on. A replaced policy's memory
     * (native matcher databases, rule tables) is released once no worker matches with it: here, after waiting
     * briefly for the workers to take the new one up, or at a later publish, or when the run ends (a worker
     * that sees no traffic keeps the policy it had).
     */
    public void publishIps(final IpsPolicy next)
    {
        final IpsPolicyRef ref = ips;
        if (null == ref)
        {
            throw new IllegalStateException("no IPS stage runs");
        }
        // Each worker's matching state is built here, so that taking the new rules up costs a worker nothing.
        ipsStages.forEach(stage -> stage.prepare(next));
        retiredIps.add(ref.publish(next));
        final long deadline = System.nanoTime() + RETIRE_WAIT_NS;
        while (!releaseRetiredIps() && System.nanoTime() < deadline)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(RETIRE_POLL_NS);
        }
    }

    /** Closes every retired IPS policy no stage matches with any more; true when none is left. */
    private boolean releaseRetiredIps()
    {
        for (final IpsPolicy retired : retiredIps)
        {
            if (ipsStages.stream().noneMatch(stage -> stage.taken() == retired))
            {
                retiredIps.remove(retired);
                retired.close();
            }
        }
        return retiredIps.isEmpty();
    }

    /** Control thread: compiles IPS rules for a reload, with the running engine's dataset sets. */
    public IpsPolicy compileIps(final IpsSettings settings) throws IOException
    {
        if (null == ipsDatasets)
        {
            throw new IllegalStateException("no IPS stage runs");
        }
        return IpsPolicy.load(settings, ipsDatasets);
    }

    /** What the IPS stages counted, summed over the workers; read after the run. */
    public IpsCounters ipsTotals()
    {
        final IpsCounters sum = new IpsCounters();
        ipsStages.forEach(stage -> sum.add(stage.counters()));
        return sum;
    }

    private void closeIps() throws IOException
    {
        final IpsPolicyRef ref = ips;
        if (null == ref)
        {
            return;
        }
        retiredIps.forEach(IpsPolicy::close);
        retiredIps.clear();
        ref.current().close();
        ipsDatasets.close();
        ipsDatasets = null;
    }

    /**
     * The writer of {@code eve.json} (with an {@code events:} section) and of the IPS EVE file (with an IPS
     * {@code eve:} file, rotated and queued as the {@code events:} section says, or by its defaults), or null
     * when there is neither.
     */
    private EventWriter newEventWriter(final boolean live)
    {
        final Path ipsFile = null == config.ips() ? null : config.ips().eve();
        if (null == config.events() && null == ipsFile)
        {
            return null;
        }
        final EventsConfig settings = null != config.events() ? config.events()
            : EventsConfig.in(ipsFile.toAbsolutePath().getParent());
        return new EventWriter(settings, null != config.events(), config.workers(), tenantNames,
            live ? wallClockMinusMonotonicNs() : 0, ipsFile);
    }

    /**
     * Flow tables and the HTTP parser's header blocks live on the Java heap, one set per worker: refuses at once a
     * configuration whose tables the heap cannot hold, rather than failing part-way through allocating them.
     */
    private void requireHeapForTables()
    {
        final int slots = config.flows().capacity();
        final long bytes = config.workers() * FlowTable.heapBytes(slots);
        final long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap * 9 / 10)
        {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "flows.capacity %d for %d "
                + "worker(s) needs %.1f GiB of Java heap for flow tables, and the heap is %.1f GiB: lower "
                + "flows.capacity, or raise the heap (OPENSASE_JAVA_OPTS=-Xmx...)", slots, config.workers(),
                bytes / 1073741824.0, heap / 1073741824.0));
        }
        final IpsSettings ips = config.ips();
        if (null == ips)
        {
            return;
        }
        // Each worker's HTTP parser makes its header blocks whole when its stage is built (2 GiB at the bound).
        final long blocks = config.workers() * ips.headerBlockBytes(slots);
        if (bytes + blocks > heap * 9 / 10)
        {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "ips.http_header_blocks %d for "
                + "%d worker(s) needs %.1f GiB of Java heap for HTTP header blocks (%.1f GiB with the flow tables), "
                + "and the heap is %.1f GiB: lower ips.http_header_blocks, or raise the heap "
                + "(OPENSASE_JAVA_OPTS=-Xmx...)", ips.httpHeaderBlocks(), config.workers(), blocks / 1073741824.0,
                (bytes + blocks) / 1073741824.0, heap / 1073741824.0));
        }
    }

    /**
     * Control thread: the counters of the run under way, summed now. Workers own them and keep writing, so the
     * sums are read without locks and may be a burst apart from each other. Null before the run starts.
     */
    public EngineSample sample()
    {
        final Live now = live;
        if (null == now)
        {
            return null;
        }
        final WorkerCounters totals = new WorkerCounters();
        totals.addAll(now.port());
        final List<WorkerCounters> perWorker = new ArrayList<>();
        final List<FlowTable> tables = new ArrayList<>();
        final List<BurstSummary> bursts = new ArrayList<>();
        for (final Worker worker : now.workers())
        {
            bursts.add(worker.burstTimes().snapshot());
            final WorkerCounters copy = new WorkerCounters();
            copy.addAll(worker.counters());
            perWorker.add(copy);
            if (worker.counters() != now.port())
            {
                totals.addAll(worker.counters());
            }
            tables.add(worker.flows().table());
        }
        FirewallCounters firewall = null;
        if (null != policy)
        {
            firewall = new FirewallCounters();
            for (final FirewallCounters worker : now.firewall())
            {
                firewall.addAll(worker);
            }
        }
        IpsCounters ipsTotals = null;
        if (null != ips)
        {
            ipsTotals = new IpsCounters();
            for (final IpsCounters worker : now.ips())
            {
                ipsTotals.add(worker);
            }
        }
        return new EngineSample(null != running, totals, perWorker, tables, firewall,
            null == policy ? null : policy.current(), bursts, now.workers().stream().map(Worker::processed).toList(),
            ipsTotals);
    }

    /** Any thread: asks a running engine to stop receiving; it then drains and returns from {@link #run()}. */
    public void requestStop()
    {
        final PortSet ports = running;
        if (null != ports)
        {
            ports.requestStop();
        }
    }

    private PortSet open() throws IOException
    {
        if (config.usesDpdk())
        {
            return DpdkPorts.open(config);
        }
        return CapturePorts.open((CapturePortConfig)config.receivingPort(), config.packetBuffers(), config.burstSize());
    }

    private RunResult result(
        final PortSet ports, final WorkerCounters portCounters, final List<Worker> workers, final long startNs)
    {
        long endNs = 0;
        for (final Worker worker : workers)
        {
            endNs = Math.max(endNs, worker.flows().nowNs());
        }
        final WorkerCounters totals = new WorkerCounters();
        totals.addAll(portCounters);
        final List<FlowTable> tables = new ArrayList<>();
        // The workers have stopped: the end's flow records and IPS lines may wait for the writer, so that none is
        // dropped.
        final long eventsDeadlineNs = System.nanoTime() + EVENTS_DRAIN_NS;
        flowRecorders.forEach(recorder -> recorder.waitForRoomUntil(eventsDeadlineNs));
        if (null != events && null != events.ipsFile())
        {
            for (int w = 0; w < workers.size(); w++)
            {
                events.ipsQueue(w).waitForRoomUntil(eventsDeadlineNs);
            }
        }
        for (final Worker worker : workers)
        {
            worker.flows().finish(endNs);
            if (worker.counters() != portCounters)
            {
                totals.addAll(worker.counters());
            }
            tables.add(worker.flows().table());
        }
        // As a shutdown ends the flows still open: stream bytes they hold for inspection are inspected now. The
        // workers have stopped, so this thread may use their stages and queue lines in their record queues.
        ipsStages.forEach(IpsStage::finish);
        endEvents();
        return new RunResult(config.workers(), totals, FlowTotals.of(tables), ports.inputError(),
            ports.buffersInUse(), System.nanoTime() - startNs, ports.stopped(),
            workers.stream().map(Worker::processed).toList(), firewallTotals(), null == ips ? null : ipsTotals());
    }

    /**
     * After the workers stopped and their flows timed out at the end time: a shutdown record for each flow left
     * (each waiting, if need be, for the writer to free a queue slot), then the writer is given a few seconds to
     * write what is queued.
     */
    private void endEvents()
    {
        if (null == events)
        {
            return;
        }
        flowRecorders.forEach(FlowRecorder::recordRemaining);
        final EventWriter writer = events;
        events = null;
        auditEvents.writeTo(null);
        if (!writer.close(EVENTS_DRAIN_NS))
        {
            final EventStats flows = writer.stats();
            final EventStats alerts = writer.ipsStats();
            System.err.println("opensase: events: the writer did not finish within "
                + TimeUnit.NANOSECONDS.toSeconds(EVENTS_DRAIN_NS) + " s; "
                + ((null == flows ? 0 : flows.pending()) + (null == alerts ? 0 : alerts.pending()))
                + " events not written");
        }
    }

    private FirewallTotals firewallTotals()
    {
        if (null == policy)
        {
            return null;
        }
        final FirewallCounters sum = new FirewallCounters();
        firewallCounters.forEach(sum::addAll);
        final PolicySnapshot snapshot = policy.current();
        return new FirewallTotals(snapshot, sum, snapshot.ruleTotals());
    }

    private PortAgent newPortAgent(final PortSet ports, final WorkerCounters portCounters, final List<Worker> workers)
    {
        final int count = config.workers();
        final SpscLongRing[] toWorkers = new SpscLongRing[count];
        final SpscLongRing[] fromWorkers = new SpscLongRing[count];
        final RingSource[] inputs = new RingSource[count];
        for (int w = 0; w < count; w++)
        {
            toWorkers[w] = new SpscLongRing(config.ringSize());
            fromWorkers[w] = new SpscLongRing(config.ringSize());
            inputs[w] = new RingSource(toWorkers[w], ports.live());
            final WorkerCounters counters = new WorkerCounters();
            final RingSink sink = new RingSink(fromWorkers[w], ports.pool(), counters, config.burstSize());
            workers.add(newWorker(w, ports, inputs[w], sink, counters));
        }
        return new PortAgent(ports.source(0, portCounters), new PacketBurst(config.burstSize()), ports.linkType(),
            config.newParser(), toWorkers, inputs, fromWorkers,
            workers.toArray(Worker[]::new), ports.txPort(0), portCounters);
    }

    private Worker newWorker(
        final int index,
        final PortSet ports,
        final BurstSource source,
        final BurstSink sink,
        final WorkerCounters counters)
    {
        final FlowConfig flowConfig = config.flows();
        final FlowTable table = null == policy
            ? new FlowTable(flowConfig.capacity(), flowConfig.timeouts(), flowConfig.whenFull())
            : new FlowTable(flowConfig.capacity(), FirewallStage.classTimeouts(flowConfig.timeouts(), config.firewall()),
                flowConfig.whenFull());
        final FlowStage flows = new FlowStage(table);
        final List<Stage> stages = new ArrayList<>();
        stages.add(new ParseStage(config.newParser(),
            ports.linkType(), counters));
        if (null == policy)
        {
            stages.add(flows);
        }
        else
        {
            final FirewallCounters firewall = new FirewallCounters();
            firewallCounters.add(firewall);
            stages.add(new TenantStage(policy));
            stages.add(new FirewallStage(policy, flows, firewall, index, counters, ports.pool().dataRoom()));
        }
        if (MalformedAction.DROP == config.malformed())
        {
            stages.add(new MalformedPolicyStage());
        }
        if (null != ips)
        {
            final IpsEventSink eve = null == events || null == events.ipsFile() ? IpsEventSink.DISCARD
                : new QueuedEveSink(events.ipsQueue(index), EventsConfig.IPS_RECORD_BYTES, EventsConfig.IPS_VALUE_BYTES);
            final IpsStage stage = new IpsStage(ips, table, index, ports.linkType().number(), eve, false);
            stage.parseRebuiltWith(config.newParser());
            stage.followTracking(flows);
            ipsStages.add(stage);
            stages.add(stage);
        }
        stages.add(new TraceStage(traceTaps.get(index), policy));
        stages.add(new CaptureStage(captureTaps.get(index)));
        if (null != events && null != events.file())
        {
            // After the firewall stage, which sets the table's first removal listener.
            final FlowRecorder recorder = null == policy ? new FlowRecorder(table, events.queue(index), index)
                : new FlowRecorder(table, events.queue(index), index, FirewallStage.CLASS_TCP_CLOSED);
            flows.setRecorder(recorder);
            flowRecorders.add(recorder);
        }
        return new Worker("opensase-worker-" + index, source, stages.toArray(Stage[]::new), sink,
            new PacketBurst(config.burstSize()), flows, counters);
    }
}
