package io.opensase.classifiers.app.tls;

import java.lang.foreign.MemorySegment;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * Decodes the bodies of the handshake messages the parser reports (RFC 8446 and RFC 5246 layouts) into the
 * {@link TlsHandshake} view, and computes JA3/JA3S (Salesforce's definition: decimal values, lists joined by
 * '-', fields by ',', GREASE values of RFC 8701 left out, MD5 as lower-case hex).
 */
final class HandshakeDecoder
{
    static final int OK = 0;
    static final int MALFORMED = 1;
    static final int MALFORMED_CERTIFICATE = 2;
    static final int CERTIFICATE_TOO_LONG = 3;
    /** A Certificate message with no certificate in it (a client with none to send). */
    static final int EMPTY = 4;

    private static final int SERVER_NAME = 0;
    private static final int SUPPORTED_GROUPS = 10;
    private static final int EC_POINT_FORMATS = 11;
    private static final int ALPN = 16;
    private static final int SUPPORTED_VERSIONS = 43;

    private final TlsHandshake view;
    private final CertificateDecoder certificates;
    private final MessageDigest md5;
    private final byte[] digest = new byte[16];

    HandshakeDecoder(final TlsHandshake view, final int maxMessageBytes)
    {
        this.view = view;
        this.certificates = new CertificateDecoder(maxMessageBytes);
        try
        {
            this.md5 = MessageDigest.getInstance("MD5");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has MD5", ex);
        }
    }

    /** RFC 8701: 0x0A0A, 0x1A1A ... 0xFAFA. */
    static boolean grease(final int value)
    {
        return 0x0A0A == (value & 0x0F0F) && (value >>> 8) == (value & 0xFF);
    }

    int clientHello(final MemorySegment m, final long at, final int length)
    {
        final long end = at + length;
        if (length < 38)
        {
            return MALFORMED;
        }
        final int version = u16(m, at);
        view.handshakeVersion = version;
        view.selectedVersion = version;
        view.randomAt = at + 2;
        long p = at + 34;
        p += 1 + u8(m, p);
        if (end - p < 2)
        {
            return MALFORMED;
        }
        final int ciphersLength = u16(m, p);
        p += 2;
        if (0 != (ciphersLength & 1) || end - p < ciphersLength + 1)
        {
            return MALFORMED;
        }
        final long ciphersAt = p;
        p += ciphersLength;
        p += 1 + u8(m, p);
        if (p > end)
        {
            return MALFORMED;
        }
        long extensionsAt = p;
        long extensionsEnd = p;
        if (p < end)
        {
            if (end - p < 2 || end - p - 2 < u16(m, p))
            {
                return MALFORMED;
            }
            extensionsAt = p + 2;
            extensionsEnd = extensionsAt + u16(m, p);
        }

        view.ja3At = view.textLength;
        view.appendDecimal(version);
        view.appendByte(',');
        appendU16List(m, ciphersAt, ciphersAt + ciphersLength);
        view.appendByte(',');
        long groupsAt = -1;
        long groupsEnd = -1;
        long formatsAt = -1;
        long formatsEnd = -1;
        boolean firstExtension = true;
        for (long e = extensionsAt; e < extensionsEnd; )
        {
            if (extensionsEnd - e < 4 || extensionsEnd - e - 4 < u16(m, e + 2))
            {
                return MALFORMED;
            }
            final int type = u16(m, e);
            final long dataAt = e + 4;
            final long dataEnd = dataAt + u16(m, e + 2);
            e = dataEnd;
            if (!grease(type))
            {
                if (!firstExtension)
                {
                    view.appendByte('-');
                }
                view.appendDecimal(type);
                firstExtension = false;
            }
            switch (type)
            {
                case SERVER_NAME -> serverName(m, dataAt, dataEnd);
                case ALPN -> alpn(m, dataAt, dataEnd);
                case SUPPORTED_GROUPS ->
                {
                    if (dataEnd - dataAt >= 2 && u16(m, dataAt) <= dataEnd - dataAt - 2)
                    {
                        groupsAt = dataAt + 2;
                        groupsEnd = groupsAt + (u16(m, dataAt) & ~1);
                    }
                }
                case EC_POINT_FORMATS ->
                {
                    if (dataEnd - dataAt >= 1 && u8(m, dataAt) <= dataEnd - dataAt - 1)
                    {
                        formatsAt = dataAt + 1;
                        formatsEnd = formatsAt + u8(m, dataAt);
                    }
                }
                case SUPPORTED_VERSIONS -> offeredVersions(m, dataAt, dataEnd);
                default ->
                {
                }
            }
        }
        view.appendByte(',');
        if (groupsAt >= 0)
        {
            appendU16List(m, groupsAt, groupsEnd);
        }
        view.appendByte(',');
        for (long f = formatsAt; f < formatsEnd; f++)
        {
            if (f > formatsAt)
            {
                view.appendByte('-');
            }
            view.appendDecimal(u8(m, f));
        }
        finishFingerprint();
        return OK;
    }

    int serverHello(final MemorySegment m, final long at, final int length)
    {
        final long end = at + length;
        if (length < 38)
        {
            return MALFORMED;
        }
        final int version = u16(m, at);
        view.handshakeVersion = version;
        view.selectedVersion = version;
        view.randomAt = at + 2;
        long p = at + 34;
        p += 1 + u8(m, p);
        if (end - p < 3)
        {
            return MALFORMED;
        }
        view.cipher = u16(m, p);
        p += 3;
        long extensionsAt = p;
        long extensionsEnd = p;
        if (p < end)
        {
            if (end - p < 2 || end - p - 2 < u16(m, p))
            {
                return MALFORMED;
            }
            extensionsAt = p + 2;
            extensionsEnd = extensionsAt + u16(m, p);
        }
        view.ja3At = view.textLength;
        view.appendDecimal(version);
        view.appendByte(',');
        view.appendDecimal(view.cipher);
        view.appendByte(',');
        boolean firstExtension = true;
        for (long e = extensionsAt; e < extensionsEnd; )
        {
            if (extensionsEnd - e < 4 || extensionsEnd - e - 4 < u16(m, e + 2))
            {
                return MALFORMED;
            }
            final int type = u16(m, e);
            final long dataAt = e + 4;
            final long dataEnd = dataAt + u16(m, e + 2);
            e = dataEnd;
            if (!grease(type))
            {
                if (!firstExtension)
                {
                    view.appendByte('-');
                }
                view.appendDecimal(type);
                firstExtension = false;
            }
            if (ALPN == type)
            {
                alpn(m, dataAt, dataEnd);
            }
            else if (SUPPORTED_VERSIONS == type && 2 == dataEnd - dataAt)
            {
                view.selectedVersion = u16(m, dataAt);
            }
        }
        finishFingerprint();
        return OK;
    }

    /**
     * The first certificate of a TLS 1.2 (or older) Certificate message, of which {@code have} bytes are held;
     * {@code cut} says the message was longer than what is held.
     */
    int certificate(final MemorySegment m, final long at, final int have, final boolean cut)
    {
        if (have < 3)
        {
            return MALFORMED;
        }
        final int listLength = u24(m, at);
        if (0 == listLength)
        {
            return EMPTY;
        }
        if (!cut && listLength != have - 3 || have < 6)
        {
            return MALFORMED;
        }
        final int certificateLength = u24(m, at + 3);
        if (certificateLength > listLength - 3)
        {
            return MALFORMED;
        }
        if (certificateLength > have - 6)
        {
            return cut ? CERTIFICATE_TOO_LONG : MALFORMED;
        }
        return certificates.decode(m, at + 6, certificateLength, view) ? OK : MALFORMED_CERTIFICATE;
    }

    private static int u24(final MemorySegment m, final long at)
    {
        return u8(m, at) << 16 | u16(m, at + 1);
    }

    private void appendU16List(final MemorySegment m, final long at, final long end)
    {
        boolean first = true;
        for (long p = at; p + 1 < end; p += 2)
        {
            final int value = u16(m, p);
            if (!grease(value))
            {
                if (!first)
                {
                    view.appendByte('-');
                }
                view.appendDecimal(value);
                first = false;
            }
        }
    }

    /** server_name (RFC 6066): the first host_name entry. */
    private void serverName(final MemorySegment m, final long at, final long end)
    {
        if (end - at < 2 || u16(m, at) > end - at - 2)
        {
            return;
        }
        final long listEnd = at + 2 + u16(m, at);
        for (long p = at + 2; listEnd - p >= 3; )
        {
            final int nameType = u8(m, p);
            final int nameLength = u16(m, p + 1);
            if (nameLength > listEnd - p - 3)
            {
                return;
            }
            if (0 == nameType && view.sniAt < 0)
            {
                view.sniAt = p + 3;
                view.sniLength = nameLength;
            }
            p += 3 + nameLength;
        }
    }

    /** application_layer_protocol_negotiation (RFC 7301): the names, in order. */
    private void alpn(final MemorySegment m, final long at, final long end)
    {
        if (end - at < 2 || u16(m, at) > end - at - 2)
        {
            return;
        }
        final long listEnd = at + 2 + u16(m, at);
        for (long p = at + 2; p < listEnd; )
        {
            final int nameLength = u8(m, p);
            if (nameLength > listEnd - p - 1)
            {
                return;
            }
            if (view.alpnCount < TlsHandshake.MAX_ALPN)
            {
                view.alpnAt[view.alpnCount] = p + 1;
                view.alpnLength[view.alpnCount] = nameLength;
                view.alpnCount++;
            }
            else
            {
                view.alpnOmitted++;
            }
            p += 1 + nameLength;
        }
    }

    private void offeredVersions(final MemorySegment m, final long at, final long end)
    {
        if (end - at < 1 || u8(m, at) > end - at - 1)
        {
            return;
        }
        final long listEnd = at + 1 + u8(m, at);
        for (long p = at + 1; p + 1 < listEnd; p += 2)
        {
            final int version = u16(m, p);
            if (!grease(version) && version > view.selectedVersion)
            {
                view.selectedVersion = version;
            }
        }
    }

    private void finishFingerprint()
    {
        view.ja3Length = view.textLength - view.ja3At;
        md5.update(view.text, view.ja3At, view.ja3Length);
        try
        {
            md5.digest(digest, 0, digest.length);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("a 16-byte buffer holds an MD5", ex);
        }
        view.ja3HashAt = view.textLength;
        for (final byte b : digest)
        {
            view.appendHex(b, false);
        }
        view.ja3HashLength = 32;
    }
}
