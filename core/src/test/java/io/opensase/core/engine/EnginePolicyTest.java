package io.opensase.core.engine;

import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.FlowConfig;
import io.opensase.core.config.MalformedAction;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.testing.RawPcap;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Policies on the bundled demo capture, whose make-up is known packet by packet (see
 * samples/make-demo-pcap.py): 52 packets, one ARP, one malformed (IHL 4), one snap-truncated; 22 flows
 * whose packets each arrive together: four 7-packet TCP sessions first, then 18 more flows over 22 packets.
 */
class EnginePolicyTest
{
    private static final Path DEMO = Path.of("..", "samples", "pop-demo.pcap").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 3})
    void shouldDropMalformedPacketsWhenThePolicySaysSo(final int workers) throws Exception
    {
        final Path out = temp.resolve("out.pcap");
        final RunResult result = run(config(out, workers, FlowConfig.DEFAULT, MalformedAction.DROP));

        final WorkerCounters c = result.counters();
        assertEquals(52, c.get(WorkerCounters.RX_PACKETS));
        assertEquals(51, c.get(WorkerCounters.TX_PACKETS));
        assertEquals(1, c.drops(DropReason.MALFORMED));
        assertEquals(1, c.malformed(Malformed.IPV4_IHL));
        assertEquals(1, c.get(WorkerCounters.SNAP_TRUNCATED));
        assertEquals(51, RawPcap.frames(out).size());
        assertEquals(0, result.buffersInUse());
    }

    @Test
    void shouldRefuseNewFlowsWhenFullAndTheyPassUntracked() throws Exception
    {
        final FlowConfig flows = new FlowConfig(4, FullTablePolicy.REFUSE, FlowTimeouts.DEFAULT);
        final RunResult result = run(config(null, 1, flows, MalformedAction.FORWARD));

        assertEquals(new FlowTotals(4, 0, 0, 22, 4), result.flows(), "50 trackable packets, 28 in the first 4 flows");
        assertEquals(52, result.counters().get(WorkerCounters.TX_PACKETS), "refused flows still pass");
    }

    @Test
    void shouldEvictTheOldestFlowWhenFull() throws Exception
    {
        final FlowConfig flows = new FlowConfig(4, FullTablePolicy.EVICT_OLDEST, FlowTimeouts.DEFAULT);
        final RunResult result = run(config(null, 1, flows, MalformedAction.FORWARD));

        assertEquals(new FlowTotals(22, 0, 18, 0, 4), result.flows());
    }

    @Test
    void shouldExpireFlowsOnPacketTimeAndLeaveTheRestActive() throws Exception
    {
        // Packets are 1 ms apart; with every timeout at 5 ms the four sessions of the first 28 ms have timed
        // out by the last packet (51 ms), and so have flows idle for more than 5 ms at the end.
        final FlowConfig flows = new FlowConfig(1024, FullTablePolicy.EVICT_OLDEST,
            new FlowTimeouts(5_000_000, 5_000_000, 5_000_000, 5_000_000));
        final RunResult one = run(config(null, 1, flows, MalformedAction.FORWARD));
        final RunResult three = run(config(null, 3, flows, MalformedAction.FORWARD));

        assertEquals(22, one.flows().created());
        assertEquals(22, one.flows().expired() + one.flows().active());
        assertEquals(one.flows(), three.flows(), "the same flows expire whatever the number of workers");
    }

    @TestFactory
    Stream<DynamicTest> shouldExpireTheSameFlowsWithOneOrThreeWorkers()
    {
        final FlowConfig flows = new FlowConfig(1 << 16, FullTablePolicy.EVICT_OLDEST,
            new FlowTimeouts(1_000_000_000L, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L));
        return SharedData.captures().stream().map(capture -> DynamicTest.dynamicTest(SharedData.name(capture), () ->
        {
            final EngineConfig one = EngineConfig.forCapture(capture, null).withFlows(flows);
            assertEquals(run(one).flows(), run(one.withWorkers(3)).flows());
        }));
    }

    @Test
    void shouldDropFramesLargerThanAPacketBufferAndPassTheRest() throws Exception
    {
        final Path capture = temp.resolve("oversize.pcap");
        try (Arena arena = Arena.ofConfined(); PcapWriter writer = new PcapWriter(capture, LinkType.ETHERNET))
        {
            final MemorySegment frame = arena.allocate(9300);
            writer.write(frame.address(), 60, 60, 1_000);
            writer.write(frame.address(), 9216, 9216, 2_000);
            writer.write(frame.address(), 9217, 9217, 3_000);
            writer.write(frame.address(), 9300, 9300, 4_000);
        }
        final Path out = temp.resolve("out.pcap");
        final RunResult result = run(EngineConfig.forCapture(capture, out));

        final WorkerCounters c = result.counters();
        assertEquals(4, c.get(WorkerCounters.RX_PACKETS));
        assertEquals(2, c.get(WorkerCounters.TX_PACKETS));
        assertEquals(2, c.drops(DropReason.OVERSIZE));
        assertEquals(List.of(60, 9216), RawPcap.frames(out).stream().map(f -> f.bytes().length).toList());
    }

    @Test
    void shouldStopEarlyWhenAskedAndStillAccountForEveryPacket() throws Exception
    {
        final Path capture = temp.resolve("long.pcap");
        final int packets = 300_000;
        try (Arena arena = Arena.ofConfined(); PcapWriter writer = new PcapWriter(capture, LinkType.ETHERNET))
        {
            final MemorySegment frame = arena.allocate(60);
            for (int i = 0; i < packets; i++)
            {
                writer.write(frame.address(), 60, 60, 1_000L * i);
            }
        }

        final RunResult result = run(EngineConfig.forCapture(capture, null).withWorkers(2).withDuration(1_000_000));

        final WorkerCounters c = result.counters();
        assertEquals(true, result.stopped());
        assertTrue(c.get(WorkerCounters.RX_PACKETS) < packets, "stopped before the end: " + c.get(WorkerCounters.RX_PACKETS));
        assertEquals(c.get(WorkerCounters.RX_PACKETS), c.get(WorkerCounters.TX_PACKETS), "what came in went out");
        assertEquals(0, result.buffersInUse());
        assertEquals(null, result.captureError());
    }

    private static EngineConfig config(
        final Path out, final int workers, final FlowConfig flows, final MalformedAction malformed)
    {
        return EngineConfig.forCapture(DEMO, out).withWorkers(workers).withFlows(flows).withMalformed(malformed);
    }

    private static RunResult run(final EngineConfig config) throws Exception
    {
        return new Engine(config).run();
    }
}
