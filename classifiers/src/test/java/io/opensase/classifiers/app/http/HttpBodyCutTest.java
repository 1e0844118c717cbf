package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpListener#onBodyCut}: a listener that must see whole bodies (DLP) learns when part of one will not
 * be delivered, once per message and before its end (found by a tester: a DLP block profile let an upload
 * padded past the body limit through, as nothing said the body was cut).
 */
class HttpBodyCutTest
{
    @Test
    void aBodyPastTheLimitIsCutOnce()
    {
        final HttpLimits limits = new HttpLimits(1024, 4, 8 << 20, 1000, 3, 4);
        try (Harness h = new Harness(limits, false))
        {
            h.client("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n01234");
            assertEquals(BodyCut.BODY_LIMIT, h.request(0).cut, "said when it happens, before the body ends");
            assertFalse(h.request(0).ended);
            h.client("56789");

            assertEquals("0123", h.request(0).bodyText());
            assertEquals(BodyCut.BODY_LIMIT, h.request(0).cutSeenInView);
            assertEquals(1, h.request(0).cutCalls);
            assertFalse(h.request(0).cutAfterEnd);
            assertTrue(h.request(0).ended);
        }
    }

    @Test
    void aDecompressionBombIsCut()
    {
        final String script = "import sys, gzip; sys.stdout.write(gzip.compress(b'\\0' * (4 << 20), 9).hex())";
        final byte[] bomb = HexFormat.of().parseHex(Tools.python(script).strip());
        final HttpLimits limits = new HttpLimits(4096, 8 << 20, 8 << 20, 100, 3, 4);
        try (Harness h = new Harness(limits, false))
        {
            h.feed(0, ("POST /up HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            h.feed(0, bomb, 10_000);

            assertEquals(BodyCut.DECOMPRESSION_LIMIT, h.request(0).cut);
            assertEquals(1, h.request(0).cutCalls);
            assertTrue(h.request(0).ended);
        }
    }

    @Test
    void aGapInABodyIsCutAtTheNextCall()
    {
        try (Harness h = new Harness())
        {
            h.client("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
            h.parser.gap(h.flow, 0, 4);
            assertNull(h.request(0).cut, "gap has no listener to tell");
            h.client("hij");

            assertEquals(BodyCut.GAP, h.request(0).cut);
            assertEquals("abchij", h.request(0).bodyText());
            assertFalse(h.request(0).cutAfterEnd);
            assertTrue(h.request(0).ended);
        }
    }

    @Test
    void aGapThatLosesABodysEndIsCutBeforeTheEnd()
    {
        try (Harness h = new Harness())
        {
            h.client("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
            h.parser.gap(h.flow, 0, 7);
            h.client("GET /next HTTP/1.1\r\n\r\n");

            assertEquals(BodyCut.GAP, h.request(0).cut);
            assertFalse(h.request(0).cutAfterEnd);
            assertTrue(h.request(0).ended);
            assertNull(h.request(1).cut);
        }
    }

    @Test
    void wholeBodiesAreNotCut()
    {
        try (Harness h = new Harness())
        {
            h.client("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789");
            h.client("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

            assertNull(h.request(0).cut);
            assertNull(h.request(1).cut);
            assertEquals(0, h.request(0).cutCalls + h.request(1).cutCalls);
        }
    }

    /**
     * A body in a coding the parser does not decode is said to be left encoded before its first byte, then
     * delivered as it stands (found by a tester: br and zstd uploads went through a blocking DLP profile).
     */
    @Test
    void aBodyInACodingNotDecodedIsCutAsCoding()
    {
        for (final String coding : new String[] {"br", "zstd", "compress", "gzip, br", "br, gzip, identity"})
        {
            try (Harness h = new Harness())
            {
                h.client("POST / HTTP/1.1\r\nContent-Encoding: " + coding + "\r\nContent-Length: 4\r\n\r\n");
                assertNull(h.request(0).cut, coding + ": nothing is said before a body byte");
                h.client("ab");
                assertEquals(BodyCut.CODING, h.request(0).cut, coding);
                assertEquals(BodyCut.CODING, h.request(0).cutSeenInView, coding);
                h.client("cd");
                assertEquals(1, h.request(0).cutCalls, coding);
                assertTrue(h.request(0).ended, coding);
            }
        }
    }

    @Test
    void identityAndAnEmptyBodyInAnyCodingAreNotCut()
    {
        try (Harness h = new Harness())
        {
            h.client("POST / HTTP/1.1\r\nContent-Encoding: identity\r\nContent-Length: 4\r\n\r\nabcd");
            h.client("POST / HTTP/1.1\r\nContent-Encoding: br\r\nContent-Length: 0\r\n\r\n");
            assertEquals("abcd", h.request(0).bodyText());
            assertEquals(0, h.request(0).cutCalls + h.request(1).cutCalls);
            assertTrue(h.request(1).ended);
        }
    }

    /** A gzip header then data Python's zlib refuses ("invalid block type"): passed through, cut as CODING. */
    @Test
    void corruptGzipIsCutAsCoding()
    {
        final byte[] body = HexFormat.of().parseHex("1f8b0800000000000000ffffffffff");
        try (Harness h = new Harness())
        {
            h.feed(0, ("POST / HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            h.feed(0, body, body.length);
            assertEquals(BodyCut.CODING, h.request(0).cut);
            assertEquals(1, h.request(0).cutCalls);
            assertTrue(h.request(0).ended);
        }
    }

    @Test
    void validGzipIsNotCut()
    {
        final byte[] body = HexFormat.of().parseHex(
            Tools.python("import sys, gzip; sys.stdout.write(gzip.compress(b'plain text', mtime=0).hex())").strip());
        try (Harness h = new Harness())
        {
            h.feed(0, ("POST / HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            h.feed(0, body, body.length);
            assertEquals("plain text", h.request(0).bodyText());
            assertEquals(0, h.request(0).cutCalls);
        }
    }

    /**
     * Found by a tester: a request whose Content-Length was no number (99999999999999999999, -1, +24) or whose two
     * Content-Lengths differed had no body here, or a shorter one, while a server may read the bytes after its
     * headers as its body: DLP never scanned them, and a block profile let a card through. Such a request is now
     * cut as CONTENT_LENGTH once its headers are parsed; with Transfer-Encoding chunked, which wins, it is not.
     */
    @Test
    void aRequestWhoseContentLengthIsNoNumberOrDisagreesIsCut()
    {
        for (final String lengths : new String[] {"Content-Length: 99999999999999999999\r\n",
            "Content-Length: -1\r\n", "Content-Length: +24\r\n", "Content-Length: 3\r\nContent-Length: 24\r\n"})
        {
            try (Harness h = new Harness())
            {
                h.client("POST /u HTTP/1.1\r\nHost: a\r\n" + lengths + "\r\nx=1&card=4111111111111111");

                assertEquals(BodyCut.CONTENT_LENGTH, h.request(0).cut, lengths);
                assertEquals(1, h.request(0).cutCalls, lengths);
                assertFalse(h.request(0).cutAfterEnd, lengths);
            }
        }
        try (Harness h = new Harness())
        {
            h.client("POST /u HTTP/1.1\r\nContent-Length: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n");
            h.client("POST /u HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc");

            assertNull(h.request(0).cut, "chunked framing does not depend on the length");
            assertEquals("abc", h.request(0).bodyText());
            assertNull(h.request(1).cut, "repeated equal lengths agree");
        }
        try (Harness h = new Harness())
        {
            h.server("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");

            assertNull(h.response(0).cut, "a response's body is not scanned by DLP; nothing is said");
        }
    }
}
