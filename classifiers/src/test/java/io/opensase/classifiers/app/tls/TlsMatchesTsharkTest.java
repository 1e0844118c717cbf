package io.opensase.classifiers.app.tls;

import io.opensase.classifiers.app.Streams;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every TLS handshake in the shared captures, fed as tshark's in-order stream of each direction (whole
 * segments, one byte at a time, and cut at random points), decodes to what tshark shows: SNI, JA3 and JA3S
 * strings and hashes, ALPN names, randoms; and the server's first certificate to what OpenSSL prints for the
 * DER tshark extracted (subject, issuer, SHA-1, validity, subjectAltName), the serial to tshark's bytes.
 */
class TlsMatchesTsharkTest
{
    private static final List<String> CAPTURES = List.of(
        "ids-verify/tls/tls-random/input.pcap",
        "ids-verify/tls-alpn-log-detect-02/input.pcap",
        "pcap/tls/zeek-chrome-1250-tls-x25519-kyber.pcap",
        "pcap/tls/zeek-chrome-34-google.pcap",
        "pcap/tls/zeek-tls-conn-with-extensions.pcap",
        "pcap/tls/zeek-tls1.2.pcap");

    @TempDir
    Path temp;

    static Stream<Arguments> handshakes()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final String capture : CAPTURES)
        {
            for (final int stream : Streams.tcpStreams(SharedData.resolve(capture), "tls.handshake.type == 1"))
            {
                cases.add(Arguments.of(capture, stream));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} stream {1}")
    @MethodSource("handshakes")
    void shouldDecodeHandshakesAsTsharkAndOpensslDo(final String name, final int stream) throws IOException
    {
        final Path capture = SharedData.resolve(name);
        final List<Streams.Chunk> chunks = Streams.follow(capture, stream);

        final List<String> whole = feed(chunks, Integer.MAX_VALUE, null);
        final List<String> bytes = feed(chunks, 1, null);
        final List<String> random = feed(chunks, 0, new SplittableRandom(stream * 31L + name.hashCode()));

        assertEquals(expected(capture, stream), whole, name);
        assertEquals(whole, bytes, "fed one byte at a time");
        assertEquals(whole, random, "fed in random pieces");
    }

    /** Feeds the chunks cut into pieces of {@code piece} bytes, or of random sizes when {@code random} is set. */
    static List<String> feed(final List<Streams.Chunk> chunks, final int piece, final SplittableRandom random)
    {
        final Recorder recorder = new Recorder();
        try (TlsParser parser = new TlsParser(4, 2))
        {
            final int flow = parser.open();
            for (final Streams.Chunk chunk : chunks)
            {
                final MemorySegment data = MemorySegment.ofArray(chunk.bytes());
                for (int at = 0; at < chunk.bytes().length; )
                {
                    final int n = Math.min(chunk.bytes().length - at,
                        null == random ? piece : 1 + random.nextInt(Math.min(chunk.bytes().length, 600)));
                    parser.feed(flow, chunk.direction(), data.asSlice(at, n), 0, n, recorder);
                    at += n;
                }
            }
            assertEquals(0, parser.counters().get(TlsCounter.MALFORMED_RECORD), parser.counters().toString());
            assertEquals(0, parser.counters().get(TlsCounter.MALFORMED_HANDSHAKE), parser.counters().toString());
            assertEquals(0, parser.counters().get(TlsCounter.MALFORMED_CERTIFICATE), parser.counters().toString());
            recorder.events.add("ssl_state=" + parser.sslState(flow) + " negotiated=" + parser.negotiatedVersion(flow));
        }
        return recorder.events;
    }

    private List<String> expected(final Path capture, final int stream) throws IOException
    {
        final String inStream = "tcp.stream == " + stream + " && ";
        final List<String> events = new ArrayList<>();
        for (final List<String> row : Streams.fields(capture, inStream + "tls.handshake.type == 1",
            "tls.handshake.extensions_server_name", "tls.handshake.ja3_full", "tls.handshake.ja3",
            "tls.handshake.extensions_alpn_str", "tls.handshake.random"))
        {
            events.add("client sni=" + (row.get(0).isEmpty() ? "-" : row.get(0)) + " ja3=" + row.get(1) + " hash="
                + row.get(2) + " alpn=" + list(row.get(3)) + " random=" + row.get(4));
        }
        for (final List<String> row : Streams.fields(capture, inStream + "tls.handshake.type == 2",
            "tls.handshake.ja3s_full", "tls.handshake.ja3s", "tls.handshake.extensions_alpn_str",
            "tls.handshake.random"))
        {
            events.add("server ja3s=" + row.get(0) + " hash=" + row.get(1) + " alpn=" + list(row.get(2)) + " random="
                + row.get(3));
        }
        for (final List<String> row : Streams.fields(capture, inStream + "tls.handshake.type == 11",
            "tls.handshake.certificate", "x509af.serialNumber"))
        {
            events.add(certificate(HexFormat.of().parseHex(row.get(0).split("\\|")[0]),
                HexFormat.of().parseHex(row.get(1).split("\\|")[0])));
        }
        int state = 0;
        for (final List<String> row : Streams.fields(capture, "tcp.stream == " + stream + " && tls.handshake.type",
            "tls.handshake.type"))
        {
            for (final String type : row.getFirst().split("[|,]"))
            {
                state |= switch (Integer.parseInt(type))
                {
                    case 1 -> 1;
                    case 2 -> 2;
                    case 16 -> 4;
                    case 12 -> 8;
                    case 0, 4, 5, 8, 11, 13, 14, 15, 20, 21, 22, 24, 25, 254 -> 0;
                    default -> 16;
                };
            }
        }
        int negotiated = 0;
        for (final List<String> row : Streams.fields(capture, inStream + "tls.handshake.type == 2",
            "tls.handshake.extensions.supported_version", "tls.handshake.version"))
        {
            negotiated = Integer.decode(row.get(0).isEmpty() ? row.get(1) : row.get(0));
        }
        events.add("ssl_state=" + state + " negotiated=" + negotiated);
        return events;
    }

    private static List<String> list(final String aggregated)
    {
        return aggregated.isEmpty() ? List.of() : Arrays.asList(aggregated.split("[|,]"));
    }

    private String certificate(final byte[] der, final byte[] serial) throws IOException
    {
        final Path file = Files.write(temp.resolve("certificate.der"), der);
        final String text = Tools.run("openssl", "x509", "-inform", "der", "-in", file.toString(), "-noout",
            "-subject", "-issuer", "-fingerprint", "-sha1", "-startdate", "-enddate", "-dateopt", "iso_8601",
            "-ext", "subjectAltName", "-nameopt", "sep_comma_plus_space,sname,utf8");
        final List<String> lines = text.lines().toList();
        final List<String> sans = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).contains("Subject Alternative Name"))
            {
                for (final String entry : lines.get(i + 1).strip().split(", "))
                {
                    if (entry.startsWith("DNS:"))
                    {
                        sans.add(entry.substring(4));
                    }
                }
            }
        }
        final StringBuilder serialText = new StringBuilder();
        for (final byte b : serial)
        {
            serialText.append(serialText.isEmpty() ? "" : ":").append(String.format("%02X", b));
        }
        return "certificate subject=" + value(lines, "subject=") + " issuer=" + value(lines, "issuer=") + " serial="
            + serialText + " fingerprint=" + value(lines, "sha1 Fingerprint=").toLowerCase() + " notBefore="
            + epoch(value(lines, "notBefore=")) + " notAfter=" + epoch(value(lines, "notAfter=")) + " san=" + sans;
    }

    private static String value(final List<String> lines, final String prefix)
    {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
            .collect(Collectors.joining());
    }

    private static long epoch(final String iso)
    {
        assertTrue(iso.endsWith("Z"), iso);
        final DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        return LocalDateTime.parse(iso.substring(0, iso.length() - 1), format).toEpochSecond(ZoneOffset.UTC);
    }
}
