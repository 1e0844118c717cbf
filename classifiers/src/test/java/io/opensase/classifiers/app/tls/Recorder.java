package io.opensase.classifiers.app.tls;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** A listener that writes each decoded message down as one line of text, for comparison. */
class Recorder implements TlsListener
{
    final List<String> events = new ArrayList<>();

    static String text(final MemorySegment segment)
    {
        return new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    static String hex(final MemorySegment segment)
    {
        return HexFormat.of().formatHex(segment.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Every field read through segment, offset and length must equal what its slice accessor gives. */
    static void assertOffsetsAgree(final TlsHandshake h)
    {
        final MemorySegment[] slices = {h.random(), h.sni(), h.ja3String(), h.ja3Hash(), h.ja3sString(), h.ja3sHash(),
            h.certSubject(), h.certIssuer(), h.certSerial(), h.certFingerprint()};
        for (final TlsField field : TlsField.values())
        {
            final MemorySegment direct = h.segment(field).asSlice(h.offset(field), h.length(field));
            if (!Arrays.equals(slices[field.ordinal()].toArray(ValueLayout.JAVA_BYTE),
                direct.toArray(ValueLayout.JAVA_BYTE)))
            {
                throw new AssertionError(field + " differs read through offsets");
            }
        }
        for (int i = 0; i < h.alpnCount(); i++)
        {
            if (!text(h.alpn(i)).equals(text(h.source().asSlice(h.alpnOffset(i), h.alpnLength(i)))))
            {
                throw new AssertionError("ALPN " + i + " differs read through offsets");
            }
        }
        for (int i = 0; i < h.sanCount(); i++)
        {
            if (!text(h.san(i)).equals(text(h.source().asSlice(h.sanOffset(i), h.sanLength(i)))))
            {
                throw new AssertionError("SAN " + i + " differs read through offsets");
            }
        }
    }

    static List<String> alpn(final TlsHandshake h)
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < h.alpnCount(); i++)
        {
            names.add(text(h.alpn(i)));
        }
        return names;
    }

    @Override
    public void onClientHello(final int flow, final TlsHandshake h)
    {
        assertOffsetsAgree(h);
        events.add("client sni=" + (h.hasSni() ? text(h.sni()) : "-") + " ja3=" + text(h.ja3String()) + " hash="
            + text(h.ja3Hash()) + " alpn=" + alpn(h) + " random=" + hex(h.random()));
    }

    @Override
    public void onServerHello(final int flow, final TlsHandshake h)
    {
        assertOffsetsAgree(h);
        events.add("server ja3s=" + text(h.ja3sString()) + " hash=" + text(h.ja3sHash()) + " alpn=" + alpn(h)
            + " random=" + hex(h.random()));
    }

    @Override
    public void onCertificate(final int flow, final TlsHandshake h)
    {
        assertOffsetsAgree(h);
        final List<String> sans = new ArrayList<>();
        for (int i = 0; i < h.sanCount(); i++)
        {
            sans.add(text(h.san(i)));
        }
        events.add("certificate subject=" + text(h.certSubject()) + " issuer=" + text(h.certIssuer()) + " serial="
            + text(h.certSerial()) + " fingerprint=" + text(h.certFingerprint()) + " notBefore=" + h.certNotBefore()
            + " notAfter=" + h.certNotAfter() + " san=" + sans);
    }
}
