package io.opensase.benchmarks.pipeline;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.benchmarks.support.PacketSet;
import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.config.FlowConfig;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.Mbuf;
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

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per packet for a worker's first stages, {@link ParseStage} alone and followed by
 * {@link FlowStage}, over the shared captures held in Java packet pool mbufs and fed in bursts of 32.
 * <p>
 * Each invocation loads a burst from its mbufs (as a worker does after a ring poll), then runs the stages,
 * counters included. The flow table has the default capacity and is reused across passes over the
 * captures: after the first pass, every packet with a flow looks up an established one. A stage parses one
 * link type, as a port has one, so only Ethernet captures are loaded (two BSD-loopback captures under
 * pcap/quic are left out).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class ParseFlowStagesBenchmark
{
    public static final int BURST = 32;

    /** {@code mixed}: every capture under pcap/mixed; {@code all}: every Ethernet capture under pcap/. */
    @Param({SharedData.MIXED, SharedData.ALL})
    public String captures;

    private final PacketBurst burst = new PacketBurst(BURST);
    private final WorkerCounters counters = new WorkerCounters();
    private JavaPacketPool pool;
    private long[] mbufs;
    private ParseStage parseStage;
    private FlowStage flowStage;
    private int next;

    @Setup(Level.Trial)
    public void load()
    {
        final FlowConfig flows = FlowConfig.DEFAULT;
        try (PacketSet packets = PacketSet.load(SharedData.captures(captures), LinkType.ETHERNET::equals))
        {
            pool = new JavaPacketPool(packets.count());
            final MbufArray allocated = new MbufArray(packets.count());
            if (pool.allocate(allocated, allocated.capacity()) != allocated.capacity())
            {
                throw new IllegalStateException("pool gave fewer buffers than it holds");
            }
            mbufs = allocated.addresses();
            for (int i = 0; i < mbufs.length; i++)
            {
                final int length = Math.min(packets.captured(i), pool.dataRoom());
                final long data = Mbuf.dataAddress(mbufs[i]);
                MemorySegment.copy(PacketMemory.ALL, packets.address(i), PacketMemory.ALL, data, length);
                Mbuf.setLength(mbufs[i], length);
                Mbuf.setWireLength(mbufs[i], packets.wire(i));
                Mbuf.setTimestampNs(mbufs[i], packets.timestampNs(i));
            }
            System.out.println("[stages] " + captures + ": " + packets.describe());
        }
        parseStage = new ParseStage(new PacketParser(), LinkType.ETHERNET, counters);
        flowStage = new FlowStage(new FlowTable(flows.capacity(), flows.timeouts(), flows.whenFull()));
    }

    @TearDown(Level.Trial)
    public void close()
    {
        final FlowTable table = flowStage.table();
        System.out.printf("%n[stages] flows active %d, created %d, expired %d%n",
            table.active(), table.created(), table.expired());
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int parse()
    {
        nextBurst();
        parseStage.process(burst);
        return burst.parsed().protocols(BURST - 1);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int parseAndFlow()
    {
        nextBurst();
        parseStage.process(burst);
        flowStage.process(burst);
        return burst.flow(BURST - 1);
    }

    /** The next 32 mbufs, wrapping round at the end of the captures. */
    private void nextBurst()
    {
        final long[] into = burst.mbufs().addresses();
        final int count = mbufs.length;
        int m = next;
        for (int i = 0; i < BURST; i++)
        {
            into[i] = mbufs[m];
            if (++m == count)
            {
                m = 0;
            }
        }
        next = m;
        burst.loadCaptured(BURST);
    }
}
