package io.opensase.classifiers.app.http;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One request or response of a flow, as a reusable view owned by its {@link HttpParser} and valid only during
 * a {@link HttpListener} callback.
 * <p>
 * Each segment accessor returns a slice (a new small object) of {@link #buffer()}, or an empty segment when
 * the value is absent; {@link #offset(HttpField)} and {@link #length(HttpField)} give the same without
 * allocating. The values follow Suricata's buffers of the same names:
 * <ul>
 * <li>{@link #header()}: each header as {@code Name: value\r\n}, in order of first appearance, without Cookie
 * (requests) or Set-Cookie (responses); a header seen several times appears once, its values joined with
 * {@code ", "} (a response's repeated Content-Length keeps its first value); a folded value's line ends are
 * dropped, its blanks kept (as libhtp joins continuation lines); values trimmed of blanks.</li>
 * <li>{@link #headerNames()}: {@code \r\n}, each (combined) header name followed by {@code \r\n}, then
 * {@code \r\n}; Cookie included.</li>
 * <li>{@link #headerRaw()}: the header lines as received, after the start line, without the empty line.</li>
 * <li>{@link #uriNormalized()}: as libhtp's IDS personality, which Suricata runs by default: the path with
 * {@code %XX} and {@code %uXXXX} decoded (invalid escapes kept; {@code %u} above 0xFF becomes '?'),
 * backslashes made slashes, runs of slashes made one, then its dot segments removed (RFC 3986 5.2.4), then
 * the query and fragment as sent; for an absolute URI the scheme and authority are left out. The path is not
 * lower-cased (Suricata turns that off) and UTF-8 is not mapped to single bytes.</li>
 * <li>{@link #host()}: the authority of an absolute URI, else the Host header, without user info, port and
 * trailing dots, lower-cased; {@link #hostRaw()}: the Host header as sent (else the absolute URI's
 * authority).</li>
 * <li>Named headers ({@link #userAgent()} ...): the combined value as in {@link #header()};
 * {@link #cookie()} is Cookie in a request and Set-Cookie in a response.</li>
 * <li>{@link #fileName()}: the {@code filename} (else {@code filename*}, after its charset) parameter of
 * Content-Disposition, else the last segment of the request URI's path as sent (for a response, that of its
 * request).</li>
 * </ul>
 * Derived values are built on first access in a callback into the parser's scratch memory.
 */
public final class HttpMessage
{
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
    private static final HttpField[] NAMED = {
        HttpField.HOST_RAW, HttpField.USER_AGENT, HttpField.CONTENT_TYPE, HttpField.CONTENT_LENGTH,
        HttpField.REFERER, HttpField.ACCEPT, HttpField.ACCEPT_ENCODING, HttpField.ACCEPT_LANGUAGE, HttpField.SERVER,
        HttpField.LOCATION, HttpField.CONTENT_DISPOSITION, HttpField.CONTENT_ENCODING, HttpField.TRANSFER_ENCODING};
    private static final byte[][] NAMES = {
        Ascii.bytes("host"), Ascii.bytes("user-agent"), Ascii.bytes("content-type"), Ascii.bytes("content-length"),
        Ascii.bytes("referer"), Ascii.bytes("accept"), Ascii.bytes("accept-encoding"),
        Ascii.bytes("accept-language"), Ascii.bytes("server"), Ascii.bytes("location"),
        Ascii.bytes("content-disposition"), Ascii.bytes("content-encoding"), Ascii.bytes("transfer-encoding")};
    private static final byte[] COOKIE = Ascii.bytes("cookie");
    private static final byte[] CONTENT_LENGTH = Ascii.bytes("content-length");
    private static final byte[] SET_COOKIE = Ascii.bytes("set-cookie");
    private static final byte[] FILENAME = Ascii.bytes("filename");

    private final HttpParser parser;
    private final byte[] scratch;
    private final MemorySegment scratchMemory;
    private final int[] start = new int[HttpField.VALUES.length];
    private final int[] length = new int[HttpField.VALUES.length];
    private final int[] nameStart;
    private final int[] nameEnd;
    private final int[] valueStart;
    private final int[] valueEnd;
    private final boolean[] written;
    private final boolean[] repeated;
    /**
     * Per header: continued on the lines after its own (obsolete folding), or holding a bare CR: its value has
     * line end bytes to drop when it is copied.
     */
    private final boolean[] folded;

    private int fd;
    private int flow;
    private int serial;
    private int cookedFd = -1;
    private int cookedSerial;

    HttpMessage(final HttpParser parser)
    {
        this.parser = parser;
        final int headerBytes = parser.headerBytes;
        scratch = new byte[8 * headerBytes + 2 * HttpParser.NAME_BYTES + 64];
        scratchMemory = MemorySegment.ofArray(scratch);
        final int maxHeaders = headerBytes / 2 + 1;
        nameStart = new int[maxHeaders];
        nameEnd = new int[maxHeaders];
        valueStart = new int[maxHeaders];
        valueEnd = new int[maxHeaders];
        written = new boolean[maxHeaders];
        repeated = new boolean[maxHeaders];
        folded = new boolean[maxHeaders];
    }

    void bind(final int flowDirection, final int flowSlot, final int messageSerial)
    {
        fd = flowDirection;
        flow = flowSlot;
        serial = messageSerial;
    }

    public boolean isRequest()
    {
        return 0 == (fd & 1);
    }

    /** Index of the transaction in its flow, from 0; a response has its request's. */
    public int transactionIndex()
    {
        return parser.transaction[fd];
    }

    /** Content-Length as a number, or -1 when absent or not a number. */
    public long declaredContentLength()
    {
        return 0 != (parser.flags[fd] & HttpParser.HAS_LENGTH) ? parser.declaredLength[fd] : -1;
    }

    /**
     * Body bytes of the message as sent so far: de-chunked, before any Content-Encoding is undone, gaps and
     * bytes past the body limit included. This is libhtp's message length, which Suricata logs as an HTTP
     * line's {@code length}; the decoded bytes delivered may be more (decompressed) or fewer (cut).
     */
    public long bodyLength()
    {
        return parser.bodyLength[fd];
    }

    /**
     * From {@link HttpListener#onBody}: the listener needs no more of this message's body. The parser stops
     * decoding it (no more inflating) and delivers no more of it, reports no cut for it, and still frames the
     * message and counts its {@link #bodyLength}.
     */
    public void declineRestOfBody()
    {
        parser.flags[fd] |= HttpParser.DECLINED;
    }

    /** Why part of the body was not (or will not be) delivered, or null while it all is. */
    public BodyCut bodyCut()
    {
        return 0 != (parser.flags[fd] & HttpParser.BODY_CUT) ? parser.bodyCut[fd] : null;
    }

    public boolean chunked()
    {
        return 0 != (parser.flags[fd] & HttpParser.CHUNKED);
    }

    /** The status code as a number (0 in a request). */
    public int statusCodeValue()
    {
        return parser.statusCode[fd];
    }

    /** The memory every field lies in, valid during the callback. */
    public MemorySegment buffer()
    {
        cook();
        return scratchMemory;
    }

    public long offset(final HttpField field)
    {
        cook();
        return start[field.ordinal()];
    }

    public int length(final HttpField field)
    {
        cook();
        return length[field.ordinal()];
    }

    public MemorySegment get(final HttpField field)
    {
        cook();
        final int n = length[field.ordinal()];
        return 0 == n ? EMPTY : scratchMemory.asSlice(start[field.ordinal()], n);
    }

    public MemorySegment method()
    {
        return get(HttpField.METHOD);
    }

    public MemorySegment uriRaw()
    {
        return get(HttpField.URI_RAW);
    }

    public MemorySegment uriNormalized()
    {
        return get(HttpField.URI_NORMALIZED);
    }

    public MemorySegment host()
    {
        return get(HttpField.HOST);
    }

    public MemorySegment hostRaw()
    {
        return get(HttpField.HOST_RAW);
    }

    public MemorySegment requestLine()
    {
        return get(HttpField.REQUEST_LINE);
    }

    public MemorySegment header()
    {
        return get(HttpField.HEADER);
    }

    public MemorySegment headerRaw()
    {
        return get(HttpField.HEADER_RAW);
    }

    public MemorySegment headerNames()
    {
        return get(HttpField.HEADER_NAMES);
    }

    public MemorySegment userAgent()
    {
        return get(HttpField.USER_AGENT);
    }

    public MemorySegment cookie()
    {
        return get(HttpField.COOKIE);
    }

    public MemorySegment contentType()
    {
        return get(HttpField.CONTENT_TYPE);
    }

    public MemorySegment contentLength()
    {
        return get(HttpField.CONTENT_LENGTH);
    }

    public MemorySegment referer()
    {
        return get(HttpField.REFERER);
    }

    public MemorySegment accept()
    {
        return get(HttpField.ACCEPT);
    }

    public MemorySegment acceptEncoding()
    {
        return get(HttpField.ACCEPT_ENCODING);
    }

    public MemorySegment acceptLanguage()
    {
        return get(HttpField.ACCEPT_LANGUAGE);
    }

    public MemorySegment statusCode()
    {
        return get(HttpField.STATUS_CODE);
    }

    public MemorySegment statusMessage()
    {
        return get(HttpField.STATUS_MESSAGE);
    }

    public MemorySegment responseLine()
    {
        return get(HttpField.RESPONSE_LINE);
    }

    public MemorySegment server()
    {
        return get(HttpField.SERVER);
    }

    public MemorySegment location()
    {
        return get(HttpField.LOCATION);
    }

    public MemorySegment fileName()
    {
        return get(HttpField.FILE_NAME);
    }

    public MemorySegment contentDisposition()
    {
        return get(HttpField.CONTENT_DISPOSITION);
    }

    public MemorySegment contentEncoding()
    {
        return get(HttpField.CONTENT_ENCODING);
    }

    public MemorySegment transferEncoding()
    {
        return get(HttpField.TRANSFER_ENCODING);
    }

    /** Builds every field of the bound message in the scratch memory, once per message and callback. */
    private void cook()
    {
        if (cookedFd == fd && cookedSerial == serial)
        {
            return;
        }
        cookedFd = fd;
        cookedSerial = serial;
        Arrays.fill(length, 0);
        Arrays.fill(start, 0);
        final byte[] c = scratch;
        final int n = parser.rawLength[fd];
        System.arraycopy(parser.raw, parser.rawBase(fd), c, 0, n);
        final int lineEnd = parser.startLineEnd[fd];
        int lineLength = lineEnd;
        while (lineLength > 0 && '\r' == c[lineLength - 1])
        {
            lineLength--;
        }
        final int parts = fd * 6;
        final int[] p = parser.lineParts;
        if (isRequest())
        {
            set(HttpField.REQUEST_LINE, 0, lineLength);
            set(HttpField.METHOD, p[parts], p[parts + 1]);
            set(HttpField.URI_RAW, p[parts + 2], p[parts + 3]);
        }
        else
        {
            set(HttpField.RESPONSE_LINE, 0, lineLength);
            set(HttpField.STATUS_CODE, p[parts + 2], p[parts + 3]);
            set(HttpField.STATUS_MESSAGE, p[parts + 4], p[parts + 5]);
        }
        final int count = splitHeaders(lineEnd + 1, n);
        int w = n;
        w = writeHeaders(count, w);
        if (isRequest())
        {
            w = normalizeUri(p[parts + 2], p[parts + 3], w);
        }
        else
        {
            w = copyHost(start[HttpField.HOST_RAW.ordinal()], length[HttpField.HOST_RAW.ordinal()], w);
        }
        fileName(p[parts + 2], p[parts + 3], w);
    }

    private void set(final HttpField field, final int from, final int to)
    {
        start[field.ordinal()] = from;
        length[field.ordinal()] = Math.max(0, to - from);
    }

    /** Finds the header lines of {@code scratch[from, to)}; returns how many. */
    private int splitHeaders(final int from, final int to)
    {
        final byte[] c = scratch;
        int count = 0;
        int p = from;
        while (p < to)
        {
            int lf = p;
            int firstCr = Integer.MAX_VALUE;
            while (lf < to && '\n' != c[lf])
            {
                if ('\r' == c[lf] && firstCr > lf)
                {
                    firstCr = lf;
                }
                lf++;
            }
            int lineEnd = lf > p && '\r' == c[lf - 1] ? lf - 1 : lf;
            if (lineEnd == p)
            {
                break;
            }
            while (lineEnd > p && Ascii.isSpace(c[lineEnd - 1]))
            {
                lineEnd--;
            }
            if (Ascii.isSpace(c[p]))
            {
                if (count > 0)
                {
                    valueEnd[count - 1] = lineEnd;
                    folded[count - 1] = true;
                }
            }
            else
            {
                int colon = p;
                while (colon < lineEnd && ':' != c[colon])
                {
                    colon++;
                }
                int end = colon;
                while (end > p && Ascii.isSpace(c[end - 1]))
                {
                    end--;
                }
                if (colon < lineEnd && end > p)
                {
                    int value = colon + 1;
                    while (value < lineEnd && Ascii.isSpace(c[value]))
                    {
                        value++;
                    }
                    nameStart[count] = p;
                    nameEnd[count] = end;
                    valueStart[count] = value;
                    valueEnd[count] = Math.max(value, lineEnd);
                    written[count] = false;
                    repeated[count] = false;
                    folded[count] = firstCr < lineEnd;
                    count++;
                }
            }
            p = lf + 1;
        }
        set(HttpField.HEADER_RAW, from, Math.min(p, to));
        return count;
    }

    /** Writes header(), the cookie headers after it, then headerNames(); returns the next free byte. */
    private int writeHeaders(final int count, final int from)
    {
        final byte[] cookie = isRequest() ? COOKIE : SET_COOKIE;
        int w = from;
        for (int i = 0; i < count; i++)
        {
            if (!written[i] && !isNamed(i, cookie))
            {
                w = writeCombined(i, count, w);
            }
        }
        set(HttpField.HEADER, from, w);
        for (int i = 0; i < count; i++)
        {
            if (!written[i])
            {
                w = writeCombined(i, count, w);
            }
        }
        if (0 == count)
        {
            return w;
        }
        final int names = w;
        final byte[] c = scratch;
        c[w++] = '\r';
        c[w++] = '\n';
        for (int i = 0; i < count; i++)
        {
            if (!repeated[i])
            {
                final int nameLength = nameEnd[i] - nameStart[i];
                System.arraycopy(c, nameStart[i], c, w, nameLength);
                w += nameLength;
                c[w++] = '\r';
                c[w++] = '\n';
            }
        }
        c[w++] = '\r';
        c[w++] = '\n';
        set(HttpField.HEADER_NAMES, names, w);
        return w;
    }

    private boolean isNamed(final int header, final byte[] name)
    {
        return Ascii.equalsLower(scratch, nameStart[header], nameEnd[header] - nameStart[header], name);
    }

    /** Writes header {@code i} with the values of its repeats as {@code Name: v1, v2\r\n}. */
    private int writeCombined(final int i, final int count, final int from)
    {
        final byte[] c = scratch;
        final int nameLength = nameEnd[i] - nameStart[i];
        int w = from;
        System.arraycopy(c, nameStart[i], c, w, nameLength);
        w += nameLength;
        c[w++] = ':';
        c[w++] = ' ';
        final int value = w;
        w = copyValue(i, w);
        written[i] = true;
        // libhtp keeps a response's first Content-Length and joins any other repeat.
        final boolean keepFirst = !isRequest() && isNamed(i, CONTENT_LENGTH);
        for (int j = i + 1; j < count; j++)
        {
            if (!written[j] && nameEnd[j] - nameStart[j] == nameLength
                && Ascii.equalsIgnoreCase(c, nameStart[i], nameStart[j], nameLength))
            {
                written[j] = true;
                repeated[j] = true;
                if (!keepFirst)
                {
                    c[w++] = ',';
                    c[w++] = ' ';
                    w = copyValue(j, w);
                }
            }
        }
        final int valueLength = w - value;
        c[w++] = '\r';
        c[w++] = '\n';
        classify(i, value, valueLength);
        return w;
    }

    /**
     * Copies a value; a folded value's line ends are dropped and the blanks around them kept, as libhtp joins
     * continuation lines (leading blanks of the whole value are still trimmed).
     */
    private int copyValue(final int i, final int from)
    {
        final byte[] c = scratch;
        if (!folded[i])
        {
            // One line without a CR: nothing to drop, and its leading blanks were skipped when it was split.
            final int length = valueEnd[i] - valueStart[i];
            System.arraycopy(c, valueStart[i], c, from, length);
            return from + length;
        }
        int w = from;
        for (int s = valueStart[i], e = valueEnd[i]; s < e; s++)
        {
            final byte b = c[s];
            if ('\r' != b && '\n' != b && (w > from || !Ascii.isSpace(b)))
            {
                c[w++] = b;
            }
        }
        return w;
    }

    private void classify(final int header, final int value, final int valueLength)
    {
        if (isNamed(header, isRequest() ? COOKIE : SET_COOKIE))
        {
            start[HttpField.COOKIE.ordinal()] = value;
            length[HttpField.COOKIE.ordinal()] = valueLength;
            return;
        }
        for (int k = 0; k < NAMES.length; k++)
        {
            if (isNamed(header, NAMES[k]))
            {
                start[NAMED[k].ordinal()] = value;
                length[NAMED[k].ordinal()] = valueLength;
                return;
            }
        }
    }

    /** Writes uriNormalized() and host(); returns the next free byte. */
    private int normalizeUri(final int uriStart, final int uriEnd, final int from)
    {
        final byte[] c = scratch;
        int pathStart = uriStart;
        int authorityStart = -1;
        int authorityEnd = -1;
        for (int i = uriStart; i + 2 < uriEnd; i++)
        {
            final byte b = c[i];
            if ('/' == b || '?' == b || '#' == b)
            {
                break;
            }
            if (':' == b && '/' == c[i + 1] && '/' == c[i + 2] && i > uriStart)
            {
                authorityStart = i + 3;
                authorityEnd = authorityStart;
                while (authorityEnd < uriEnd && '/' != c[authorityEnd] && '?' != c[authorityEnd]
                    && '#' != c[authorityEnd])
                {
                    authorityEnd++;
                }
                pathStart = authorityEnd;
                break;
            }
        }
        final int pathEnd = HttpParser.pathEnd(c, pathStart, uriEnd);
        int w = from;
        final int decoded = w;
        for (int i = pathStart; i < pathEnd; i++)
        {
            int b = c[i] & 0xFF;
            if ('%' == b && i + 2 < pathEnd && Ascii.hexValue(c[i + 1]) >= 0 && Ascii.hexValue(c[i + 2]) >= 0)
            {
                b = Ascii.hexValue(c[i + 1]) << 4 | Ascii.hexValue(c[i + 2]);
                i += 2;
            }
            else if ('%' == b && i + 5 < pathEnd && 'u' == Ascii.lower(c[i + 1]) && isHex4(c, i + 2))
            {
                // %uXXXX: the byte when XXXX is below 0x100, else '?' (libhtp's replacement without its map).
                final int high = Ascii.hexValue(c[i + 2]) << 4 | Ascii.hexValue(c[i + 3]);
                b = 0 == high ? Ascii.hexValue(c[i + 4]) << 4 | Ascii.hexValue(c[i + 5]) : '?';
                i += 5;
            }
            if ('\\' == b)
            {
                b = '/';
            }
            if ('/' == b && w > decoded && '/' == c[w - 1])
            {
                continue;
            }
            c[w++] = (byte)b;
        }
        final int decodedEnd = w;
        final int normalized = w;
        if (decodedEnd == decoded && authorityStart >= 0)
        {
            c[w++] = '/';
        }
        w = UriPaths.removeDotSegments(c, decoded, decodedEnd, w);
        System.arraycopy(c, pathEnd, c, w, uriEnd - pathEnd);
        w += uriEnd - pathEnd;
        set(HttpField.URI_NORMALIZED, normalized, w);
        if (authorityStart >= 0)
        {
            int hostStart = authorityStart;
            for (int i = authorityStart; i < authorityEnd; i++)
            {
                if ('@' == c[i])
                {
                    hostStart = i + 1;
                }
            }
            if (0 == length[HttpField.HOST_RAW.ordinal()])
            {
                set(HttpField.HOST_RAW, hostStart, authorityEnd);
            }
            return copyHost(hostStart, authorityEnd - hostStart, w);
        }
        return copyHost(start[HttpField.HOST_RAW.ordinal()], length[HttpField.HOST_RAW.ordinal()], w);
    }

    private static boolean isHex4(final byte[] bytes, final int at)
    {
        return Ascii.hexValue(bytes[at]) >= 0 && Ascii.hexValue(bytes[at + 1]) >= 0
            && Ascii.hexValue(bytes[at + 2]) >= 0 && Ascii.hexValue(bytes[at + 3]) >= 0;
    }

    /** Writes host(): the host without port and trailing dots, lower-cased. */
    private int copyHost(final int from, final int hostLength, final int to)
    {
        final byte[] c = scratch;
        int s = from;
        int e = from + hostLength;
        while (s < e && Ascii.isSpace(c[s]))
        {
            s++;
        }
        while (e > s && Ascii.isSpace(c[e - 1]))
        {
            e--;
        }
        if (s < e && '[' == c[s])
        {
            int close = s;
            while (close < e && ']' != c[close])
            {
                close++;
            }
            e = Math.min(e, close + 1);
        }
        else
        {
            int colon = e - 1;
            while (colon >= s && c[colon] >= '0' && c[colon] <= '9')
            {
                colon--;
            }
            if (colon >= s && ':' == c[colon])
            {
                e = colon;
            }
            while (e > s && '.' == c[e - 1])
            {
                e--;
            }
        }
        int w = to;
        for (int i = s; i < e; i++)
        {
            c[w++] = (byte)Ascii.lower(c[i]);
        }
        set(HttpField.HOST, to, w);
        return w;
    }

    /** Writes fileName(). */
    private void fileName(final int uriStart, final int uriEnd, final int to)
    {
        final int disposition = start[HttpField.CONTENT_DISPOSITION.ordinal()];
        final int dispositionLength = length[HttpField.CONTENT_DISPOSITION.ordinal()];
        if (dispositionLength > 0 && dispositionFileName(disposition, disposition + dispositionLength))
        {
            return;
        }
        if (isRequest())
        {
            final int segment = HttpParser.lastPathSegment(scratch, uriStart, uriEnd);
            set(HttpField.FILE_NAME, segment, HttpParser.pathEnd(scratch, segment, uriEnd));
        }
        else
        {
            final int nameLength = parser.answerNameLength[flow];
            System.arraycopy(parser.answerName, flow * HttpParser.NAME_BYTES, scratch, to, nameLength);
            set(HttpField.FILE_NAME, to, to + nameLength);
        }
    }

    private boolean dispositionFileName(final int from, final int to)
    {
        final byte[] c = scratch;
        int extended = -1;
        int at = from;
        while ((at = Ascii.indexOfLower(c, at, to, FILENAME)) >= 0)
        {
            int j = at + FILENAME.length;
            at = j;
            if (j < to && '*' == c[j])
            {
                extended = extended < 0 ? j + 1 : extended;
                continue;
            }
            while (j < to && Ascii.isSpace(c[j]))
            {
                j++;
            }
            if (j < to && '=' == c[j])
            {
                return parameterValue(j + 1, to, false);
            }
        }
        if (extended >= 0)
        {
            int j = extended;
            while (j < to && '=' != c[j])
            {
                j++;
            }
            return j < to && parameterValue(j + 1, to, true);
        }
        return false;
    }

    /** Sets fileName() from a parameter value: quoted, or a token up to ';'; RFC 5987 charset and language cut. */
    private boolean parameterValue(final int from, final int to, final boolean extended)
    {
        final byte[] c = scratch;
        int s = from;
        while (s < to && Ascii.isSpace(c[s]))
        {
            s++;
        }
        int e;
        if (s < to && '"' == c[s])
        {
            s++;
            e = s;
            while (e < to && '"' != c[e])
            {
                e++;
            }
        }
        else
        {
            e = s;
            while (e < to && ';' != c[e])
            {
                e++;
            }
            while (e > s && Ascii.isSpace(c[e - 1]))
            {
                e--;
            }
        }
        if (extended)
        {
            int quote = e - 1;
            while (quote >= s && '\'' != c[quote])
            {
                quote--;
            }
            s = Math.max(s, quote + 1);
        }
        set(HttpField.FILE_NAME, s, e);
        return e > s;
    }
}
