package io.opensase.core.dpdk;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.parse.Protocol;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.core.config.DpdkPortConfig;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.testing.RawPcap;
import io.opensase.dpdk.DpdkException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Ethernet capture of the shared set through DPDK {@code net_pcap} devices: the same counts as the
 * pure-Java path and the same output frames, byte for byte; with three workers behind the port thread,
 * the same totals. Flow counts are not compared: DPDK ports run on the monotonic clock, and packets the
 * capture cut short arrive as DPDK sees them (see below).
 * <p>
 * Stated exception: {@code net_pcap} hands over only the bytes a capture kept, so a packet cut by the
 * capture's snap length reaches the engine as a frame shorter than its IP length says. On the pure-Java
 * path it is {@code snap_truncated}; through DPDK it is malformed {@code ipv4_length}. The test checks
 * exactly that swap (21 packets of {@code zeek-tcp-retransmit-fast009.pcap}).
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the DPDK tests")
class DpdkEngineTest
{
    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> shouldCountAndForwardLikeThePureJavaPath()
    {
        return SharedData.captures().stream()
            .filter(DpdkEngineTest::isEthernet)
            .map(capture -> DynamicTest.dynamicTest(SharedData.name(capture), () -> compare(capture)));
    }

    @Test
    void shouldRunEachWorkerOnItsOwnQueuePairWithRss() throws IOException
    {
        // net_null generates packets on every RX queue: with two queues and two workers, each worker polls
        // one queue and transmits on its own TX queue of the sink, until the run's time is up.
        final EngineConfig config = EngineConfig.withDefaults(List.of(
                new DpdkPortConfig("lan", "net_null_rss,size=64", 2, true, "sink"),
                new DpdkPortConfig("sink", "net_null_rss_sink,no-rx=1", 1, false, "sink")))
            .withWorkers(2)
            .withDuration(300_000_000L);

        final RunResult result = new Engine(config).run();

        final WorkerCounters c = result.counters();
        assertTrue(c.get(WorkerCounters.RX_PACKETS) > 0, "packets received");
        assertEquals(c.get(WorkerCounters.RX_PACKETS), c.get(WorkerCounters.TX_PACKETS), "every packet transmitted");
        assertEquals(64 * c.get(WorkerCounters.RX_PACKETS), c.get(WorkerCounters.RX_BYTES), "64-byte packets");
        assertEquals(0, result.buffersInUse(), "mempool in-use count back at its start");
        assertTrue(result.stopped());
        assertEquals(2, result.workerPackets().size());
        assertTrue(result.workerPackets().get(0) > 0 && result.workerPackets().get(1) > 0,
            "both queues polled: " + result.workerPackets());
        assertEquals(c.get(WorkerCounters.RX_PACKETS), result.workerPackets().get(0) + result.workerPackets().get(1));
    }

    @Test
    void shouldNameTheDevargsDpdkCannotProbeAndSayWhatToFix()
    {
        final EngineConfig config = EngineConfig.withDefaults(
            List.of(new DpdkPortConfig("lan", "net_bogus0,foo=1", 1, true, "lan")));

        final DpdkException error = assertThrows(DpdkException.class, () -> new Engine(config).run());

        assertTrue(error.getMessage().startsWith("rte_dev_probe(\"net_bogus0,foo=1\") failed"), error.getMessage());
        assertTrue(error.getMessage().contains("To fix: check the driver name"), error.getMessage());
    }

    @Test
    void shouldRefuseACaptureThatIsNotEthernet()
    {
        final Path loopback = SharedData.resolve("pcap/quic/tcpdump-quic_handshake.pcap");

        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> PcapDevices.of(loopback, null));

        assertEquals(loopback + ": link type NULL; --dpdk takes Ethernet captures only (DPDK's net_pcap delivers "
            + "Ethernet frames): run it without --dpdk", error.getMessage());
    }

    private void compare(final Path capture) throws IOException
    {
        final Path javaOut = temp.resolve("java.pcap");
        final RunResult java = new Engine(EngineConfig.forCapture(capture, javaOut)).run();
        final Path dpdkOut = temp.resolve("dpdk.pcap");
        final RunResult dpdk = new Engine(EngineConfig.withDefaults(PcapDevices.of(capture, dpdkOut))).run();
        final RunResult three = new Engine(EngineConfig.withDefaults(PcapDevices.of(capture, null)).withWorkers(3))
            .run();

        final long cutBySnapLength = java.counters().get(WorkerCounters.SNAP_TRUNCATED);
        assertSameCounts(java, dpdk, cutBySnapLength);
        assertSameCounts(dpdk, three, 0);
        assertEquals(0, dpdk.buffersInUse(), "mempool in-use count back at its start");
        assertEquals(0, three.buffersInUse(), "mempool in-use count back at its start");
        assertEquals(frameBytes(RawPcap.frames(javaOut)), frameBytes(RawPcap.frames(dpdkOut)),
            "the frames net_pcap wrote, byte for byte");
    }

    private static void assertSameCounts(final RunResult expected, final RunResult actual, final long snapToMalformed)
    {
        final WorkerCounters e = expected.counters();
        final WorkerCounters a = actual.counters();
        for (final int counter : new int[] {WorkerCounters.RX_PACKETS, WorkerCounters.RX_BYTES,
            WorkerCounters.TX_PACKETS, WorkerCounters.TX_BYTES})
        {
            assertEquals(e.get(counter), a.get(counter), "counter " + counter);
        }
        for (final DropReason reason : DropReason.values())
        {
            assertEquals(e.drops(reason), a.drops(reason), "drops " + reason);
        }
        for (final Protocol protocol : Protocol.all())
        {
            assertEquals(e.protocol(protocol), a.protocol(protocol), "protocol " + protocol);
        }
        final Map<Malformed, Long> shift = new HashMap<>();
        shift.put(Malformed.IPV4_LENGTH, snapToMalformed);
        for (final Malformed reason : Malformed.values())
        {
            assertEquals(e.malformed(reason) + shift.getOrDefault(reason, 0L), a.malformed(reason), "malformed " + reason);
        }
        assertEquals(e.get(WorkerCounters.SNAP_TRUNCATED) - snapToMalformed, a.get(WorkerCounters.SNAP_TRUNCATED));
    }

    private static List<String> frameBytes(final List<RawPcap.Frame> frames)
    {
        final List<String> bytes = new ArrayList<>();
        for (final RawPcap.Frame frame : frames)
        {
            bytes.add(java.util.HexFormat.of().formatHex(frame.bytes()));
        }
        return bytes;
    }

    private static boolean isEthernet(final Path capture)
    {
        try (CaptureReader reader = Captures.open(capture))
        {
            return reader.linkType() == LinkType.ETHERNET;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
