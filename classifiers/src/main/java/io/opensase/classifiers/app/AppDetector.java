package io.opensase.classifiers.app;

import io.opensase.classifiers.app.dns.DnsMessage;
import io.opensase.classifiers.app.dns.DnsParser;
import io.opensase.classifiers.app.http.HttpDetector;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * Identifies a flow's application protocol from the first bytes of a direction, whatever the ports. One per
 * worker; it keeps no per-flow state: the caller passes all the bytes of the direction it has so far (the
 * first segment, then again with more when the answer was {@link AppProto#UNKNOWN}) and records the answer in
 * the flow. Nothing is allocated.
 * <p>
 * What each protocol must show:
 * <ul>
 * <li>TLS: a handshake record header (type 22, version 3.0 to 3.4, a length of 1 to 18,432) whose first
 * byte is the type of a ClientHello or ServerHello (the hello may go on in later records); or an SSLv2-framed
 * ClientHello.</li>
 * <li>SSH: "SSH-".</li>
 * <li>HTTP (TCP): what {@link HttpDetector} accepts, a known method and a space or "HTTP/1."; or a request
 * line of another method: a token of up to 20 upper-case letters, digits, '-' or '_', a space, a target, a
 * space and "HTTP/1."; either after any empty lines (CR and LF bytes, up to {@link #MAX_PROBE_BYTES} of
 * them), which HTTP parsers and servers skip before a start line. Bytes that are all line ends so far wait for
 * more.</li>
 * <li>DNS over UDP: the whole datagram decodes as a message with at least one question or answer and a
 * defined opcode, and its first name is not a NetBIOS name (NetBIOS name service uses the same format).
 * Over TCP: a length prefix of at least 17, a header with one to 16 questions and a defined
 * opcode, and a first question whose name and class (IN, CH, HS or ANY) fit.</li>
 * </ul>
 * The answer is {@link AppProto#FAILED} (counted) when the bytes already rule every protocol out, or when a
 * TCP direction has shown {@link #MAX_PROBE_BYTES} bytes without a decision; a UDP datagram always decides.
 */
public final class AppDetector
{
    /** Bytes of a TCP direction after which an undecided flow is given up on. */
    public static final int MAX_PROBE_BYTES = 4096;

    private static final int NO = 0;
    private static final int MORE = 1;
    private static final int YES = 2;

    /** Longest method of a request line whose method {@link HttpDetector} does not list. */
    private static final int LONGEST_OTHER_METHOD = 20;
    private static final byte[] HTTP1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SSH = "SSH-".getBytes(StandardCharsets.US_ASCII);

    private final long[] decided = new long[AppProto.values().length];
    private final DnsParser dns = new DnsParser();
    private final DnsMessage dnsMessage = new DnsMessage();

    /**
     * @param isTcp     TCP (a stream: DNS carries a length prefix) or UDP (one datagram).
     * @param direction {@link StreamDirection}; protocols are recognised in either direction.
     * @return the protocol, {@link AppProto#UNKNOWN} when more bytes are needed, {@link AppProto#FAILED}.
     */
    public AppProto detect(
        final boolean isTcp,
        final int direction,
        final MemorySegment data,
        final long offset,
        final int length)
    {
        if (length <= 0)
        {
            return AppProto.UNKNOWN;
        }
        int more = 0;
        int answer = tls(data, offset, length);
        if (YES == answer)
        {
            return decide(AppProto.TLS);
        }
        more |= answer;
        if (isTcp)
        {
            answer = prefix(data, offset, length, SSH);
            if (YES == answer)
            {
                return decide(AppProto.SSH);
            }
            more |= answer;
            answer = http(data, offset, length);
            if (YES == answer)
            {
                return decide(AppProto.HTTP);
            }
            more |= answer;
            answer = dnsOverTcp(data, offset, length);
        }
        else
        {
            answer = dnsOverUdp(data, offset, length);
        }
        if (YES == answer)
        {
            return decide(AppProto.DNS);
        }
        more |= answer;
        if (MORE == more && isTcp && length < MAX_PROBE_BYTES)
        {
            return AppProto.UNKNOWN;
        }
        return decide(AppProto.FAILED);
    }

    /** Decisions made for {@code proto} (a flow decided once and asked again counts again). */
    public long count(final AppProto proto)
    {
        return decided[proto.ordinal()];
    }

    private AppProto decide(final AppProto proto)
    {
        decided[proto.ordinal()]++;
        return proto;
    }

    private static int tls(final MemorySegment m, final long at, final int length)
    {
        final int first = u8(m, at);
        if (0x16 == first)
        {
            if (length >= 2 && 3 != u8(m, at + 1) || length >= 3 && u8(m, at + 2) > 4)
            {
                return NO;
            }
            if (length < 6)
            {
                return MORE;
            }
            // A hello may be cut into records of any length: a first record of one byte holds only its type.
            final int recordLength = u16(m, at + 3);
            final int message = u8(m, at + 5);
            return recordLength >= 1 && recordLength <= 18_432 && (1 == message || 2 == message) ? YES : NO;
        }
        if (0 != (first & 0x80))
        {
            // SSLv2 record: 15-bit length, message type 1 (ClientHello), version 0.2 or 3.x
            if (length < 5)
            {
                return MORE;
            }
            final int major = u8(m, at + 3);
            final int minor = u8(m, at + 4);
            return 1 == u8(m, at + 2) && (0 == major && 2 == minor || 3 == major && minor <= 4) ? YES : NO;
        }
        return NO;
    }

    private static int prefix(final MemorySegment m, final long at, final int length, final byte[] prefix)
    {
        final int n = Math.min(length, prefix.length);
        for (int i = 0; i < n; i++)
        {
            if (u8(m, at + i) != (prefix[i] & 0xFF))
            {
                return NO;
            }
        }
        return n == prefix.length ? YES : MORE;
    }

    /**
     * {@link HttpDetector} decides once a method and its space, or "HTTP/1.", are there, after any empty lines;
     * before that, bytes that could still become one (line ends, upper-case letters and '-', or the start of
     * "HTTP/1.") wait for more.
     */
    private static int http(final MemorySegment m, final long offset, final int probed)
    {
        // Leading empty lines: else a request sent after a CRLF in the same segment was never identified.
        final int skipped = HttpDetector.leadingLineEnds(m, offset, probed, MAX_PROBE_BYTES);
        if (skipped == probed)
        {
            return MORE;
        }
        final long at = offset + skipped;
        final int length = probed - skipped;
        if (HttpDetector.looksLikeRequest(m, at, length) || HttpDetector.looksLikeResponse(m, at, length))
        {
            return YES;
        }
        if (length < HTTP1.length && MORE == prefix(m, at, length, HTTP1))
        {
            return MORE;
        }
        return otherMethodRequestLine(m, at, length);
    }

    /**
     * A request line whose method is not listed: libhtp parses one (as an unknown method, its body framed by
     * its headers) and a server may take it, so an upload sent by a made-up method is HTTP too; before, its
     * flow was left unidentified and its body was never scanned by DLP. The version after the target keeps
     * other text protocols out (SMTP's {@code EHLO host}, RTSP's and SIP's own versions).
     */
    private static int otherMethodRequestLine(final MemorySegment m, final long at, final int length)
    {
        int i = 0;
        while (i < length && i <= LONGEST_OTHER_METHOD && isMethodChar(u8(m, at + i)))
        {
            i++;
        }
        if (i == length)
        {
            return i <= LONGEST_OTHER_METHOD ? MORE : NO;
        }
        if (0 == i || i > LONGEST_OTHER_METHOD || ' ' != u8(m, at + i))
        {
            return NO;
        }
        int j = i + 1;
        while (j < length && u8(m, at + j) > ' ' && u8(m, at + j) < 0x7F)
        {
            j++;
        }
        if (j == length)
        {
            return MORE;
        }
        if (j == i + 1 || ' ' != u8(m, at + j))
        {
            return NO;
        }
        for (int k = 0; k < HTTP1.length; k++)
        {
            if (j + 1 + k == length)
            {
                return MORE;
            }
            if (HTTP1[k] != u8(m, at + j + 1 + k))
            {
                return NO;
            }
        }
        return YES;
    }

    private static boolean isMethodChar(final int c)
    {
        return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || '-' == c || '_' == c;
    }

    private int dnsOverUdp(final MemorySegment m, final long at, final int length)
    {
        if (netbiosName(m, at, length) || !dns.parse(m, at, length, dnsMessage))
        {
            return NO;
        }
        final int opcode = dnsMessage.opcode();
        return dnsMessage.declaredQuestions() + dnsMessage.declaredAnswers() >= 1 && opcode <= 6 && 3 != opcode
            ? YES : NO;
    }

    /**
     * NetBIOS name service (RFC 1002) shares DNS's message format; its first name, question or answer, is
     * one 32-byte label of the letters A to P (a NetBIOS name in half-bytes).
     */
    private static boolean netbiosName(final MemorySegment m, final long at, final int length)
    {
        if (length < 12 + 33 || 32 != u8(m, at + 12))
        {
            return false;
        }
        for (int i = 0; i < 32; i++)
        {
            final int c = u8(m, at + 13 + i);
            if (c < 'A' || c > 'P')
            {
                return false;
            }
        }
        return true;
    }

    private static int dnsOverTcp(final MemorySegment m, final long at, final int length)
    {
        if (length < 2 + 12)
        {
            return length >= 2 && u16(m, at) < 17 ? NO : MORE;
        }
        final int messageLength = u16(m, at);
        final int opcode = u8(m, at + 4) >>> 3 & 0xF;
        final int questions = u16(m, at + 6);
        if (messageLength < 17 || opcode > 6 || 3 == opcode || questions < 1 || questions > 16)
        {
            return NO;
        }
        final long end = at + Math.min(length, 2 + messageLength);
        long p = at + 14;
        int wire = 1;
        while (true)
        {
            if (p >= end)
            {
                return MORE;
            }
            final int label = u8(m, p);
            if (0 == label)
            {
                break;
            }
            wire += 1 + label;
            if (label > 63 || wire > 255)
            {
                return NO;
            }
            p += 1 + label;
        }
        if (end - p < 5)
        {
            return length < 2 + messageLength ? MORE : NO;
        }
        final int queryClass = u16(m, p + 3) & 0x7FFF;
        return 1 == queryClass || 3 == queryClass || 4 == queryClass || 255 == queryClass ? YES : NO;
    }
}
