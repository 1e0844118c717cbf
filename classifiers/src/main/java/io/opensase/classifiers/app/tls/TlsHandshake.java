package io.opensase.classifiers.app.tls;

import java.lang.foreign.MemorySegment;

/**
 * One decoded handshake message, a view reused for every message and valid only during the
 * {@link TlsListener} call that passes it. Byte fields are returned as segments over the message itself or
 * over the view's own text area; each accessor makes one small slice object (usually removed by the JIT's
 * escape analysis, though not always: a JMH fork measured 80 bytes per hello for two of them), the parser
 * allocates nothing. {@link #segment}, {@link #offset} and {@link #length} (and the ALPN and SAN forms) read
 * the same bytes without any object. A field the message does not carry is an empty segment (length 0).
 * <p>
 * Which fields a message fills: ClientHello: versions, random, SNI, ALPN names, JA3. ServerHello: versions,
 * random, the selected ALPN name, JA3S. Certificate: the first certificate's subject, issuer, serial,
 * fingerprint, subjectAltName DNS names and validity. {@link #sslStateBits()} is always the flow's.
 */
public final class TlsHandshake
{
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int CERTIFICATE = 11;
    /** ALPN names kept per hello; further names are counted in {@link #alpnOmitted()}. */
    public static final int MAX_ALPN = 64;
    /** subjectAltName DNS names kept per certificate; further names are ignored. */
    public static final int MAX_SAN = 128;

    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    final byte[] text;
    private final MemorySegment textSegment;
    int textLength;

    MemorySegment source;
    int type;
    int recordVersion;
    int handshakeVersion;
    int selectedVersion;
    int cipher;
    int sslStateBits;
    long randomAt = -1;
    long sniAt = -1;
    int sniLength;
    final long[] alpnAt = new long[MAX_ALPN];
    final int[] alpnLength = new int[MAX_ALPN];
    int alpnCount;
    int alpnOmitted;
    int ja3At;
    int ja3Length;
    int ja3HashAt;
    int ja3HashLength;
    int subjectAt;
    int subjectLength;
    int issuerAt;
    int issuerLength;
    int serialAt;
    int serialLength;
    int fingerprintAt;
    int fingerprintLength;
    final long[] sanAt = new long[MAX_SAN];
    final int[] sanLength = new int[MAX_SAN];
    int sanCount;
    long notBefore;
    long notAfter;

    TlsHandshake(final int textBytes)
    {
        this.text = new byte[textBytes];
        this.textSegment = MemorySegment.ofArray(text);
    }

    void reset(final MemorySegment source, final int type, final int recordVersion, final int sslStateBits)
    {
        this.source = source;
        this.type = type;
        this.recordVersion = recordVersion;
        this.sslStateBits = sslStateBits;
        handshakeVersion = 0;
        selectedVersion = 0;
        cipher = -1;
        randomAt = -1;
        sniAt = -1;
        sniLength = 0;
        alpnCount = 0;
        alpnOmitted = 0;
        sanCount = 0;
        textLength = 0;
        ja3Length = 0;
        ja3HashLength = 0;
        subjectLength = 0;
        issuerLength = 0;
        serialLength = 0;
        fingerprintLength = 0;
        notBefore = 0;
        notAfter = 0;
    }

    /** The segment holding {@code field}: the message's own bytes or the view's text; never a new object. */
    public MemorySegment segment(final TlsField field)
    {
        return switch (field)
        {
            case RANDOM, SNI -> source;
            default -> textSegment;
        };
    }

    /** Where {@code field} starts in {@link #segment segment(field)}. */
    public long offset(final TlsField field)
    {
        return switch (field)
        {
            case RANDOM -> Math.max(0, randomAt);
            case SNI -> Math.max(0, sniAt);
            case JA3_STRING, JA3S_STRING -> ja3At;
            case JA3_HASH, JA3S_HASH -> ja3HashAt;
            case CERT_SUBJECT -> subjectAt;
            case CERT_ISSUER -> issuerAt;
            case CERT_SERIAL -> serialAt;
            case CERT_FINGERPRINT -> fingerprintAt;
        };
    }

    /** Length of {@code field}, 0 when the message does not carry it. */
    public int length(final TlsField field)
    {
        return switch (field)
        {
            case RANDOM -> randomAt < 0 ? 0 : 32;
            case SNI -> sniAt < 0 ? 0 : sniLength;
            case JA3_STRING -> CLIENT_HELLO == type ? ja3Length : 0;
            case JA3_HASH -> CLIENT_HELLO == type ? ja3HashLength : 0;
            case JA3S_STRING -> SERVER_HELLO == type ? ja3Length : 0;
            case JA3S_HASH -> SERVER_HELLO == type ? ja3HashLength : 0;
            case CERT_SUBJECT -> subjectLength;
            case CERT_ISSUER -> issuerLength;
            case CERT_SERIAL -> serialLength;
            case CERT_FINGERPRINT -> fingerprintLength;
        };
    }

    /** The message's own bytes, where {@link #alpnOffset} and {@link #sanOffset} point. */
    public MemorySegment source()
    {
        return source;
    }

    public long alpnOffset(final int i)
    {
        return alpnAt[i];
    }

    public int alpnLength(final int i)
    {
        return alpnLength[i];
    }

    public long sanOffset(final int i)
    {
        return sanAt[i];
    }

    public int sanLength(final int i)
    {
        return sanLength[i];
    }

    /** {@link #CLIENT_HELLO}, {@link #SERVER_HELLO} or {@link #CERTIFICATE}. */
    public int type()
    {
        return type;
    }

    /** Version in the header of the record that carried the message's first byte (0x0301 for TLS 1.0). */
    public int recordVersion()
    {
        return recordVersion;
    }

    /** The hello's legacy version field (0x0303 in TLS 1.2 and 1.3 hellos); 0 for a Certificate. */
    public int handshakeVersion()
    {
        return handshakeVersion;
    }

    /**
     * ServerHello: the version the server chose, from supported_versions when present (0x0304 for TLS 1.3),
     * else the legacy version. ClientHello: the highest version offered the same way. 0 for a Certificate.
     */
    public int selectedVersion()
    {
        return selectedVersion;
    }

    /** The ServerHello's cipher suite, -1 otherwise. */
    public int cipherSuite()
    {
        return cipher;
    }

    /** The 32-byte hello random. */
    public MemorySegment random()
    {
        return randomAt < 0 ? EMPTY : source.asSlice(randomAt, 32);
    }

    public boolean hasSni()
    {
        return sniAt >= 0;
    }

    /** The ClientHello's first host_name in server_name, as sent. */
    public MemorySegment sni()
    {
        return sniAt < 0 ? EMPTY : source.asSlice(sniAt, sniLength);
    }

    /** The JA3 input string of a ClientHello: version,ciphers,extensions,groups,point formats (GREASE removed). */
    public MemorySegment ja3String()
    {
        return CLIENT_HELLO == type ? textSegment.asSlice(ja3At, ja3Length) : EMPTY;
    }

    /** MD5 of {@link #ja3String()} as 32 lower-case hex digits. */
    public MemorySegment ja3Hash()
    {
        return CLIENT_HELLO == type ? textSegment.asSlice(ja3HashAt, ja3HashLength) : EMPTY;
    }

    /** The JA3S input string of a ServerHello: version,cipher,extensions. */
    public MemorySegment ja3sString()
    {
        return SERVER_HELLO == type ? textSegment.asSlice(ja3At, ja3Length) : EMPTY;
    }

    public MemorySegment ja3sHash()
    {
        return SERVER_HELLO == type ? textSegment.asSlice(ja3HashAt, ja3HashLength) : EMPTY;
    }

    /** ALPN names: those offered by a ClientHello, the one selected by a ServerHello. */
    public int alpnCount()
    {
        return alpnCount;
    }

    /** ALPN names of this hello past the first {@link #MAX_ALPN}: not kept. */
    public int alpnOmitted()
    {
        return alpnOmitted;
    }

    public MemorySegment alpn(final int i)
    {
        return source.asSlice(alpnAt[i], alpnLength[i]);
    }

    /** Subject of the first certificate: "C=US, ST=..., O=..., CN=..." in the certificate's order. */
    public MemorySegment certSubject()
    {
        return textSegment.asSlice(subjectAt, subjectLength);
    }

    public MemorySegment certIssuer()
    {
        return textSegment.asSlice(issuerAt, issuerLength);
    }

    /** The serial number's DER bytes as upper-case hex pairs joined by colons ("00:97:E6:..."). */
    public MemorySegment certSerial()
    {
        return textSegment.asSlice(serialAt, serialLength);
    }

    /** SHA-1 of the certificate's DER as lower-case hex pairs joined by colons. */
    public MemorySegment certFingerprint()
    {
        return textSegment.asSlice(fingerprintAt, fingerprintLength);
    }

    /** subjectAltName DNS names of the first certificate, as sent. */
    public int sanCount()
    {
        return sanCount;
    }

    public MemorySegment san(final int i)
    {
        return source.asSlice(sanAt[i], sanLength[i]);
    }

    /** Start of the validity period, seconds since the epoch (UTC). */
    public long certNotBefore()
    {
        return notBefore;
    }

    public long certNotAfter()
    {
        return notAfter;
    }

    /** Handshake messages seen so far in the flow, as the ssl_state bits (1 client_hello ... 16 unknown). */
    public int sslStateBits()
    {
        return sslStateBits;
    }

    // Text area writers: callers ensure room (the area is sized for the largest message).

    void appendByte(final int b)
    {
        text[textLength++] = (byte)b;
    }

    /** A non-negative value in decimal, written from its last digit back. */
    void appendDecimal(final int value)
    {
        int digits = 1;
        for (int rest = value / 10; rest > 0; rest /= 10)
        {
            digits++;
        }
        textLength += digits;
        int v = value;
        for (int at = textLength - 1; digits > 0; digits--, at--)
        {
            text[at] = (byte)('0' + v % 10);
            v /= 10;
        }
    }

    void appendHex(final int b, final boolean upper)
    {
        final byte[] digits = upper ? HEX_UPPER : HEX_LOWER;
        text[textLength++] = digits[b >>> 4 & 0xF];
        text[textLength++] = digits[b & 0xF];
    }

    /** Bytes of {@code source} written as hex pairs joined by colons. */
    void appendHexPairs(final MemorySegment from, final long at, final int length, final boolean upper)
    {
        for (int i = 0; i < length; i++)
        {
            if (i > 0)
            {
                appendByte(':');
            }
            appendHex(from.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + i), upper);
        }
    }

    int room()
    {
        return text.length - textLength;
    }
}
