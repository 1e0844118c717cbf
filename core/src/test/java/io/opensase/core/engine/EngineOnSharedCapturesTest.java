package io.opensase.core.engine;

import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.parse.Protocol;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tshark;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.testing.RawPcap;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every shared capture through the engine as a bump in the wire: with one worker the output holds the
 * input's frames in order, byte for byte; with three, the same frames, the frames between two hosts in
 * their order, and the same totals; the protocol counts equal the number of frames tshark's display filter of the same name matches.
 */
class EngineOnSharedCapturesTest
{
    /** tshark protocol name for each report protocol checked against it. */
    private static final Map<Protocol, String> TSHARK_NAMES = new LinkedHashMap<>();

    static
    {
        TSHARK_NAMES.put(Protocol.IPV4, "ip");
        TSHARK_NAMES.put(Protocol.IPV6, "ipv6");
        TSHARK_NAMES.put(Protocol.TCP, "tcp");
        TSHARK_NAMES.put(Protocol.UDP, "udp");
        TSHARK_NAMES.put(Protocol.ICMP, "icmp");
        TSHARK_NAMES.put(Protocol.ICMPV6, "icmpv6");
        TSHARK_NAMES.put(Protocol.SCTP, "sctp");
        TSHARK_NAMES.put(Protocol.ARP, "arp");
        TSHARK_NAMES.put(Protocol.MPLS, "mpls");
        TSHARK_NAMES.put(Protocol.GRE, "gre");
        TSHARK_NAMES.put(Protocol.VXLAN, "vxlan");
        TSHARK_NAMES.put(Protocol.GENEVE, "geneve");
    }

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> shouldForwardEveryCaptureUnchangedAndCountLikeTshark()
    {
        return SharedData.captures().stream()
            .map(capture -> DynamicTest.dynamicTest(SharedData.name(capture), () -> check(capture)));
    }

    private void check(final Path capture) throws Exception
    {
        final List<RawPcap.Frame> input = RawPcap.frames(capture);
        final List<Tshark.Frame> tshark = Tshark.decode(capture, "frame.protocols", "ip.src", "ip.dst", "ipv6.src",
            "ipv6.dst", "eth.src", "eth.dst", Tshark.TEREDO_FIELDS[0], Tshark.TEREDO_FIELDS[1]);

        final Path single = temp.resolve("one-worker.pcap");
        final RunResult one = new Engine(EngineConfig.forCapture(capture, single)).run();
        assertAccounted(one, input.size());
        assertEquals(input, RawPcap.frames(single), "one worker: output frames, in order");
        assertEquals(RawPcap.linkType(capture), RawPcap.linkType(single), "link type");

        final Path several = temp.resolve("three-workers.pcap");
        final RunResult three = new Engine(EngineConfig.forCapture(capture, several).withWorkers(3)).run();
        assertAccounted(three, input.size());
        assertSameTotals(one, three);
        assertSameFramesInFlowOrder(input, RawPcap.frames(several), tshark);

        if (countsComparable(tshark))
        {
            for (final Map.Entry<Protocol, String> name : TSHARK_NAMES.entrySet())
            {
                final long expected = tshark.stream()
                    .filter(frame -> List.of(frame.protocols().split(":")).contains(name.getValue()))
                    .count();
                assertEquals(expected, one.counters().protocol(name.getKey()), "protocol " + name.getValue());
            }
        }
    }

    private static void assertAccounted(final RunResult result, final int frames)
    {
        final WorkerCounters c = result.counters();
        long dropped = 0;
        for (final DropReason reason : DropReason.values())
        {
            dropped += c.drops(reason);
        }
        assertEquals(frames, c.get(WorkerCounters.RX_PACKETS), "packets in");
        assertEquals(c.get(WorkerCounters.RX_PACKETS), c.get(WorkerCounters.TX_PACKETS) + dropped, "in = out + dropped");
        assertEquals(0, dropped, "a bump in the wire drops nothing");
        assertEquals(c.get(WorkerCounters.RX_BYTES), c.get(WorkerCounters.TX_BYTES), "bytes");
        assertEquals(0, result.buffersInUse(), "every packet buffer back in the pool");
        assertEquals(null, result.captureError());
    }

    private static void assertSameTotals(final RunResult one, final RunResult other)
    {
        final WorkerCounters a = one.counters();
        final WorkerCounters b = other.counters();
        for (final int counter : new int[] {WorkerCounters.RX_PACKETS, WorkerCounters.RX_BYTES,
            WorkerCounters.TX_PACKETS, WorkerCounters.TX_BYTES, WorkerCounters.SNAP_TRUNCATED})
        {
            assertEquals(a.get(counter), b.get(counter), "counter " + counter);
        }
        for (final Protocol protocol : Protocol.all())
        {
            assertEquals(a.protocol(protocol), b.protocol(protocol), "protocol " + protocol);
        }
        for (final Malformed reason : Malformed.values())
        {
            assertEquals(a.malformed(reason), b.malformed(reason), "malformed " + reason);
        }
        assertEquals(one.flows(), other.flows(), "flow totals");
    }

    /**
     * The output is a permutation of the input in which the frames between one pair of hosts keep their
     * order: the engine steers by the innermost IP address pair the parser decodes (Ethernet pair without
     * IP), so that is the unit in which order must hold. The pair is taken from tshark's decode.
     */
    private static void assertSameFramesInFlowOrder(
        final List<RawPcap.Frame> input, final List<RawPcap.Frame> output, final List<Tshark.Frame> tshark)
    {
        assertEquals(input.size(), output.size(), "frames out");
        final Map<RawPcap.Frame, List<Integer>> positions = new HashMap<>();
        for (int i = 0; i < input.size(); i++)
        {
            positions.computeIfAbsent(input.get(i), f -> new ArrayList<>()).add(i);
        }
        final Map<String, Integer> lastIndex = new HashMap<>();
        for (final RawPcap.Frame frame : output)
        {
            final List<Integer> candidates = positions.get(frame);
            assertEquals(true, null != candidates && !candidates.isEmpty(), "an output frame not in the input");
            final int index = candidates.removeFirst();
            final String hosts = hostPair(tshark.get(index));
            final Integer previous = lastIndex.put(hosts, index);
            if (null != previous && previous > index)
            {
                throw new AssertionError("hosts " + hosts + ": frame " + (index + 1) + " came out after frame "
                    + (previous + 1));
            }
        }
    }

    /**
     * The innermost IP address pair of the packet's own stack as the parser decodes it: tshark's protocol
     * list is cut where the parser stops by design (MPLS pseudowires, Teredo that Suricata's checks refuse, GRE
     * Cisco metadata) and where an ICMP error's quoted headers begin; the last IP header left names the pair.
     */
    private static String hostPair(final Tshark.Frame frame)
    {
        final List<String> protocols = List.of(frame.protocols().split(":"));
        int ipv4 = 0;
        int ipv6 = 0;
        String innermost = null;
        for (int p = 0; p < protocols.size(); p++)
        {
            final String name = protocols.get(p);
            if (name.startsWith("pw") || name.equals("teredo") && Tshark.suricataRefusesTeredo(frame)
                || name.equals("cmd"))
            {
                break;
            }
            if ((name.equals("ip") || name.equals("ipv6")) && p > 0
                && (protocols.get(p - 1).equals("icmp") || protocols.get(p - 1).equals("icmpv6")))
            {
                break;
            }
            if (name.equals("ip"))
            {
                innermost = pair(frame.all("ip.src").get(ipv4), frame.all("ip.dst").get(ipv4));
                ipv4++;
            }
            else if (name.equals("ipv6"))
            {
                innermost = pair(frame.all("ipv6.src").get(ipv6), frame.all("ipv6.dst").get(ipv6));
                ipv6++;
            }
        }
        if (null != innermost)
        {
            return innermost;
        }
        return frame.all("eth.src").isEmpty() ? "" : pair(frame.all("eth.src").getFirst(), frame.all("eth.dst").getFirst());
    }

    private static String pair(final String a, final String b)
    {
        return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }

    /**
     * The checking rule holds on captures without ICMP errors, MPLS pseudowires, Teredo or GRE with
     * Cisco metadata: there, quoted or undecoded headers make tshark count what the report must not.
     */
    private static boolean countsComparable(final List<Tshark.Frame> frames)
    {
        return frames.stream().map(Tshark.Frame::protocols).noneMatch(p ->
            p.contains("icmp:ip") || p.contains("icmpv6:ipv6") || p.contains("pwe") || p.contains("teredo")
                || p.contains("gre:cmd"));
    }
}
