package io.opensase.classifiers.stream;

import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams of shared captures reassembled here and by tshark ({@code -z follow,tcp,raw,N}): each direction's
 * bytes must be the same, and holes the same size at the same places (tshark writes a text marker for each).
 */
class TsharkFollowTest
{
    private static final StreamConfig CONFIG = StreamConfig.defaults().withMidstream(true);

    /** tshark's view of one connection: its two endpoints and the bytes each sent. */
    private record Followed(InetSocketAddress node0, InetSocketAddress node1, byte[] sent0, byte[] sent1)
    {
    }

    @Test
    void shouldKeepTheFirstBytesOfTheOverlapCaptureAsTsharkDoes() throws Exception
    {
        final Path capture = SharedData.resolve("ids-verify/eve-overlap-payload-01/tcp-overlap.pcap");
        final CaptureStreams streams = new CaptureStreams(CONFIG).read(capture);
        final Followed followed = follow(capture, 0);
        assertEquals("GOOD", new String(followed.sent0()), "tshark");
        compare(streams, followed, capture + " stream 0");
        assertEquals(1, streams.reassembler.counters().conflicts(), "EVIL over GOOD is counted");
    }

    @TestFactory
    Stream<DynamicTest> shouldReassembleTheHttpEvaderCasesAsTsharkDoes()
    {
        return IntStream.range(0, 10)
            .mapToObj(n -> String.format("ids-verify/http-evader/http-evader-%03d/input.pcap", n))
            .map(name -> DynamicTest.dynamicTest(name, () -> compareAll(SharedData.resolve(name))));
    }

    /** The other suricata-verify cases with TCP; those whose TCP is in IP fragments are left to defragmentation. */
    @TestFactory
    Stream<DynamicTest> shouldReassembleTheOtherVerifyCasesAsTsharkDoes()
    {
        return Stream.of("alert-testmyids-midstream/input.pcap", "bug-5633-gre-02/gre-sample.pcap",
                "datasets-04-http-dns/input.pcap", "http-chunked/input.pcap", "tls-alpn-log-detect-02/input.pcap",
                "tls/tls-random/input.pcap")
            .map(name -> DynamicTest.dynamicTest(name, () -> compareAll(SharedData.resolve("ids-verify/" + name))));
    }

    @TestFactory
    Stream<DynamicTest> shouldReassembleTheTcpCapturesAsTsharkDoes()
    {
        return Stream.of("pcap/tcp-anomalies/zeek-tcp-ssh-dups.pcap",
                "pcap/tcp-anomalies/zeek-tcp-handshake-reorder.pcap", "pcap/tcp-anomalies/zeek-tcp-missing-syn.pcap",
                "pcap/tcp-anomalies/zeek-tcp-retransmit-fast009.pcap",
                "pcap/web-http/zeek-http-pipelined-requests.pcap",
                "pcap/web-http/zeek-http-get.pcap", "pcap/mixed/zeek-wikipedia.pcap")
            .map(name -> DynamicTest.dynamicTest(name, () -> compareAll(SharedData.resolve(name))));
    }

    /**
     * A capture whose retransmissions carry other bytes than the segments they repeat, some of those held out of
     * order: tshark keeps the bytes of whichever segment arrives in order and drops the held ones it overlaps,
     * which is neither {@link OverlapPolicy}, so the bytes there differ by design. The holes (bytes never
     * captured) must still be the same, at the same offsets, and every byte that differs must lie where two
     * captured segments disagree.
     */
    @Test
    void shouldFindTheSameHolesAsTsharkWhereRetransmissionsDisagree() throws Exception
    {
        final Path capture = SharedData.resolve("pcap/tcp-anomalies/zeek-tcp-reassembly.pcap");
        final CaptureStreams streams = new CaptureStreams(CONFIG).read(capture);
        final Followed followed = follow(capture, 0);
        final CaptureStreams.Connection connection = streams.connections.get(List.of(followed.node0(),
            followed.node1()));
        final byte[] ours = streams.sink.followed(connection.stream(), 0);
        assertEquals(shape(followed.sent0()), shape(ours));
        assertEquals(9, streams.sink.gaps().size());
        assertTrue(streams.reassembler.counters().conflicts() > 0);
        // Offsets where two captured segments of the client carry different bytes, from the packets alone.
        final Set<Long> disputed = disputedOffsets(streams, connection.stream(), 0);
        final long[] offsets = streams.sink.followedOffsets(connection.stream(), 0);
        int differing = 0;
        for (int b = 0; b < ours.length; b++)
        {
            if (ours[b] != followed.sent0()[b])
            {
                differing++;
                assertTrue(disputed.contains(offsets[b]), "byte " + b + " at offset " + offsets[b] + " differs");
            }
        }
        assertTrue(differing > 0 && disputed.size() >= differing, differing + " of " + disputed.size());
        assertArrayEquals(followed.sent1(), streams.sink.followed(connection.stream(), 1));
    }

    private static Set<Long> disputedOffsets(final CaptureStreams streams, final int stream, final int direction)
    {
        long first = -1;
        final Map<Long, Byte> seen = new HashMap<>();
        final Set<Long> disputed = new HashSet<>();
        for (final CaptureStreams.Sent segment : streams.sent)
        {
            if (segment.stream() != stream || segment.direction() != direction)
            {
                continue;
            }
            if ((segment.flags() & Segments.SYN) != 0)
            {
                first = segment.seq() + 1;
            }
            for (int b = 0; b < segment.payload().length; b++)
            {
                final long offset = (segment.seq() - first + b) & 0xFFFF_FFFFL;
                final Byte before = seen.putIfAbsent(offset, segment.payload()[b]);
                if (null != before && before != segment.payload()[b])
                {
                    disputed.add(offset);
                }
            }
        }
        return disputed;
    }

    /** Runs of data as their length and holes as {@code [N]}, from tshark's markers. */
    private static String shape(final byte[] followed)
    {
        final Matcher marker = Pattern.compile("\\[(\\d+) bytes missing in capture file]\u0000")
            .matcher(new String(followed, StandardCharsets.ISO_8859_1));
        final StringBuilder shape = new StringBuilder();
        int at = 0;
        while (marker.find())
        {
            shape.append(marker.start() - at).append(" [").append(marker.group(1)).append("] ");
            at = marker.end();
        }
        return shape.append(followed.length - at).toString();
    }

    private static void compareAll(final Path capture) throws Exception
    {
        final CaptureStreams streams = new CaptureStreams(CONFIG).read(capture);
        final int count = Integer.parseInt(Tools.run("sh", "-c", "tshark -n -r '" + capture
            + "' -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -nu | wc -l").trim());
        assertEquals(count, streams.connections.size(), "connections in " + capture);
        for (int n = 0; n < count; n++)
        {
            compare(streams, follow(capture, n), capture + " stream " + n);
        }
    }

    private static void compare(final CaptureStreams streams, final Followed followed, final String what)
    {
        CaptureStreams.Connection connection = streams.connections.get(List.of(followed.node0(), followed.node1()));
        final boolean swapped = null == connection;
        if (swapped)
        {
            connection = streams.connections.get(List.of(followed.node1(), followed.node0()));
        }
        assertNotNull(connection, what + ": " + followed.node0() + " - " + followed.node1());
        final int stream = connection.stream();
        assertArrayEquals(followed.sent0(), streams.sink.followed(stream, swapped ? 1 : 0), what + " from node 0");
        assertArrayEquals(followed.sent1(), streams.sink.followed(stream, swapped ? 0 : 1), what + " from node 1");
    }

    /** {@code tshark -z follow,tcp,raw,N}: lines indented by a tab were sent by node 1, the others by node 0. */
    private static Followed follow(final Path capture, final int n) throws Exception
    {
        final String output = Tools.run("tshark", "-n", "-r", capture.toString(), "-q", "-z", "follow,tcp,raw," + n);
        InetSocketAddress node0 = null;
        InetSocketAddress node1 = null;
        final ByteArrayOutputStream sent0 = new ByteArrayOutputStream();
        final ByteArrayOutputStream sent1 = new ByteArrayOutputStream();
        boolean data = false;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith("Node 0: "))
            {
                node0 = endpoint(line.substring(8));
            }
            else if (line.startsWith("Node 1: "))
            {
                node1 = endpoint(line.substring(8));
                data = true;
            }
            else if (line.startsWith("====="))
            {
                data = false;
            }
            else if (data && !line.isBlank())
            {
                final byte[] bytes = HexFormat.of().parseHex(line.strip());
                (line.startsWith("\t") ? sent1 : sent0).writeBytes(bytes);
            }
        }
        return new Followed(node0, node1, sent0.toByteArray(), sent1.toByteArray());
    }

    private static InetSocketAddress endpoint(final String text) throws Exception
    {
        final int colon = text.lastIndexOf(':');
        final String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1).strip()));
    }
}
