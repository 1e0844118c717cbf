package io.opensase.classifiers.app.ssh;

import io.opensase.classifiers.app.StreamDirection;
import io.opensase.classifiers.app.Streams;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Banners from the shared captures (against suricata-verify's expectations and tshark) and hand-built ones. */
class SshParserTest
{
    private static String text(final MemorySegment segment)
    {
        return new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Feeds the chunks in pieces of {@code piece} bytes; each banner as "direction proto|software|comments". */
    private static List<String> banners(final SshParser parser, final List<Streams.Chunk> chunks, final int piece)
    {
        final List<String> seen = new ArrayList<>();
        final int flow = parser.open();
        for (final Streams.Chunk chunk : chunks)
        {
            for (int at = 0; at < chunk.bytes().length; at += piece)
            {
                parser.feed(flow, chunk.direction(), MemorySegment.ofArray(chunk.bytes()), at,
                    Math.min(piece, chunk.bytes().length - at), (f, direction, b) -> seen.add(
                        (StreamDirection.TO_SERVER == direction ? "client " : "server ") + text(b.protoVersion()) + "|"
                            + text(b.softwareVersion()) + "|" + text(b.comments())));
            }
        }
        parser.close(flow);
        return seen;
    }

    private static List<String> sorted(final List<String> list)
    {
        return list.stream().sorted().toList();
    }

    @Test
    void shouldReadBannersOfSshInGreAsSuricataVerifyExpects()
    {
        final List<Streams.Chunk> chunks =
            Streams.follow(SharedData.resolve("ids-verify/bug-5633-gre-02/gre-sample.pcap"), 0);
        final List<String> expected = List.of("client 2.0|OpenSSH_3.6.1p1|", "server 1.99|OpenSSH_3.1p1|");

        assertEquals(expected, sorted(banners(new SshParser(1), chunks, Integer.MAX_VALUE)));
        assertEquals(expected, sorted(banners(new SshParser(1), chunks, 1)));
    }

    @Test
    void shouldReadBannersAsTsharkShowsThem()
    {
        final Path capture = SharedData.resolve("pcap/tcp-anomalies/zeek-tcp-ssh-dups.pcap");
        final List<String> expected = new ArrayList<>();
        for (final List<String> row : Streams.fields(capture, "ssh.protocol", "tcp.srcport", "ssh.protocol"))
        {
            expected.add(("22".equals(row.get(0)) ? "server " : "client ") + row.get(1));
        }
        final List<String> seen = new ArrayList<>();
        for (final String banner : banners(new SshParser(1), Streams.follow(capture, 0), 3))
        {
            final String[] parts = banner.split("\\|", -1);
            seen.add(parts[0].replace(" ", " SSH-") + "-" + parts[1] + (parts[2].isEmpty() ? "" : " " + parts[2]));
        }

        assertEquals(sorted(expected), sorted(seen));
        assertTrue(seen.contains("server SSH-2.0-OpenSSH_7.6p1 Ubuntu-4ubuntu0.3"), seen.toString());
    }

    @Test
    void shouldSkipLinesBeforeTheBannerAndAcceptLfAlone()
    {
        final byte[] stream = "Welcome\r\nto the host\nSSH-2.0-Example_1.0 with comments\n\0\0\0\u0010".getBytes(
            StandardCharsets.ISO_8859_1);
        final SshParser parser = new SshParser(1);

        assertEquals(List.of("client 2.0|Example_1.0|with comments"),
            banners(parser, List.of(new Streams.Chunk(StreamDirection.TO_SERVER, stream)), 5));
        assertEquals(2, parser.count(SshCounter.OTHER_LINES));
        assertEquals(1, parser.count(SshCounter.BANNERS));
    }

    @Test
    void shouldNotReportBannerThatIsTooLongMalformedOrCutByGap()
    {
        final SshParser parser = new SshParser(3);
        final byte[] tooLong = ("SSH-2.0-" + "x".repeat(300) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] noSoftware = "SSH-2.0\r\n".getBytes(StandardCharsets.US_ASCII);

        assertEquals(List.of(), banners(parser, List.of(new Streams.Chunk(StreamDirection.TO_SERVER, tooLong)), 64));
        assertEquals(List.of(), banners(parser, List.of(new Streams.Chunk(StreamDirection.TO_CLIENT, noSoftware)), 64));
        assertEquals(1, parser.count(SshCounter.LONG_LINE));
        assertEquals(1, parser.count(SshCounter.MALFORMED_BANNER));

        final int flow = parser.open();
        final byte[] banner = "SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII);
        parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(banner), 0, 6, (f, d, b) -> {
        });
        parser.gap(flow, StreamDirection.TO_SERVER);
        final List<String> seen = new ArrayList<>();
        parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(banner), 6, banner.length - 6,
            (f, d, b) -> seen.add(text(b.softwareVersion())));
        assertEquals(List.of(), seen);
        assertFalse(parser.bannerSeen(flow, StreamDirection.TO_SERVER));
        assertEquals(1, parser.count(SshCounter.GAPS));
    }
}
