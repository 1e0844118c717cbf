package io.opensase.classifiers.app.tls;

import io.opensase.classifiers.app.AppDetector;
import io.opensase.classifiers.app.AppProto;
import io.opensase.classifiers.app.StreamDirection;
import io.opensase.classifiers.app.Streams;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ClientHello of tls-alpn-log-detect-02 (one 517-byte record) cut across two TCP segments, re-framed as
 * two records, and both at once. Each variant is written as a capture by scapy and decoded by tshark, whose
 * SNI and JA3 are the expectation; the parser must give the same for every cut point.
 */
class TlsSplitClientHelloTest
{
    private static final String WRITE_SEGMENTS = """
        import sys
        from scapy.all import Ether, IP, TCP, Raw, wrpcap
        c, s, cp, sp = '10.0.0.1', '10.0.0.2', 40000, 443
        packets = [Ether()/IP(src=c, dst=s)/TCP(sport=cp, dport=sp, flags='S', seq=1000),
                   Ether()/IP(src=s, dst=c)/TCP(sport=sp, dport=cp, flags='SA', seq=5000, ack=1001),
                   Ether()/IP(src=c, dst=s)/TCP(sport=cp, dport=sp, flags='A', seq=1001, ack=5001)]
        seq = 1001
        for h in sys.argv[2:]:
            b = bytes.fromhex(h)
            packets.append(Ether()/IP(src=c, dst=s)/TCP(sport=cp, dport=sp, flags='PA', seq=seq, ack=5001)/Raw(b))
            seq += len(b)
        wrpcap(sys.argv[1], packets)
        """;

    private static byte[] record;
    private static byte[] message;
    private static String original;

    @TempDir
    Path temp;

    @BeforeAll
    static void originalClientHello()
    {
        final Path capture = SharedData.resolve("ids-verify/tls-alpn-log-detect-02/input.pcap");
        record = Streams.follow(capture, 0).getFirst().bytes();
        assertEquals(0x16, record[0]);
        assertEquals(5 + ((record[3] & 0xFF) << 8 | record[4] & 0xFF), record.length, "one whole record");
        message = Arrays.copyOfRange(record, 5, record.length);
        final List<String> row = Streams.fields(capture, "tls.handshake.type == 1",
            "tls.handshake.extensions_server_name", "tls.handshake.ja3_full", "tls.handshake.ja3").getFirst();
        original = row.get(0) + " " + row.get(1) + " " + row.get(2);
    }

    @Test
    void shouldDecodeClientHelloSplitAcrossTwoSegments()
    {
        final int cut = 200;
        final List<byte[]> segments =
            List.of(Arrays.copyOf(record, cut), Arrays.copyOfRange(record, cut, record.length));

        assertEquals(original, tshark(segments));
        assertEveryCutDecodes(record);
    }

    @Test
    void shouldDecodeClientHelloSplitAcrossTwoRecords()
    {
        final byte[] twoRecords = twoRecords(300);

        assertEquals(original, tshark(List.of(twoRecords)));
        assertEquals(List.of(original), decode(List.of(twoRecords)));
        assertEveryCutDecodes(twoRecords);
    }

    @Test
    void shouldDecodeClientHelloSplitAcrossTwoRecordsAndTwoSegmentsInsideTheSecondRecordHeader()
    {
        final byte[] twoRecords = twoRecords(2); // the first record ends inside the handshake header
        final int cut = 5 + 2 + 3;
        final List<byte[]> segments =
            List.of(Arrays.copyOf(twoRecords, cut), Arrays.copyOfRange(twoRecords, cut, twoRecords.length));

        assertEquals(original, tshark(segments));
        assertEquals(List.of(original), decode(segments));
    }

    /**
     * Found by a tester: a hello whose first record held fewer than 4 of its bytes was not identified as TLS,
     * so no tls.sni or ja3 rule saw it (the parser decoded it, identification never handed it over).
     */
    @Test
    void shouldIdentifyAHelloWhoseFirstRecordHoldsOnlyItsFirstBytes()
    {
        final AppDetector detector = new AppDetector();
        assertEquals(original, tshark(List.of(twoRecords(1))));
        for (int firstPart = 1; firstPart <= 4; firstPart++)
        {
            final byte[] twoRecords = twoRecords(firstPart);
            assertEquals(AppProto.TLS, detector.detect(true, StreamDirection.TO_SERVER,
                MemorySegment.ofArray(twoRecords), 0, twoRecords.length), "first record of " + firstPart);
            assertEquals(List.of(original), decode(List.of(twoRecords)), "first record of " + firstPart);
        }
    }

    @Test
    void shouldNotReportClientHelloWhoseSecondPieceNeverCame()
    {
        final Recorder recorder = new Recorder();
        try (TlsParser parser = new TlsParser(1, 1))
        {
            final int flow = parser.open();
            parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(record), 0, record.length - 1, recorder);
            parser.gap(flow, StreamDirection.TO_SERVER);
            parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(record), record.length - 1, 1, recorder);

            assertEquals(List.of(), recorder.events);
            assertEquals(1, parser.counters().get(TlsCounter.GAPS));
            parser.close(flow);
            assertEquals(flow, parser.open(), "the gathered piece's buffer went back with the flow");
        }
    }

    /** The handshake message in two records, the first carrying its first {@code firstPart} bytes. */
    private static byte[] twoRecords(final int firstPart)
    {
        final byte[] out = new byte[message.length + 10];
        header(out, 0, firstPart);
        System.arraycopy(message, 0, out, 5, firstPart);
        header(out, 5 + firstPart, message.length - firstPart);
        System.arraycopy(message, firstPart, out, 10 + firstPart, message.length - firstPart);
        return out;
    }

    private static void header(final byte[] out, final int at, final int length)
    {
        System.arraycopy(record, 0, out, at, 3);
        out[at + 3] = (byte)(length >>> 8);
        out[at + 4] = (byte)length;
    }

    private String tshark(final List<byte[]> segments)
    {
        final Path capture = temp.resolve("split.pcap");
        final List<String> args = new ArrayList<>(List.of(capture.toString()));
        segments.forEach(s -> args.add(HexFormat.of().formatHex(s)));
        Tools.python(WRITE_SEGMENTS, args.toArray(String[]::new));
        final List<List<String>> rows = Streams.fields(capture, "tls.handshake.type == 1",
            "tls.handshake.extensions_server_name", "tls.handshake.ja3_full", "tls.handshake.ja3");
        assertEquals(1, rows.size(), "tshark finds one ClientHello");
        return rows.getFirst().get(0) + " " + rows.getFirst().get(1) + " " + rows.getFirst().get(2);
    }

    private static void assertEveryCutDecodes(final byte[] stream)
    {
        for (int cut = 1; cut < stream.length; cut++)
        {
            assertEquals(List.of(original),
                decode(List.of(Arrays.copyOf(stream, cut), Arrays.copyOfRange(stream, cut, stream.length))),
                "cut at " + cut);
        }
    }

    private static List<String> decode(final List<byte[]> segments)
    {
        final List<String> seen = new ArrayList<>();
        final TlsListener listener = new Recorder()
        {
            @Override
            public void onClientHello(final int flow, final TlsHandshake h)
            {
                seen.add(text(h.sni()) + " " + text(h.ja3String()) + " " + text(h.ja3Hash()));
            }
        };
        try (TlsParser parser = new TlsParser(1, 1))
        {
            final int flow = parser.open();
            for (final byte[] segment : segments)
            {
                parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(segment), 0, segment.length,
                    listener);
            }
            assertTrue(parser.counters().get(TlsCounter.RECORDS) >= 1);
        }
        return seen;
    }
}
