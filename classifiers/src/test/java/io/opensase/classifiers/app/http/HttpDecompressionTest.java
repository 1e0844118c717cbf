package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed bodies made by Python's zlib and gzip modules (never by the code under test), in every framing,
 * whole and split into small pieces.
 */
class HttpDecompressionTest
{
    private static final String TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(200)
        + "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    /**
     * Python compresses TEXT: {@code layers} is a comma-separated list of gzip, zlib, raw, gzipname (a member
     * with FNAME, FCOMMENT, FEXTRA and FHCRC set), gzip2 (two members), applied in order. Gzip members carry
     * mtime 0, so that two calls give the same bytes (with the clock's time, a test comparing the output of two
     * calls failed when they fell in different seconds).
     */
    private static byte[] compress(final String layers)
    {
        final String script = """
            import sys, zlib, gzip, struct
            data = sys.argv[1].encode('latin-1')
            def raw(d):
                c = zlib.compressobj(6, zlib.DEFLATED, -15); return c.compress(d) + c.flush()
            def gzipname(d):
                extra = b'AB' + struct.pack('<H', 3) + b'xyz'
                head = b'\\x1f\\x8b\\x08' + bytes([2 | 4 | 8 | 16]) + b'\\0\\0\\0\\0\\0\\xff'
                head += struct.pack('<H', len(extra)) + extra + b'name.txt\\0' + b'a comment\\0'
                head += struct.pack('<H', zlib.crc32(head) & 0xffff)
                return head + raw(d) + struct.pack('<II', zlib.crc32(d), len(d) & 0xffffffff)
            def gz(d):
                return gzip.compress(d, mtime=0)
            def gzip2(d):
                h = len(d) // 2
                return gz(d[:h]) + gz(d[h:])
            f = {'gzip': gz, 'zlib': zlib.compress, 'raw': raw, 'gzipname': gzipname, 'gzip2': gzip2}
            for layer in sys.argv[2].split(','):
                data = f[layer](data)
            sys.stdout.write(data.hex())
            """;
        return HexFormat.of().parseHex(Tools.python(script, TEXT, layers).strip());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "gzip; gzip",
        "zlib; deflate",
        "raw; deflate",
        "raw; gzip",
        "gzipname; x-gzip",
        "gzip2; gzip",
        "zlib,gzip; deflate, gzip",
        "gzip,raw,gzip; gzip, identity, deflate, gzip"})
    void shouldDecodeEveryFraming(final String made, final String header)
    {
        final byte[] body = compress(made);
        for (final boolean chunked : new boolean[] {false, true})
        {
            for (final int piece : new int[] {body.length + 200, 7, 1})
            {
                try (Harness h = new Harness())
                {
                    h.client("GET /f HTTP/1.1\r\n\r\n");
                    h.feed(1, response(header, body, chunked), piece);

                    assertEquals(TEXT, h.response(0).bodyText(), made + " chunked=" + chunked + " piece=" + piece);
                    assertTrue(h.response(0).ended);
                    assertEquals(0, h.count(HttpCounter.DECOMPRESSION_ERROR));
                }
            }
        }
    }

    @Test
    void shouldPassCorruptDataThroughAndCountIt()
    {
        final byte[] body = compress("gzip");
        body[30] ^= (byte)0xFF;
        body[31] ^= (byte)0xFF;
        try (Harness h = new Harness())
        {
            h.client("GET /f HTTP/1.1\r\n\r\n");
            h.feed(1, response("gzip", body, false), 10_000);

            assertEquals(1, h.count(HttpCounter.DECOMPRESSION_ERROR));
            assertTrue(h.response(0).ended);
            assertTrue(h.response(0).body.size() > 0, "what could not be inflated is delivered as it is");
        }
    }

    /**
     * Found by a tester (D8): bytes after the end of a zlib or raw deflate stream were dropped unseen (no body,
     * no cut, no count), where the same bytes after a gzip member were delivered as corrupt data. All three now
     * take the gzip path: the text is decoded, the trailing bytes fail to inflate as raw deflate (a space starts
     * a stored block whose lengths do not check), are counted and delivered as they stand, and the body is
     * reported left in its coding.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"gzip; gzip", "zlib; deflate", "raw; deflate"})
    void shouldDeliverTheBytesAfterTheEndOfAStream(final String made, final String header)
    {
        final byte[] stream = compress(made);
        final byte[] trailing = " trailing card 4111111111111111 end".getBytes(StandardCharsets.ISO_8859_1);
        final byte[] body = java.util.Arrays.copyOf(stream, stream.length + trailing.length);
        System.arraycopy(trailing, 0, body, stream.length, trailing.length);
        for (final boolean chunked : new boolean[] {false, true})
        {
            for (final int piece : new int[] {body.length + 200, 7, 1})
            {
                try (Harness h = new Harness())
                {
                    h.client("GET /f HTTP/1.1\r\n\r\n");
                    h.feed(1, response(header, body, chunked), piece);

                    final String seen = made + " chunked=" + chunked + " piece=" + piece;
                    final String text = h.response(0).bodyText();
                    assertTrue(text.startsWith(TEXT), seen);
                    assertTrue(text.endsWith("card 4111111111111111 end"), seen + ": " + text.substring(TEXT.length()));
                    assertEquals(BodyCut.CODING, h.response(0).cut, seen);
                    assertEquals(1, h.count(HttpCounter.DECOMPRESSION_ERROR), seen);
                    assertTrue(h.response(0).ended, seen);
                }
            }
        }
    }

    /** A folded Content-Encoding is read over its continuation line, as Transfer-Encoding is (D7). */
    @Test
    void shouldDecodeByAFoldedContentEncoding()
    {
        final byte[] body = compress("zlib,gzip");
        final byte[] folded = ("HTTP/1.1 200 OK\r\nContent-Encoding: deflate,\r\n gzip\r\nContent-Length: "
            + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        final byte[] message = java.util.Arrays.copyOf(folded, folded.length + body.length);
        System.arraycopy(body, 0, message, folded.length, body.length);
        try (Harness h = new Harness())
        {
            h.client("GET /f HTTP/1.1\r\n\r\n");
            h.feed(1, message);

            assertEquals(TEXT, h.response(0).bodyText());
            assertEquals(null, h.response(0).cut);
        }
    }

    /**
     * A listener that needs no more of a body declines it: the parser stops inflating (no more body, no cut, no
     * count), still frames the message, so the next one parses whole, and counts the body as sent.
     */
    @Test
    void shouldStopInflatingADeclinedBodyAndFrameTheMessage()
    {
        final String script = "import sys, gzip, random; random.seed(7); "
            + "d = ''.join(random.choice('abcdefghij ') for _ in range(200000)).encode(); "
            + "sys.stdout.write(gzip.compress(d).hex())";
        final byte[] gzip = HexFormat.of().parseHex(Tools.python(script).strip());
        for (final boolean chunked : new boolean[] {false, true})
        {
            try (Harness h = new Harness())
            {
                h.recorder.declineFrom = 1;
                h.client("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
                h.feed(1, response("gzip", gzip, chunked), 1460);
                h.server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

                assertTrue(h.response(0).ended);
                assertTrue(h.response(0).body.size() <= 32 * 1024, "one piece: " + h.response(0).body.size());
                assertEquals(null, h.response(0).cut, "declined is no cut");
                assertEquals(gzip.length, h.response(0).bodyLength, "the body as sent");
                assertEquals(0, h.count(HttpCounter.DECOMPRESSION_BOMB) + h.count(HttpCounter.BODY_TRUNCATED));
                assertEquals("ok", h.response(1).bodyText(), "the next message after it, chunked " + chunked);
            }
        }
    }

    @Test
    void shouldStopADecompressionBomb()
    {
        final String script = "import sys, gzip; sys.stdout.write(gzip.compress(b'\\0' * (4 << 20), 9).hex())";
        final byte[] bomb = HexFormat.of().parseHex(Tools.python(script).strip());
        final HttpLimits limits = new HttpLimits(4096, 8 << 20, 8 << 20, 100, 3, 4);
        try (Harness h = new Harness(limits, false))
        {
            h.client("GET /f HTTP/1.1\r\n\r\n");
            h.feed(1, response("gzip", bomb, false), 100_000);

            assertEquals(1, h.count(HttpCounter.DECOMPRESSION_BOMB));
            assertTrue(h.response(0).body.size() < (1 << 20), "stopped early: " + h.response(0).body.size());
            assertTrue(h.response(0).ended);
        }
    }

    @Test
    void shouldLeaveUnsupportedAndSurplusLayersEncoded()
    {
        final byte[] gzip = compress("gzip");
        try (Harness h = new Harness())
        {
            h.client("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
            h.feed(1, response("br", gzip, false), 10_000);
            h.feed(1, response("gzip, gzip, gzip, gzip", compress("gzip,gzip,gzip,gzip"), false), 10_000);

            assertEquals(1, h.count(HttpCounter.UNSUPPORTED_ENCODING));
            assertEquals(new String(gzip, StandardCharsets.ISO_8859_1), h.response(0).bodyText());
            assertEquals(1, h.count(HttpCounter.TOO_MANY_ENCODINGS));
            assertEquals(new String(gzip, StandardCharsets.ISO_8859_1), h.response(1).bodyText(),
                "three of four layers decoded leaves the innermost gzip");
        }
    }

    @Test
    void shouldDeliverCompressedWhenThePoolIsEmpty()
    {
        final byte[] gzip = compress("gzip");
        final HttpLimits limits = new HttpLimits(4096, 1 << 20, 8 << 20, 1000, 3, 0);
        try (Harness h = new Harness(limits, false))
        {
            h.client("GET /f HTTP/1.1\r\n\r\n");
            h.feed(1, response("gzip", gzip, false), 10_000);

            assertEquals(1, h.count(HttpCounter.NO_INFLATER));
            assertEquals(new String(gzip, StandardCharsets.ISO_8859_1), h.response(0).bodyText());
        }
    }

    private static byte[] response(final String encoding, final byte[] body, final boolean chunked)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final String head = "HTTP/1.1 200 OK\r\nContent-Encoding: " + encoding + "\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        if (chunked)
        {
            for (int at = 0; at < body.length; at += 100)
            {
                final int n = Math.min(100, body.length - at);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, at, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        else
        {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }
}
