package io.opensase.benchmarks.events;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.events.EveRecord;
import io.opensase.core.events.EveRecordQueue;
import io.opensase.core.events.EveRenderer;
import io.opensase.core.events.EventsConfig;
import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsPolicyRef;
import io.opensase.core.ips.IpsSettings;
import io.opensase.core.ips.IpsStage;
import io.opensase.core.ips.QueuedEveSink;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.Mbuf;
import org.agrona.concurrent.MessageHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The IPS alert's way onto a worker's event queue: nanoseconds and bytes allocated (run with {@code -prof gc})
 * per packet. Each operation is one packet of a 32-packet burst of UDP packets whose payload a rule's content
 * matches, run through the worker's parse, flow and IPS stages, the engine's {@link QueuedEveSink} behind.
 * <ul>
 * <li>{@code perPacket} with {@code rule=noalert}: the rule matches but has {@code noalert}, so nothing is
 * written; with {@code rule=alert}: each packet's alert line is built as a record and queued (the queue is
 * emptied after each burst, in the same thread, without rendering). The difference between the two is what
 * the alert's emission costs a worker.</li>
 * <li>{@code perPacketQueueFull}: nobody drains, so every alert finds the queue full and is counted as dropped.</li>
 * <li>{@code renderAlert}: the writer's side, one queued alert record rendered as its EVE line.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS,
    BenchmarkJvm.AGRONA_UNSAFE_EXPORT, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class IpsAlertEventBenchmark
{
    static final int BURST = 32;
    static final long T0_NS = 1_767_225_600_000_000_000L;
    /** Ethernet, IPv4 10.0.0.1 -> 192.0.2.1 (header checksum computed below), UDP 4000 -> 9000, "attack-0001". */
    static final byte[] PACKET = packet();

    /** The worker's stages over one burst, and the queue its IPS stage writes to. */
    @State(Scope.Thread)
    public static class Worker
    {
        @Param({"alert", "noalert"})
        public String rule;

        final PacketBurst burst = new PacketBurst(BURST);
        final WorkerCounters counters = new WorkerCounters();
        final MessageHandler discard = (type, buffer, index, length) -> { };
        JavaPacketPool pool;
        long[] mbufs;
        ParseStage parse;
        FlowStage flows;
        IpsStage ips;
        IpsPolicy policy;
        EveRecordQueue queue;
        Path rules;

        @Setup(Level.Trial)
        public void build() throws IOException
        {
            rules = Files.createTempFile("alert-event", ".rules");
            Files.writeString(rules, "alert udp any any -> any any (msg:\"attack seen\"; content:\"attack-\"; "
                + ("noalert".equals(rule) ? "noalert; " : "") + "classtype:attempted-admin; sid:7; rev:2;)\n");
            policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false, null,
                SharedData.root().resolve("ids-rules/et-open/classification.config"), null));
            queue = new EveRecordQueue(EventsConfig.DEFAULT_RECORD_QUEUE_BYTES);
            parse = new ParseStage(new PacketParser(), LinkType.ETHERNET, counters);
            flows = new FlowStage(new FlowTable(1024, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST));
            ips = new IpsStage(new IpsPolicyRef(policy), flows.table(), 0, LinkType.ETHERNET.number(),
                new QueuedEveSink(queue, EventsConfig.IPS_RECORD_BYTES, EventsConfig.IPS_VALUE_BYTES), false);
            pool = new JavaPacketPool(BURST);
            final MbufArray allocated = new MbufArray(BURST);
            if (pool.allocate(allocated, BURST) != BURST)
            {
                throw new IllegalStateException("pool gave fewer buffers than it holds");
            }
            mbufs = allocated.addresses();
            for (int i = 0; i < BURST; i++)
            {
                MemorySegment.copy(MemorySegment.ofArray(PACKET), 0, PacketMemory.ALL, Mbuf.dataAddress(mbufs[i]),
                    PACKET.length);
                Mbuf.setLength(mbufs[i], PACKET.length);
                Mbuf.setWireLength(mbufs[i], PACKET.length);
                Mbuf.setTimestampNs(mbufs[i], T0_NS + i);
            }
        }

        /** One burst through the stages; the IPS stage inspects all 32 packets of the one flow. */
        final void runBurst()
        {
            System.arraycopy(mbufs, 0, burst.mbufs().addresses(), 0, BURST);
            burst.loadCaptured(BURST);
            parse.process(burst);
            flows.process(burst);
            ips.process(burst);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            System.out.printf("%n[alert-event] rule %s: packets %d, alerts %d, queued %d, dropped %d; %s%n", rule,
                ips.counters().packets(), ips.counters().alerts(), queue.published(), queue.dropped(),
                policy.loadReport().replace('\n', ' '));
            policy.close();
            pool.close();
            Files.deleteIfExists(rules);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long perPacket(final Worker worker)
    {
        worker.runBurst();
        // The ring hands out what lies before its end in one call, the rest in the next.
        while (worker.queue.drain(worker.discard, BURST) > 0)
        {
            // Emptied after each burst, as the writer thread would.
        }
        return worker.queue.published();
    }

    /** Nobody drains: the queue fills in the first milliseconds, then each alert is a counted drop. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long perPacketQueueFull(final Worker worker)
    {
        worker.runBurst();
        return worker.queue.dropped();
    }

    /** One alert record as the stage builds it, rendered by the writer. */
    @State(Scope.Thread)
    public static class Rendering
    {
        final EveRenderer renderer = new EveRenderer();
        final byte[] record = new byte[EventsConfig.IPS_RECORD_BYTES];
        int length;

        @Setup(Level.Trial)
        public void build() throws IOException
        {
            final Worker worker = new Worker();
            worker.rule = "alert";
            worker.build();
            worker.runBurst();
            worker.queue.drain((type, buffer, index, size) ->
            {
                buffer.getBytes(index, record, 0, size);
                length = size;
            }, 1);
            worker.close();
            System.out.printf("%n[alert-event] one alert record: %d bytes%n", length);
        }
    }

    @Benchmark
    public int renderAlert(final Rendering state)
    {
        state.renderer.render(state.record, 0, state.length);
        return state.renderer.length();
    }

    private static byte[] packet()
    {
        final byte[] payload = "attack-0001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final byte[] p = new byte[14 + 20 + 8 + payload.length];
        final byte[] head = {
            2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
            0x45, 0, 0, (byte)(20 + 8 + payload.length), 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, (byte)192, 0, 2, 1,
            0x0F, (byte)0xA0, 0x23, 0x28, 0, (byte)(8 + payload.length), 0, 0};
        System.arraycopy(head, 0, p, 0, head.length);
        System.arraycopy(payload, 0, p, head.length, payload.length);
        int sum = 0;
        for (int i = 14; i < 34; i += 2)
        {
            sum += (p[i] & 0xFF) << 8 | p[i + 1] & 0xFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = ~((sum & 0xFFFF) + (sum >>> 16)) & 0xFFFF;
        p[24] = (byte)(sum >>> 8);
        p[25] = (byte)sum;
        return p;
    }
}
