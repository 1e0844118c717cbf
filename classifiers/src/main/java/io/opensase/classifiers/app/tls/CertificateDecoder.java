package io.opensase.classifiers.app.tls;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Decodes the fields of one X.509 certificate (RFC 5280) that rules and logs read: from tbsCertificate the
 * serial, issuer, validity, subject and the subjectAltName extension's DNS names, and the SHA-1 of the whole
 * DER. Names are written as Suricata logs them: relative distinguished names in certificate order joined by
 * ", ", attributes of one RDN joined by " + ", each as SHORTNAME=value (OpenSSL's short names, the dotted OID
 * for others), string values as UTF-8, other values as '#' and the hex of their DER.
 */
final class CertificateDecoder
{
    private static final byte[] OID_X520 = {0x55, 0x04};
    private static final byte[] OID_EMAIL = {0x2A, (byte)0x86, 0x48, (byte)0x86, (byte)0xF7, 0x0D, 0x01, 0x09, 0x01};
    /** 0.9.2342.19200300.100.1: the pilot attributes, of which domainComponent (25) and userId (1). */
    private static final byte[] OID_PILOT =
        {0x09, (byte)0x92, 0x26, (byte)0x89, (byte)0x93, (byte)0xF2, 0x2C, 0x64, 0x01};
    private static final byte[] OID_EV_JURISDICTION =
        {0x2B, 0x06, 0x01, 0x04, 0x01, (byte)0x82, 0x37, 0x3C, 0x02, 0x01};
    private static final byte[] OID_SUBJECT_ALT_NAME = {0x55, 0x1D, 0x11};
    private static final int DNS_NAME = 0x82;
    private static final byte[][] X520_NAMES = new byte[66][];
    private static final byte[] EMAIL = ascii("emailAddress");
    private static final byte[] DC = ascii("DC");
    private static final byte[] UID = ascii("UID");
    private static final byte[][] JURISDICTION =
        {ascii("jurisdictionL"), ascii("jurisdictionST"), ascii("jurisdictionC")};

    static
    {
        x520(3, "CN");
        x520(4, "SN");
        x520(5, "serialNumber");
        x520(6, "C");
        x520(7, "L");
        x520(8, "ST");
        x520(9, "street");
        x520(10, "O");
        x520(11, "OU");
        x520(12, "title");
        x520(13, "description");
        x520(15, "businessCategory");
        x520(17, "postalCode");
        x520(42, "GN");
        x520(43, "initials");
        x520(44, "generationQualifier");
        x520(46, "dnQualifier");
        x520(65, "pseudonym");
    }

    private final Der der = new Der();
    private final MessageDigest sha1;
    private final byte[] der1;
    private final byte[] digest = new byte[20];

    CertificateDecoder(final int maxCertificateBytes)
    {
        try
        {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-1", ex);
        }
        this.der1 = new byte[maxCertificateBytes];
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void x520(final int attribute, final String name)
    {
        X520_NAMES[attribute] = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Decodes the certificate at {@code mem[at, at + length)} into {@code out}; false when its DER is malformed. */
    boolean decode(final MemorySegment mem, final long at, final int length, final TlsHandshake out)
    {
        final long end = at + length;
        if (!der.read(mem, at, end, Der.SEQUENCE))
        {
            return false;
        }
        final long certificateEnd = der.contentEnd;
        if (!der.read(mem, der.contentAt, certificateEnd, Der.SEQUENCE))
        {
            return false;
        }
        final long tbsEnd = der.contentEnd;
        long p = der.contentAt;
        if (!der.read(mem, p, tbsEnd))
        {
            return false;
        }
        if (0xA0 == der.tag)
        {
            p = der.contentEnd; // [0] EXPLICIT version
            if (!der.read(mem, p, tbsEnd))
            {
                return false;
            }
        }
        if (Der.INTEGER != der.tag || 0 == der.contentLength())
        {
            return false;
        }
        out.serialAt = out.textLength;
        out.appendHexPairs(mem, der.contentAt, der.contentLength(), true);
        out.serialLength = out.textLength - out.serialAt;
        p = der.contentEnd;
        if (!der.read(mem, p, tbsEnd, Der.SEQUENCE)) // signature algorithm
        {
            return false;
        }
        p = der.contentEnd;
        if (!der.read(mem, p, tbsEnd, Der.SEQUENCE))
        {
            return false;
        }
        p = der.contentEnd;
        out.issuerAt = out.textLength;
        if (!name(mem, der.contentAt, p, out))
        {
            return false;
        }
        out.issuerLength = out.textLength - out.issuerAt;
        if (!der.read(mem, p, tbsEnd, Der.SEQUENCE))
        {
            return false;
        }
        final long validityEnd = der.contentEnd;
        if (!der.read(mem, der.contentAt, validityEnd))
        {
            return false;
        }
        out.notBefore = time(mem, der.tag, der.contentAt, der.contentLength());
        if (!der.read(mem, der.contentEnd, validityEnd))
        {
            return false;
        }
        out.notAfter = time(mem, der.tag, der.contentAt, der.contentLength());
        if (Long.MIN_VALUE == out.notBefore || Long.MIN_VALUE == out.notAfter)
        {
            return false;
        }
        p = validityEnd;
        if (!der.read(mem, p, tbsEnd, Der.SEQUENCE))
        {
            return false;
        }
        p = der.contentEnd;
        out.subjectAt = out.textLength;
        if (!name(mem, der.contentAt, p, out))
        {
            return false;
        }
        out.subjectLength = out.textLength - out.subjectAt;
        if (!der.read(mem, p, tbsEnd, Der.SEQUENCE)) // subjectPublicKeyInfo
        {
            return false;
        }
        p = der.contentEnd;
        while (p < tbsEnd) // [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions
        {
            if (!der.read(mem, p, tbsEnd))
            {
                return false;
            }
            p = der.contentEnd;
            if (0xA3 == der.tag && !extensions(mem, der.contentAt, der.contentEnd, out))
            {
                return false;
            }
        }
        fingerprint(mem, at, (int)(certificateEnd - at), out);
        return true;
    }

    private boolean extensions(final MemorySegment mem, final long at, final long end, final TlsHandshake out)
    {
        if (!der.read(mem, at, end, Der.SEQUENCE))
        {
            return false;
        }
        final long listEnd = der.contentEnd;
        long p = der.contentAt;
        while (p < listEnd)
        {
            if (!der.read(mem, p, listEnd, Der.SEQUENCE))
            {
                return false;
            }
            final long extensionEnd = der.contentEnd;
            p = extensionEnd;
            if (!der.read(mem, der.contentAt, extensionEnd, Der.OID))
            {
                return false;
            }
            final boolean subjectAltName = equals(mem, der.contentAt, der.contentLength(), OID_SUBJECT_ALT_NAME);
            if (!der.read(mem, der.contentEnd, extensionEnd))
            {
                return false;
            }
            if (Der.BOOLEAN == der.tag && !der.read(mem, der.contentEnd, extensionEnd))
            {
                return false;
            }
            if (Der.OCTET_STRING != der.tag)
            {
                return false;
            }
            if (subjectAltName && !dnsNames(mem, der.contentAt, der.contentEnd, out))
            {
                return false;
            }
        }
        return true;
    }

    private boolean dnsNames(final MemorySegment mem, final long at, final long end, final TlsHandshake out)
    {
        if (!der.read(mem, at, end, Der.SEQUENCE))
        {
            return false;
        }
        final long namesEnd = der.contentEnd;
        long p = der.contentAt;
        while (p < namesEnd)
        {
            if (!der.read(mem, p, namesEnd))
            {
                return false;
            }
            p = der.contentEnd;
            if (DNS_NAME == der.tag && out.sanCount < TlsHandshake.MAX_SAN)
            {
                out.sanAt[out.sanCount] = der.contentAt;
                out.sanLength[out.sanCount] = der.contentLength();
                out.sanCount++;
            }
        }
        return true;
    }

    /** Writes the Name whose RDN sequence content is {@code mem[at, end)}. */
    private boolean name(final MemorySegment mem, final long at, final long end, final TlsHandshake out)
    {
        long p = at;
        boolean firstRdn = true;
        while (p < end)
        {
            if (!der.read(mem, p, end, Der.SET))
            {
                return false;
            }
            final long setEnd = der.contentEnd;
            long q = der.contentAt;
            p = setEnd;
            boolean firstAttribute = true;
            while (q < setEnd)
            {
                if (!der.read(mem, q, setEnd, Der.SEQUENCE))
                {
                    return false;
                }
                final long attributeEnd = der.contentEnd;
                q = attributeEnd;
                if (!der.read(mem, der.contentAt, attributeEnd, Der.OID))
                {
                    return false;
                }
                final long oidAt = der.contentAt;
                final int oidLength = der.contentLength();
                final long valueHeaderAt = der.contentEnd;
                if (!der.read(mem, valueHeaderAt, attributeEnd))
                {
                    return false;
                }
                if (!firstRdn)
                {
                    out.appendByte(firstAttribute ? ',' : ' ');
                    out.appendByte(firstAttribute ? ' ' : '+');
                    if (!firstAttribute)
                    {
                        out.appendByte(' ');
                    }
                }
                firstRdn = false;
                firstAttribute = false;
                attributeName(mem, oidAt, oidLength, out);
                out.appendByte('=');
                value(mem, der.tag, der.contentAt, der.contentLength(), valueHeaderAt, out);
            }
        }
        return true;
    }

    private static void attributeName(final MemorySegment mem, final long at, final int length, final TlsHandshake out)
    {
        byte[] name = null;
        if (3 == length && startsWith(mem, at, OID_X520))
        {
            final int attribute = Der.u8(mem, at + 2);
            name = attribute < X520_NAMES.length ? X520_NAMES[attribute] : null;
        }
        else if (equals(mem, at, length, OID_EMAIL))
        {
            name = EMAIL;
        }
        else if (OID_PILOT.length + 1 == length && startsWith(mem, at, OID_PILOT))
        {
            final int attribute = Der.u8(mem, at + OID_PILOT.length);
            name = 25 == attribute ? DC : 1 == attribute ? UID : null;
        }
        else if (OID_EV_JURISDICTION.length + 1 == length && startsWith(mem, at, OID_EV_JURISDICTION))
        {
            final int attribute = Der.u8(mem, at + OID_EV_JURISDICTION.length);
            name = attribute >= 1 && attribute <= 3 ? JURISDICTION[attribute - 1] : null;
        }
        if (null != name)
        {
            for (final byte b : name)
            {
                out.appendByte(b);
            }
        }
        else
        {
            dottedOid(mem, at, length, out);
        }
    }

    private static void dottedOid(final MemorySegment mem, final long at, final int length, final TlsHandshake out)
    {
        long arc = 0;
        boolean first = true;
        for (int i = 0; i < length; i++)
        {
            final int b = Der.u8(mem, at + i);
            arc = arc << 7 | b & 0x7F;
            if (0 == (b & 0x80))
            {
                if (first)
                {
                    final int top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
                    appendDecimal(out, top);
                    out.appendByte('.');
                    appendDecimal(out, arc - 40L * top);
                    first = false;
                }
                else
                {
                    out.appendByte('.');
                    appendDecimal(out, arc);
                }
                arc = 0;
            }
            else if (arc > (Long.MAX_VALUE >>> 8))
            {
                return; // an arc too long to be real: stop rather than overflow
            }
        }
    }

    private static void appendDecimal(final TlsHandshake out, final long value)
    {
        if (value >= 10)
        {
            appendDecimal(out, value / 10);
        }
        out.appendByte((int)('0' + value % 10));
    }

    private static void value(
        final MemorySegment mem,
        final int tag,
        final long at,
        final int length,
        final long elementAt,
        final TlsHandshake out)
    {
        switch (tag)
        {
            case Der.UTF8_STRING, Der.PRINTABLE_STRING, Der.IA5_STRING, 0x12, 0x1A ->
            {
                for (int i = 0; i < length; i++)
                {
                    out.appendByte(Der.u8(mem, at + i));
                }
            }
            case Der.T61_STRING ->
            {
                for (int i = 0; i < length; i++)
                {
                    utf8(out, Der.u8(mem, at + i)); // read as Latin-1, as OpenSSL does
                }
            }
            case Der.BMP_STRING ->
            {
                for (int i = 0; i + 1 < length; i += 2)
                {
                    int c = Der.u8(mem, at + i) << 8 | Der.u8(mem, at + i + 1);
                    if (c >= 0xD800 && c < 0xDC00 && i + 3 < length)
                    {
                        final int low = Der.u8(mem, at + i + 2) << 8 | Der.u8(mem, at + i + 3);
                        if (low >= 0xDC00 && low < 0xE000)
                        {
                            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                            i += 2;
                        }
                    }
                    utf8(out, c);
                }
            }
            case Der.UNIVERSAL_STRING ->
            {
                for (int i = 0; i + 3 < length; i += 4)
                {
                    final int c = (int)(mem.get(io.opensase.classifiers.parse.PacketMemory.U32, at + i) & 0x1F_FFFF);
                    utf8(out, c);
                }
            }
            default ->
            {
                out.appendByte('#');
                final int elementLength = (int)(at + length - elementAt);
                for (int i = 0; i < elementLength; i++)
                {
                    out.appendHex(Der.u8(mem, elementAt + i), false);
                }
            }
        }
    }

    private static void utf8(final TlsHandshake out, final int c)
    {
        if (c < 0x80)
        {
            out.appendByte(c);
        }
        else if (c < 0x800)
        {
            out.appendByte(0xC0 | c >> 6);
            out.appendByte(0x80 | c & 0x3F);
        }
        else if (c < 0x10000)
        {
            out.appendByte(0xE0 | c >> 12);
            out.appendByte(0x80 | c >> 6 & 0x3F);
            out.appendByte(0x80 | c & 0x3F);
        }
        else
        {
            out.appendByte(0xF0 | c >> 18);
            out.appendByte(0x80 | c >> 12 & 0x3F);
            out.appendByte(0x80 | c >> 6 & 0x3F);
            out.appendByte(0x80 | c & 0x3F);
        }
    }

    /**
     * UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSSZ) as seconds since the
     * epoch; {@link Long#MIN_VALUE} when it is neither.
     */
    static long time(final MemorySegment mem, final int tag, final long at, final int length)
    {
        final int year;
        long p = at;
        if (Der.UTC_TIME == tag && 13 == length)
        {
            final int yy = digits(mem, p, 2);
            year = yy < 0 ? -1 : yy < 50 ? 2000 + yy : 1900 + yy;
            p += 2;
        }
        else if (Der.GENERALIZED_TIME == tag && 15 == length)
        {
            year = digits(mem, p, 4);
            p += 4;
        }
        else
        {
            return Long.MIN_VALUE;
        }
        final int month = digits(mem, p, 2);
        final int day = digits(mem, p + 2, 2);
        final int hour = digits(mem, p + 4, 2);
        final int minute = digits(mem, p + 6, 2);
        final int second = digits(mem, p + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
            || minute > 59 || second < 0 || second > 60 || 'Z' != Der.u8(mem, p + 10))
        {
            return Long.MIN_VALUE;
        }
        return daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    private static int digits(final MemorySegment mem, final long at, final int count)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            final int d = Der.u8(mem, at + i) - '0';
            if (d < 0 || d > 9)
            {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Days from 1970-01-01 to a proleptic Gregorian date (the era-based method, exact for any year). */
    private static long daysFromCivil(final int year, final int month, final int day)
    {
        final int y = month <= 2 ? year - 1 : year;
        final int era = Math.floorDiv(y, 400);
        final int yearOfEra = y - era * 400;
        final int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        final int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    private void fingerprint(final MemorySegment mem, final long at, final int length, final TlsHandshake out)
    {
        MemorySegment.copy(mem, ValueLayout.JAVA_BYTE, at, der1, 0, length);
        sha1.update(der1, 0, length);
        try
        {
            sha1.digest(digest, 0, digest.length);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("a 20-byte buffer holds a SHA-1", ex);
        }
        out.fingerprintAt = out.textLength;
        for (int i = 0; i < digest.length; i++)
        {
            if (i > 0)
            {
                out.appendByte(':');
            }
            out.appendHex(digest[i], false);
        }
        out.fingerprintLength = out.textLength - out.fingerprintAt;
    }

    private static boolean startsWith(final MemorySegment mem, final long at, final byte[] prefix)
    {
        for (int i = 0; i < prefix.length; i++)
        {
            if (mem.get(ValueLayout.JAVA_BYTE, at + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equals(final MemorySegment mem, final long at, final int length, final byte[] bytes)
    {
        return length == bytes.length && startsWith(mem, at, bytes);
    }
}
