package io.opensase.classifiers.app.tls;

import io.opensase.classifiers.app.StreamDirection;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

import static io.opensase.classifiers.app.tls.Hellos.concat;
import static io.opensase.classifiers.app.tls.Hellos.handshake;
import static io.opensase.classifiers.app.tls.Hellos.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A certificate made by Python's cryptography with the name forms the shared captures lack: a multi-valued
 * RDN, domainComponent, emailAddress, an unregistered OID, BMPString, T61String and UTF-8 values, a
 * GeneralizedTime (year 2061), a serial needing a leading zero and a subjectAltName mixing DNS names and an IP
 * address. Names and validity must read as OpenSSL prints them.
 */
class CertificateNamesTest
{
    private static final String MAKE_CERTIFICATE = """
        import datetime, ipaddress, sys
        from cryptography import x509
        from cryptography.x509.oid import NameOID
        from cryptography.x509.name import _ASN1Type
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE")]),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Multi"),
                                            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Valued")]),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "example")]),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.EMAIL_ADDRESS, "a@example.org")]),
            x509.RelativeDistinguishedName([x509.NameAttribute(x509.ObjectIdentifier("1.2.3.4.5"), "private")]),
            x509.RelativeDistinguishedName([
                x509.NameAttribute(NameOID.LOCALITY_NAME, "Zoë", _type=_ASN1Type.BMPString)]),
            x509.RelativeDistinguishedName([
                x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Bayern", _type=_ASN1Type.T61String)]),
            x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COMMON_NAME, "Grüße ✓")]),
        ])
        issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Issuer")])
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
                .serial_number(0x00FF00112233445566778899)
                .not_valid_before(datetime.datetime(2024, 2, 29, 12, 34, 56))
                .not_valid_after(datetime.datetime(2061, 1, 2, 3, 4, 5))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName("a.example"),
                                                            x509.IPAddress(ipaddress.ip_address("192.0.2.1")),
                                                            x509.DNSName("*.b.example")]), critical=True)
                .sign(key, hashes.SHA256()))
        sys.stdout.write(cert.public_bytes(serialization.Encoding.DER).hex())
        """;

    @TempDir
    Path temp;

    @Test
    void shouldWriteNamesTimesSerialAndSanAsOpensslDoes() throws IOException
    {
        final byte[] der = HexFormat.of().parseHex(Tools.python(MAKE_CERTIFICATE).strip());
        final Path file = Files.write(temp.resolve("names.der"), der);
        final List<String> openssl = Tools.run("openssl", "x509", "-inform", "der", "-in", file.toString(), "-noout",
            "-subject", "-issuer", "-startdate", "-enddate", "-dateopt", "iso_8601", "-nameopt",
            "sep_comma_plus_space,sname,utf8").lines().toList();
        final byte[] list = concat(u24(der.length), der);
        final byte[] stream = record(22, 0x0303, handshake(11, concat(u24(list.length), list)));
        final Recorder recorder = new Recorder();

        try (TlsParser parser = new TlsParser(1, 1))
        {
            parser.feed(parser.open(), StreamDirection.TO_CLIENT, MemorySegment.ofArray(stream), 0, stream.length,
                recorder);
        }

        assertEquals(1, recorder.events.size());
        final String event = recorder.events.getFirst();
        assertEquals(openssl.get(0).substring("subject=".length()), between(event, "subject=", " issuer="));
        assertEquals(openssl.get(1).substring("issuer=".length()), between(event, "issuer=", " serial="));
        assertEquals("00:FF:00:11:22:33:44:55:66:77:88:99", between(event, "serial=", " fingerprint="));
        assertEquals(String.valueOf(epoch(openssl.get(2))), between(event, "notBefore=", " notAfter="));
        assertEquals(String.valueOf(epoch(openssl.get(3))), between(event, "notAfter=", " san="));
        assertEquals("[a.example, *.b.example]", event.substring(event.indexOf(" san=") + 5));
    }

    private static byte[] u24(final int value)
    {
        return new byte[] {(byte)(value >>> 16), (byte)(value >>> 8), (byte)value};
    }

    private static String between(final String text, final String from, final String to)
    {
        final int start = text.indexOf(from) + from.length();
        return text.substring(start, text.indexOf(to, start));
    }

    private static long epoch(final String line)
    {
        final String iso = line.substring(line.indexOf('=') + 1, line.length() - 1);
        return LocalDateTime.parse(iso, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
            .toEpochSecond(ZoneOffset.UTC);
    }
}
