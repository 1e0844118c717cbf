package io.opensase.classifiers.app.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Identifies HTTP/1.x by content rather than by port, from the first bytes of a direction's stream; stateless,
 * for any thread, allocates nothing.
 */
public final class HttpDetector
{
    /** Request methods of RFC 9110, WebDAV (RFC 4918, 3253, 5323) and UPnP, as {@code AppDetector} knows them. */
    private static final byte[][] METHODS = {
        ascii("GET"), ascii("POST"), ascii("HEAD"), ascii("PUT"), ascii("DELETE"), ascii("OPTIONS"),
        ascii("CONNECT"), ascii("TRACE"), ascii("PATCH"), ascii("PROPFIND"), ascii("PROPPATCH"), ascii("MKCOL"),
        ascii("COPY"), ascii("MOVE"), ascii("LOCK"), ascii("UNLOCK"), ascii("SEARCH"), ascii("REPORT"),
        ascii("CHECKOUT"), ascii("MERGE"), ascii("MKACTIVITY"), ascii("UPDATE"), ascii("NOTIFY"), ascii("SUBSCRIBE"),
        ascii("UNSUBSCRIBE"), ascii("M-SEARCH")};
    private static final byte[] HTTP1 = ascii("HTTP/1.");

    private HttpDetector()
    {
    }

    /**
     * How many CR and LF bytes {@code data[offset, offset+length)} starts with, at most {@code limit}: the empty
     * lines a start line may follow (libhtp, nginx and Apache skip them), to be skipped before the tests below.
     */
    public static int leadingLineEnds(final MemorySegment data, final long offset, final int length, final int limit)
    {
        final int n = Math.min(length, limit);
        int i = 0;
        while (i < n)
        {
            final byte b = data.get(ValueLayout.JAVA_BYTE, offset + i);
            if ('\r' != b && '\n' != b)
            {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * True when {@code data[offset, offset+length)} starts with a known request method (upper case, as sent)
     * followed by a space. Fewer bytes than that answer false.
     */
    public static boolean looksLikeRequest(final MemorySegment data, final long offset, final int length)
    {
        for (final byte[] method : METHODS)
        {
            if (length > method.length && startsWith(data, offset, method)
                && ' ' == data.get(ValueLayout.JAVA_BYTE, offset + method.length))
            {
                return true;
            }
        }
        return false;
    }

    /** True when {@code data[offset, offset+length)} starts with {@code HTTP/1.}. */
    public static boolean looksLikeResponse(final MemorySegment data, final long offset, final int length)
    {
        return length >= HTTP1.length && startsWith(data, offset, HTTP1);
    }

    private static boolean startsWith(final MemorySegment data, final long offset, final byte[] prefix)
    {
        for (int i = 0; i < prefix.length; i++)
        {
            if (prefix[i] != data.get(ValueLayout.JAVA_BYTE, offset + i))
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
