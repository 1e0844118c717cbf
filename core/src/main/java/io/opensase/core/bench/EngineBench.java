package io.opensase.core.bench;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.config.DpdkConfig;
import io.opensase.core.config.DpdkPortConfig;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.dpdk.DpdkPorts;
import io.opensase.core.engine.BurstSource;
import io.opensase.core.engine.PortSink;
import io.opensase.core.engine.Worker;
import io.opensase.core.firewall.FirewallConfig;
import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.firewall.FirewallStage;
import io.opensase.core.firewall.PolicyRef;
import io.opensase.core.firewall.PolicySnapshot;
import io.opensase.core.firewall.TenantStage;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.ips.IpsEventSink;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsPolicyRef;
import io.opensase.core.ips.IpsStage;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.Stage;
import io.opensase.core.pipeline.WorkerCounters;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's side of {@code opensase bench}: one worker, pinned to its own CPU as a DPDK lcore, polls a
 * {@code net_pcap} device replaying a capture forever ({@code infinite_rx=1}) and transmits to a
 * {@code net_null} device, busy-spinning. Runs from the control thread; measures packets received, GC
 * collections and bytes the worker thread allocated over a measured interval that follows a warm-up.
 */
final class EngineBench
{
    /** Flow mode keeps the table full: at least a million flows stay resident, and every new one evicts. */
    static final int FLOW_CAPACITY = 1 << 20;
    /**
     * IPS mode's idle timeouts, all 100 ms of the clock: each pass makes new flows, and a flow the capture leaves
     * open (cut before its close) holds one of the worker's IPS streams until it times out; with an hour, the
     * streams would all be taken within a second and later flows go without reassembly.
     */
    static final FlowTimeouts IPS_TIMEOUTS = new FlowTimeouts(100_000_000L, 100_000_000L, 100_000_000L,
        100_000_000L);

    private EngineBench()
    {
    }

    /**
     * What one measured interval saw; {@code firewall} and {@code ips} hold the firewall's and the IPS stage's
     * counts over the whole run (warm-up included), or null without one; {@code ipsLoadReport} is the IPS's
     * load report (rules loaded and skipped, the prefilter and the rules it enforces).
     */
    record Measurement(double mpps, long gcCollections, long allocatedBytes, long flowsResident, double newFlowShare,
        FirewallCounters firewall, IpsCounters ips, String ipsLoadReport)
    {
    }

    static Measurement run(final BenchSettings settings) throws IOException, InterruptedException
    {
        final EngineConfig config = EngineConfig.withDefaults(List.of(
                new DpdkPortConfig("capture", settings.replayDevargs("net_pcap_bench"), 1, true, "sink"),
                new DpdkPortConfig("sink", "net_null_bench,no-rx=1", 1, false, "sink")))
            .withDpdk(DpdkConfig.DEFAULT.withFrameCapacity(settings.frameCapacity()));
        try (DpdkPorts ports = DpdkPorts.open(config);
            IpsPolicy ipsPolicy = null == settings.ips() ? null : IpsPolicy.load(settings.ips()))
        {
            final WorkerCounters counters = new WorkerCounters();
            final FirewallConfig firewallConfig = settings.firewall();
            final FlowTimeouts timeouts = BenchMode.IPS == settings.mode() ? IPS_TIMEOUTS : FlowTimeouts.DEFAULT;
            final FlowStage flows = new FlowStage(null == firewallConfig
                ? new FlowTable(FLOW_CAPACITY, timeouts, FullTablePolicy.EVICT_OLDEST)
                : new FlowTable(FLOW_CAPACITY, FirewallStage.classTimeouts(timeouts, firewallConfig),
                    FullTablePolicy.EVICT_OLDEST));
            final FirewallCounters firewall = null == firewallConfig ? null : new FirewallCounters();
            final List<Stage> stages = new ArrayList<>();
            final BenchMode mode = settings.mode();
            if (BenchMode.FLOW == mode || BenchMode.REWRITE == mode || BenchMode.IPS == mode)
            {
                stages.add(new AddressRewriteStage(settings.capturePackets()));
            }
            if (BenchMode.FLOW == mode || BenchMode.ESTABLISHED == mode || BenchMode.IPS == mode)
            {
                stages.add(new ParseStage(new PacketParser(), LinkType.ETHERNET, counters));
                if (null == firewallConfig)
                {
                    stages.add(flows);
                }
                else
                {
                    final PolicyRef policy = new PolicyRef(new PolicySnapshot(1, firewallConfig, "capture", 1, null));
                    stages.add(new TenantStage(policy));
                    stages.add(new FirewallStage(policy, flows, firewall, 0, counters, ports.pool().dataRoom()));
                }
            }
            final IpsStage ips = null == ipsPolicy ? null
                : new IpsStage(new IpsPolicyRef(ipsPolicy), flows.table(), 0, LinkType.ETHERNET.number(),
                    IpsEventSink.DISCARD, false);
            if (null != ips)
            {
                stages.add(ips);
            }
            final BurstSource source = ports.source(0, counters);
            final PortSink sink = new PortSink(ports.txPort(0), ports.pool(), counters, EngineConfig.DEFAULT_BURST_SIZE);
            final Worker worker = new Worker("opensase-bench", source, stages.toArray(Stage[]::new), sink,
                new PacketBurst(EngineConfig.DEFAULT_BURST_SIZE), flows, counters);

            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread thread = new Thread(() -> spin(worker, ports, failure), "opensase-bench-worker");
            thread.start();
            Thread.sleep(settings.warmupSeconds() * 1000L);
            final Sample start = Sample.take(thread, counters);
            final long createdAtStart = flows.table().created();
            Thread.sleep(settings.seconds() * 1000L);
            final Sample end = Sample.take(thread, counters);
            final long createdAtEnd = flows.table().created();
            ports.requestStop();
            thread.join();
            if (null != ips)
            {
                ips.finish();
            }
            if (null != failure.get())
            {
                throw new IllegalStateException("the benchmark worker failed: " + failure.get(), failure.get());
            }
            final double seconds = (end.nanoTime - start.nanoTime) / 1e9;
            final long packets = end.packets - start.packets;
            return new Measurement(packets / seconds / 1e6, end.gcCollections - start.gcCollections,
                end.allocatedBytes - start.allocatedBytes, flows.table().active(),
                (double)(createdAtEnd - createdAtStart) / Math.max(1, packets), firewall,
                null == ips ? null : ips.counters(), null == ipsPolicy ? null : ipsPolicy.loadReport());
        }
    }

    private static void spin(final Worker worker, final DpdkPorts ports, final AtomicReference<Throwable> failure)
    {
        try
        {
            ports.onThreadStart(0);
            try
            {
                while (!worker.isDone())
                {
                    worker.doWork();
                }
            }
            finally
            {
                ports.onThreadStop();
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    /** Counters read from the control thread while the worker runs. */
    private record Sample(long nanoTime, long packets, long gcCollections, long allocatedBytes)
    {
        static Sample take(final Thread worker, final WorkerCounters counters)
        {
            long collections = 0;
            for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
            {
                collections += Math.max(0, gc.getCollectionCount());
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            return new Sample(System.nanoTime(), counters.getOpaque(WorkerCounters.RX_PACKETS), collections,
                threads.getThreadAllocatedBytes(worker.threadId()));
        }
    }
}
