package io.opensase.classifiers.app.tls;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        events.add("client sni=" + (h.hasSni() ? text(h.sni()) : "-") + " ja3=" + text(h.ja3String()) + " hash="
            + text(h.ja3Hash()) + " alpn=" + alpn(h) + " random=" + hex(h.random()));
    }

    @Override
    public void onServerHello(final int flow, final TlsHandshake h)
    {
        events.add("server ja3s=" + text(h.ja3sString()) + " hash=" + text(h.ja3sHash()) + " alpn=" + alpn(h)
            + " random=" + hex(h.random()));
    }

    @Override
    public void onCertificate(final int flow, final TlsHandshake h)
    {
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
