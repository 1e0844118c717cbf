package io.opensase.classifiers.app;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identification by content on the shared captures, with tshark's dissection (which also goes by content and
 * port) as the label: each TLS, SSH, HTTP and DNS flow's first bytes are identified as such, whatever its
 * ports; other UDP payloads (NTP, QUIC, NetBIOS, ...) and random bytes are not taken for any of them.
 */
class AppDetectorTest
{
    private static final List<String> TLS = List.of(
        "ids-verify/tls/tls-random/input.pcap",
        "ids-verify/tls-alpn-log-detect-02/input.pcap",
        "pcap/tls/zeek-chrome-1250-tls-x25519-kyber.pcap",
        "pcap/tls/zeek-chrome-34-google.pcap",
        "pcap/tls/zeek-tls-conn-with-extensions.pcap",
        "pcap/tls/zeek-tls1.2.pcap");
    private static final List<String> HTTP = List.of(
        "ids-verify/datasets-04-http-dns/input.pcap",
        "pcap/mixed/zeek-wikipedia.pcap",
        "pcap/web-http/zeek-bro.org.pcap",
        "pcap/web-http/zeek-http-get-gzip.pcap",
        "pcap/web-http/zeek-http-pipelined-requests.pcap",
        "pcap/tunnels/zeek-vxlan-encapsulated-http.pcap");

    private final AppDetector detector = new AppDetector();

    private AppProto detect(final boolean tcp, final int direction, final byte[] bytes)
    {
        return detector.detect(tcp, direction, MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The first chunk of each direction of each TCP stream matching {@code filter}, identified. */
    private List<String> firstChunks(final String capture, final String filter)
    {
        final List<String> seen = new ArrayList<>();
        final Path path = SharedData.resolve(capture);
        for (final int stream : Streams.tcpStreams(path, filter))
        {
            final boolean[] done = new boolean[2];
            for (final Streams.Chunk chunk : Streams.follow(path, stream))
            {
                if (!done[chunk.direction()])
                {
                    done[chunk.direction()] = true;
                    seen.add(capture + " " + stream + " " + chunk.direction() + " "
                        + detect(true, chunk.direction(), chunk.bytes()));
                }
            }
        }
        return seen;
    }

    @Test
    void shouldIdentifyTlsFromEitherHello()
    {
        for (final String capture : TLS)
        {
            for (final String seen : firstChunks(capture, "tls.handshake.type == 1"))
            {
                assertTrue(seen.endsWith(" TLS"), seen);
            }
        }
    }

    @Test
    void shouldIdentifySshFromEitherBanner()
    {
        final List<String> seen = new ArrayList<>(firstChunks("ids-verify/bug-5633-gre-02/gre-sample.pcap", "ssh"));
        seen.addAll(firstChunks("pcap/tcp-anomalies/zeek-tcp-ssh-dups.pcap", "ssh"));
        assertEquals(4, seen.size());
        seen.forEach(s -> assertTrue(s.endsWith(" SSH"), s));
    }

    @Test
    void shouldIdentifyHttpFromRequestOrResponse()
    {
        int flows = 0;
        for (final String capture : HTTP)
        {
            for (final String seen : firstChunks(capture, "http.request"))
            {
                assertTrue(seen.endsWith(" HTTP"), seen);
                flows++;
            }
        }
        assertTrue(flows > 20, "directions checked: " + flows);
    }

    @Test
    void shouldIdentifyDnsOverTcp()
    {
        final List<String> seen = firstChunks("pcap/dns/tcpdump-dns_tcp.pcap", "dns");
        assertEquals(2, seen.size());
        seen.forEach(s -> assertTrue(s.endsWith(" DNS"), s));
    }

    /** Every UDP payload of every shared capture: DNS where tshark dissects DNS, mDNS or LLMNR, else not DNS. */
    @Test
    void shouldTellDnsFromOtherUdpPayloads()
    {
        final TreeMap<String, Integer> other = new TreeMap<>();
        int dns = 0;
        for (final Path capture : SharedData.captures())
        {
            for (final List<String> row : Streams.fields(capture,
                "udp && !icmp && !icmpv6 && udp.payload && !_ws.malformed", "udp.payload", "frame.protocols"))
            {
                final byte[] payload = HexFormat.of().parseHex(row.get(0).split("\\|")[0]);
                final String protocols = row.get(1);
                final boolean isDns = protocols.matches(".*:(dns|mdns|llmnr)$");
                final AppProto proto = detect(false, StreamDirection.TO_SERVER, payload);
                if (isDns)
                {
                    assertEquals(AppProto.DNS, proto, capture + " " + protocols);
                    dns++;
                }
                else
                {
                    assertEquals(AppProto.FAILED, proto, capture + " " + protocols + " " + row.get(0));
                    other.merge(protocols.substring(protocols.lastIndexOf(':') + 1), 1, Integer::sum);
                }
            }
        }
        assertTrue(dns >= 150, "DNS datagrams: " + dns);
        assertTrue(other.containsKey("ntp") && other.containsKey("quic"), other.toString());
    }

    @Test
    void shouldWaitForMoreBytesOnlyWhileAPrefixStillFits()
    {
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("GE")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_CLIENT, ascii("HTTP/")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("SS")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, new byte[] {0x16, 3, 1}));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, new byte[] {0, 40, 0x12, 0x34}));
        assertEquals(AppProto.UNKNOWN, detect(false, StreamDirection.TO_SERVER, new byte[0]));

        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("M-SEARCH")), "no space yet");
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, ascii("M-SEARCH * HTTP/1.1\r\n")));
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, ascii("GET ")));
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_CLIENT, ascii("HTTP/1.1 200 OK\r\n")));
        assertEquals(AppProto.SSH, detect(true, StreamDirection.TO_CLIENT, ascii("SSH-")));
        assertEquals(AppProto.TLS, detect(true, StreamDirection.TO_SERVER, new byte[] {0x16, 3, 1, 0, 4, 1}));
        assertEquals(AppProto.TLS, detect(true, StreamDirection.TO_SERVER, new byte[] {0x16, 3, 1, 0, 1, 1}),
            "a hello's first byte alone in its record");
        assertEquals(AppProto.TLS, detect(true, StreamDirection.TO_SERVER,
            new byte[] {(byte)0x80, 0x2E, 1, 0, 2}), "SSLv2 ClientHello");
    }

    /**
     * Found by a tester: a request by a method the detector does not list ({@code FOO /u HTTP/1.1} with a body)
     * left its flow unidentified, so DLP never scanned the upload and IPS mode let it through. A request line
     * of any upper-case method token with an HTTP/1 version is HTTP; other text protocols' lines are not.
     */
    @Test
    void shouldIdentifyARequestLineOfAnUnlistedMethod()
    {
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER,
            ascii("FOO /u HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")));
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, ascii("X_BULK-UP2 /u HTTP/1.0")),
            "a token of letters, '-' and '_'");
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, ascii("GETX / HTTP/1.1\r\n")),
            "an unlisted method, though it starts as a listed one");
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("FOO /u HTT")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("FOO /upload/a")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("ABCDEFGHIJKLMNOPQRST")));
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, ascii("EHLO mail.example\r\n")));
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER,
            ascii("DESCRIBE rtsp://cam.example/live RTSP/1.0\r\n")));
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER,
            ascii("INVITE sip:bob@example.com SIP/2.0\r\n")));
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, ascii("ABCDEFGHIJKLMNOPQRSTU /")),
            "a method of 21 characters");
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, ascii("foo /u HTTP/1.1\r\n")),
            "methods are case-sensitive");
    }

    /**
     * Found by a tester (D6): a request after a CRLF, or a bare LF, in the same segment was never identified, so
     * no HTTP rule ran and DLP never saw its body. Empty lines before a start line are skipped, as libhtp and
     * servers skip them; a direction that has shown only line ends waits for more, up to the probe limit.
     */
    @Test
    void shouldSkipEmptyLinesBeforeAStartLine()
    {
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER,
            ascii("\r\nPOST /u HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")));
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, ascii("\nGET / HTTP/1.1\r\n")));
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, ascii("\r\n\r\n\nPUT /a HTTP/1.0\r\n")));
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, ascii("\r\nFOO /u HTTP/1.1\r\n")),
            "an unlisted method after an empty line");
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_CLIENT, ascii("\r\nHTTP/1.1 200 OK\r\n")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("\r\n")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("\n")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, ascii("\r\nPO")));
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_CLIENT, ascii("\r\nHTTP/")));
        final byte[] lineEnds = new byte[AppDetector.MAX_PROBE_BYTES];
        for (int i = 0; i < lineEnds.length; i++)
        {
            lineEnds[i] = (byte)(0 == i % 2 ? '\r' : '\n');
        }
        assertEquals(AppProto.UNKNOWN, detect(true, StreamDirection.TO_SERVER, Arrays.copyOf(lineEnds, 4094)));
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, lineEnds),
            "only line ends up to the probe limit");
        final byte[] late = Arrays.copyOf(lineEnds, lineEnds.length + 6);
        System.arraycopy(ascii("GET / "), 0, late, lineEnds.length, 6);
        assertEquals(AppProto.HTTP, detect(true, StreamDirection.TO_SERVER, late),
            "a start line after the probe limit's worth of line ends, in the same bytes");
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, ascii("\r\nEHLO mail.example\r\n")));
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, ascii("\r\n get / HTTP/1.1\r\n")));
    }

    @Test
    void shouldGiveUpOnBytesNoProtocolFits()
    {
        assertEquals(AppProto.FAILED,
            detect(true, StreamDirection.TO_SERVER, ascii("GETX /index.html\r\nHost: a.example\r\n\r\n")),
            "an unlisted method without a version");
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, ascii("get / HTTP/1.1\r\n")));
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_CLIENT, ascii("HTTP/x 200 OK\r\n")));
        assertEquals(AppProto.FAILED,
            detect(true, StreamDirection.TO_SERVER, Arrays.copyOf(new byte[] {0x16, 3, 1, 0, 4, 11}, 20)),
            "a handshake record starting with a Certificate");
        assertEquals(AppProto.FAILED,
            detect(true, StreamDirection.TO_SERVER, Arrays.copyOf(new byte[] {0x16, 3, 1, 0, 0, 1}, 20)),
            "an empty handshake record (TLS forbids them)");
        assertEquals(AppProto.FAILED,
            detect(true, StreamDirection.TO_SERVER, Arrays.copyOf(new byte[] {0x17, 3, 3, 0, 4, 1}, 20)),
            "application data");
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, new byte[AppDetector.MAX_PROBE_BYTES]),
            "zeros: a DNS length prefix of 0");
        final byte[] endlessName = new byte[AppDetector.MAX_PROBE_BYTES + 10];
        endlessName[0] = (byte)0xFF;
        endlessName[1] = (byte)0xFF;
        endlessName[7] = 1; // QDCOUNT 1; the name's labels never end before the probe limit
        for (int at = 14; at < endlessName.length; at += 2)
        {
            endlessName[at] = 1;
        }
        assertEquals(AppProto.FAILED, detect(true, StreamDirection.TO_SERVER, endlessName));

        final SplittableRandom random = new SplittableRandom(3);
        int failed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            final byte[] bytes = new byte[64 + random.nextInt(1400)];
            random.nextBytes(bytes);
            failed += AppProto.FAILED == detect(false, StreamDirection.TO_SERVER, bytes) ? 1 : 0;
        }
        assertEquals(10_000, failed, "random datagrams are never DNS");
        assertTrue(detector.count(AppProto.FAILED) >= 10_000);
    }
}
