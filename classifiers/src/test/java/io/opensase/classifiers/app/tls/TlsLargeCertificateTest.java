package io.opensase.classifiers.app.tls;

import io.opensase.classifiers.app.StreamDirection;
import io.opensase.classifiers.app.Streams;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static io.opensase.classifiers.app.tls.Hellos.concat;
import static io.opensase.classifiers.app.tls.Hellos.handshake;
import static io.opensase.classifiers.app.tls.Hellos.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificate messages longer than the {@value TlsParser#MAX_MESSAGE_BYTES} bytes the parser keeps: the first
 * certificate is still decoded when it lies in what is kept (subject as OpenSSL printed it for this DER),
 * and counted as too long when it does not.
 */
class TlsLargeCertificateTest
{
    private static byte[] u24(final int value)
    {
        return new byte[] {(byte)(value >>> 16), (byte)(value >>> 8), (byte)value};
    }

    /** The message cut into records of at most 16,384 bytes, all in one stream. */
    private static byte[] records(final byte[] message)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < message.length; at += 16_384)
        {
            out.writeBytes(record(22, 0x0303, Arrays.copyOfRange(message, at, Math.min(message.length, at + 16_384))));
        }
        return out.toByteArray();
    }

    private static Recorder feed(final TlsParser parser, final byte[] stream)
    {
        final Recorder recorder = new Recorder();
        final int flow = parser.open();
        for (int at = 0; at < stream.length; at += 1_448)
        {
            parser.feed(flow, StreamDirection.TO_CLIENT, MemorySegment.ofArray(stream), at,
                Math.min(1_448, stream.length - at), recorder);
        }
        parser.close(flow);
        return recorder;
    }

    @Test
    void shouldDecodeFirstCertificateOfChainLongerThanTheBuffer()
    {
        final String hex = Streams.fields(SharedData.resolve("ids-verify/tls-alpn-log-detect-02/input.pcap"),
            "tls.handshake.type == 11", "tls.handshake.certificate").getFirst().getFirst().split("\\|")[0];
        final byte[] first = HexFormat.of().parseHex(hex);
        final byte[] second = new byte[20_000];
        final byte[] list = concat(u24(first.length), first, u24(second.length), second);
        final byte[] message = handshake(11, concat(u24(list.length), list));
        assertTrue(message.length > TlsParser.MAX_MESSAGE_BYTES);

        try (TlsParser parser = new TlsParser(1, 1))
        {
            final List<String> events = feed(parser, records(message)).events;

            assertEquals(1, events.size());
            assertTrue(events.getFirst().startsWith("certificate subject=C=US, ST=California, O=Apple Inc., "
                + "CN=p127-contacts.icloud.com issuer=CN=Apple IST CA 2 - G1, OU=Certification Authority, "
                + "O=Apple Inc., C=US serial=4A:96:B3:D3"), events.getFirst());
            assertEquals("records=2, certificates=1", parser.counters().toString());
        }
    }

    @Test
    void shouldCountFirstCertificateLongerThanTheBuffer()
    {
        final byte[] first = new byte[17_000];
        final byte[] list = concat(u24(first.length), first);
        final byte[] message = handshake(11, concat(u24(list.length), list));

        try (TlsParser parser = new TlsParser(1, 1))
        {
            assertEquals(List.of(), feed(parser, records(message)).events);
            assertEquals("records=2, certificate_too_long=1", parser.counters().toString());
        }
    }
}
