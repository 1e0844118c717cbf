package io.opensase.classifiers.app.tls;

import io.opensase.classifiers.app.StreamDirection;
import io.opensase.classifiers.app.Streams;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static io.opensase.classifiers.app.tls.Hellos.clientHelloBody;
import static io.opensase.classifiers.app.tls.Hellos.concat;
import static io.opensase.classifiers.app.tls.Hellos.extension;
import static io.opensase.classifiers.app.tls.Hellos.handshake;
import static io.opensase.classifiers.app.tls.Hellos.record;
import static io.opensase.classifiers.app.tls.Hellos.sni;
import static io.opensase.classifiers.app.tls.Hellos.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built hellos (JA3 against Python's hashlib), malformed and truncated input, limits, and fuzzing. */
class TlsMalformedTest
{
    private static final int[] GREASED_CIPHERS = {0x0A0A, 0x1301, 0x002F};
    private static final byte[][] GREASED_EXTENSIONS = {
        extension(0x1A1A, new byte[0]),
        extension(10, concat(u16(6), u16(0x2A2A, 0x001D, 0x0017))),
        extension(11, new byte[] {1, 0}),
        sni("a.example")};

    private static List<String> feed(final byte[]... segments)
    {
        return feed(new TlsParser(2, 2), segments);
    }

    private static List<String> feed(final TlsParser parser, final byte[]... segments)
    {
        final Recorder recorder = new Recorder();
        try (parser)
        {
            final int flow = parser.open();
            for (final byte[] segment : segments)
            {
                parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(segment), 0, segment.length,
                    recorder);
            }
            recorder.events.add(parser.counters().toString());
        }
        return recorder.events;
    }

    @Test
    void shouldLeaveGreaseOutOfJa3()
    {
        final byte[] hello = record(22, 0x0301, handshake(1, clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS)));
        final String ja3 = "771,4865-47,10-11-0,29-23,0";
        final String md5 = Tools.python("import hashlib,sys; print(hashlib.md5(sys.argv[1].encode()).hexdigest())", ja3)
            .strip();

        final List<String> events = feed(hello);

        assertEquals("client sni=a.example ja3=" + ja3 + " hash=" + md5 + " alpn=[] random="
            + HexFormat.of().formatHex(Arrays.copyOfRange(hello, 11, 43)), events.get(0));
        assertEquals("records=1, client_hellos=1", events.get(1));
    }

    @Test
    void shouldCountHelloWithOddCipherLengthAndGoOnWithTheNextRecord()
    {
        final byte[] body = clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS);
        final byte[] bad = body.clone();
        bad[2 + 32 + 1 + 1] = 5; // cipher_suites length 6 -> 5
        final byte[] good = record(22, 0x0301, handshake(1, body));

        final List<String> events = feed(record(22, 0x0301, handshake(1, bad)), good);

        assertEquals(2, events.size());
        assertTrue(events.get(0).startsWith("client sni=a.example"), "the second record's hello: " + events.get(0));
        assertEquals("records=2, client_hellos=1, malformed_handshake=1", events.get(1));
    }

    @Test
    void shouldCountExtensionRunningPastTheHello()
    {
        final byte[] body = clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS);
        body[body.length - 1 - "a.example".length() - 2 - 1 - 2 - 1] += 1; // server_name's extension length + 256

        assertEquals(List.of("records=1, malformed_handshake=1"), feed(record(22, 0x0303, handshake(1, body))));
    }

    @Test
    void shouldStopDirectionAtRecordHeaderThatIsNotTls()
    {
        final byte[] hello = record(22, 0x0301, handshake(1, clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS)));

        assertEquals(List.of("malformed_record=1"), feed(concat("GET / HTTP/1.1\r\n\r\n".getBytes(), hello)));
        assertEquals(List.of("malformed_record=1"), feed(record(22, 0x0909, new byte[4]), hello));
        assertEquals(List.of("records=1, malformed_record=1"),
            feed(record(23, 0x0303, new byte[3]), record(22, 0x0303, new byte[18_433])));
    }

    @Test
    void shouldReportSslStateOfTheLastFeedApartFromTheFlows()
    {
        final byte[] hello = record(22, 0x0301, handshake(1, clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS)));
        final byte[] keyExchange = record(22, 0x0303, handshake(16, new byte[] {1, 9}));
        final byte[] unknown = record(22, 0x0303, handshake(99, new byte[0]));
        try (TlsParser parser = new TlsParser(1, 1))
        {
            final int flow = parser.open();
            final Recorder recorder = new Recorder();
            parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(hello), 0, hello.length, recorder);
            assertEquals(1, parser.sslStateOfLastFeed(flow));
            assertEquals(0x0301, parser.recordVersion(flow, StreamDirection.TO_SERVER));
            assertEquals(0, parser.recordVersion(flow, StreamDirection.TO_CLIENT));

            parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(keyExchange), 0, keyExchange.length,
                recorder);
            assertEquals(4, parser.sslStateOfLastFeed(flow), "client_keyx only");
            assertEquals(5, parser.sslState(flow));
            assertEquals(0x0303, parser.recordVersion(flow, StreamDirection.TO_SERVER));

            parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(unknown), 0, unknown.length, recorder);
            assertEquals(16, parser.sslStateOfLastFeed(flow), "a handshake type outside the registry");
            assertEquals(0, parser.negotiatedVersion(flow), "no ServerHello");
        }
    }

    @Test
    void shouldCountSslv2RecordWithoutParsingIt()
    {
        final byte[] sslv2 = {(byte)0x80, 0x2E, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};

        assertEquals(List.of("sslv2_records=1"), feed(sslv2));
    }

    @Test
    void shouldSkipHandshakeRecordsAfterChangeCipherSpec()
    {
        final byte[] hello = record(22, 0x0303, handshake(1, clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS)));

        final List<String> events = feed(record(20, 0x0303, new byte[] {1}), hello);

        assertEquals(List.of("records=2, encrypted_handshakes=1"), events);
    }

    @Test
    void shouldReportNothingForHelloCutShort()
    {
        final byte[] hello = record(22, 0x0303, handshake(1, clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS)));
        final byte[] cut = concat(Arrays.copyOf(hello, 3), u16(40), Arrays.copyOfRange(hello, 5, 45));

        assertEquals(List.of("records=1"), feed(cut));
        assertEquals(List.of("records=1, malformed_handshake=1"),
            feed(record(22, 0x0303, handshake(1, Arrays.copyOf(clientHelloBody(GREASED_CIPHERS), 37)))));
    }

    @Test
    void shouldSkipHelloLargerThanTheAssemblyBufferAndCountIt()
    {
        final byte[] body = clientHelloBody(GREASED_CIPHERS, extension(0xFF01, new byte[TlsParser.MAX_MESSAGE_BYTES]));
        final byte[] message = handshake(1, body);
        final byte[] first = record(22, 0x0303, Arrays.copyOf(message, 16_000));
        final byte[] second = record(22, 0x0303, Arrays.copyOfRange(message, 16_000, message.length));
        final byte[] next = record(22, 0x0303, handshake(1, clientHelloBody(GREASED_CIPHERS, sni("b.example"))));

        final List<String> events = feed(first, second, next);

        assertEquals(2, events.size());
        assertTrue(events.get(0).startsWith("client sni=b.example"), events.get(0));
        assertEquals("records=3, client_hellos=1, oversize_message=1", events.get(1));
    }

    @Test
    void shouldCountMissingBufferAndMissingFlowSlots()
    {
        final byte[] hello = record(22, 0x0303, handshake(1, clientHelloBody(GREASED_CIPHERS, GREASED_EXTENSIONS)));
        final Recorder recorder = new Recorder();
        try (TlsParser parser = new TlsParser(2, 1))
        {
            final int a = parser.open();
            final int b = parser.open();
            assertEquals(-1, parser.open());
            final MemorySegment bytes = MemorySegment.ofArray(hello);
            parser.feed(a, StreamDirection.TO_SERVER, bytes, 0, 20, recorder);
            parser.feed(b, StreamDirection.TO_SERVER, bytes, 0, 20, recorder); // no buffer left: skipped
            parser.feed(a, StreamDirection.TO_SERVER, bytes, 20, hello.length - 20, recorder);
            parser.feed(b, StreamDirection.TO_SERVER, bytes, 20, hello.length - 20, recorder);

            assertEquals(1, recorder.events.size());
            assertEquals("records=2, client_hellos=1, no_buffer=1, no_flow=1", parser.counters().toString());
        }
    }

    @Test
    void shouldCountCertificateWhoseDerIsBroken()
    {
        final byte[] der = {0x30, 0x03, 0x30, 0x01, 0x02};
        final byte[] certificate = handshake(11, concat(new byte[] {0, 0, 8, 0, 0, 5}, der));
        final Recorder recorder = new Recorder();
        try (TlsParser parser = new TlsParser(1, 1))
        {
            final int flow = parser.open();
            parser.feed(flow, StreamDirection.TO_CLIENT, MemorySegment.ofArray(record(22, 0x0303, certificate)), 0,
                certificate.length + 5, recorder);
            // The same message from the client is not decoded at all.
            parser.feed(flow, StreamDirection.TO_SERVER, MemorySegment.ofArray(record(22, 0x0303, certificate)), 0,
                certificate.length + 5, recorder);

            assertEquals(List.of(), recorder.events);
            assertEquals("records=2, malformed_certificate=1", parser.counters().toString());
        }
    }

    /** Real handshakes with random bytes changed, cut or dropped: counted or decoded, never thrown. */
    @Test
    void shouldNeverThrowOnMutatedHandshakes()
    {
        final List<Streams.Chunk> chunks =
            Streams.follow(SharedData.resolve("pcap/tls/zeek-chrome-34-google.pcap"), 0).subList(0, 6);
        final SplittableRandom random = new SplittableRandom(7);
        final Recorder recorder = new Recorder();
        long decoded = 0;
        try (TlsParser parser = new TlsParser(1, 1))
        {
            for (int round = 0; round < 3_000; round++)
            {
                final int flow = parser.open();
                for (final Streams.Chunk chunk : chunks)
                {
                    final byte[] bytes = chunk.bytes().clone();
                    for (int m = random.nextInt(4); m > 0; m--)
                    {
                        bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                    }
                    final int length = random.nextInt(10) == 0 ? random.nextInt(bytes.length + 1) : bytes.length;
                    for (int at = 0; at < length; )
                    {
                        final int n = Math.min(length - at, 1 + random.nextInt(400));
                        parser.feed(flow, chunk.direction(), MemorySegment.ofArray(bytes), at, n, recorder);
                        at += n;
                    }
                }
                parser.close(flow);
                decoded += recorder.events.size();
                recorder.events.clear();
            }
            final TlsCounters counters = parser.counters();
            assertTrue(decoded > 1_000, "most rounds still decode something: " + decoded);
            assertTrue(counters.get(TlsCounter.MALFORMED_RECORD) + counters.get(TlsCounter.MALFORMED_HANDSHAKE)
                + counters.get(TlsCounter.MALFORMED_CERTIFICATE) > 100, counters.toString());
        }
    }
}
