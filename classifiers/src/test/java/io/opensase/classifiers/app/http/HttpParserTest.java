package io.opensase.classifiers.app.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written messages with hand-worked expected buffers (Suricata's formats), fed whole and byte by byte. */
class HttpParserTest
{
    private static final String REQUEST = "GET /a/./b/../c%2Fd.php?q=%41+1 HTTP/1.1\r\n"
        + "Host: WWW.Example.COM:8080\r\n"
        + "User-Agent: curl/8.0\r\n"
        + "Cookie: a=1\r\n"
        + "Accept: */*\r\n"
        + "X-Dup: one\r\n"
        + "Accept-Language: en\r\n"
        + "x-dup: two\r\n"
        + "Referer: http://r.example/\r\n"
        + "Accept-Encoding: gzip\r\n"
        + "Cookie: b=2\r\n"
        + "\r\n";

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldBuildTheRequestBuffersAsSuricataDoes(final boolean byteByByte)
    {
        try (Harness h = new Harness(HttpLimits.defaults(), byteByByte))
        {
            h.client(REQUEST);

            final Recorder.Message m = h.request(0);
            assertEquals("GET", m.field(HttpField.METHOD));
            assertEquals("/a/./b/../c%2Fd.php?q=%41+1", m.field(HttpField.URI_RAW));
            assertEquals("/a/c/d.php?q=%41+1", m.field(HttpField.URI_NORMALIZED));
            assertEquals("www.example.com", m.field(HttpField.HOST));
            assertEquals("WWW.Example.COM:8080", m.field(HttpField.HOST_RAW));
            assertEquals("GET /a/./b/../c%2Fd.php?q=%41+1 HTTP/1.1", m.field(HttpField.REQUEST_LINE));
            assertEquals("Host: WWW.Example.COM:8080\r\n"
                + "User-Agent: curl/8.0\r\n"
                + "Accept: */*\r\n"
                + "X-Dup: one, two\r\n"
                + "Accept-Language: en\r\n"
                + "Referer: http://r.example/\r\n"
                + "Accept-Encoding: gzip\r\n", m.field(HttpField.HEADER));
            assertEquals("\r\nHost\r\nUser-Agent\r\nCookie\r\nAccept\r\nX-Dup\r\nAccept-Language\r\nReferer\r\n"
                + "Accept-Encoding\r\n\r\n", m.field(HttpField.HEADER_NAMES));
            assertEquals(REQUEST.substring(REQUEST.indexOf("Host:"), REQUEST.length() - 2),
                m.field(HttpField.HEADER_RAW));
            assertEquals("a=1, b=2", m.field(HttpField.COOKIE));
            assertEquals("curl/8.0", m.field(HttpField.USER_AGENT));
            assertEquals("*/*", m.field(HttpField.ACCEPT));
            assertEquals("gzip", m.field(HttpField.ACCEPT_ENCODING));
            assertEquals("en", m.field(HttpField.ACCEPT_LANGUAGE));
            assertEquals("http://r.example/", m.field(HttpField.REFERER));
            assertEquals("c%2Fd.php", m.field(HttpField.FILE_NAME), "last path segment as sent: %2F is no slash");
            assertEquals("", m.field(HttpField.STATUS_CODE));
            assertEquals(-1, m.declaredLength);
            assertTrue(m.ended, "a GET without length has no body");
            assertEquals(1, h.count(HttpCounter.REQUESTS));
        }
    }

    @Test
    void shouldBuildTheResponseBuffersAndExcludeSetCookie()
    {
        try (Harness h = new Harness())
        {
            h.client("GET /dl/report.pdf HTTP/1.1\r\nHost: x\r\n\r\n");
            h.server("HTTP/1.1 302 Found it\r\nServer: nginx\r\nSet-Cookie: s=1\r\nLocation: /next\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");

            final Recorder.Message m = h.response(0);
            assertEquals("HTTP/1.1 302 Found it", m.field(HttpField.RESPONSE_LINE));
            assertEquals("302", m.field(HttpField.STATUS_CODE));
            assertEquals("Found it", m.field(HttpField.STATUS_MESSAGE));
            assertEquals("nginx", m.field(HttpField.SERVER));
            assertEquals("/next", m.field(HttpField.LOCATION));
            assertEquals("s=1", m.field(HttpField.COOKIE));
            assertEquals("text/plain", m.field(HttpField.CONTENT_TYPE));
            assertEquals("5", m.field(HttpField.CONTENT_LENGTH));
            assertEquals("Server: nginx\r\nLocation: /next\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n",
                m.field(HttpField.HEADER));
            assertEquals("report.pdf", m.field(HttpField.FILE_NAME), "from the request's URI");
            assertEquals("hello", m.bodyText());
            assertEquals(5, m.declaredLength);
            assertTrue(m.ended);
            assertEquals(0, m.transaction);
        }
    }

    @Test
    void shouldUnfoldHeadersAndAcceptBareLineFeeds()
    {
        try (Harness h = new Harness())
        {
            h.client("POST /u HTTP/1.0\nHost: h\nX-Long: part one\n   part two\n\tpart three\nX-Empty:\r\n  late\r\n"
                + "Content-Length: 3\n\nabc");

            final Recorder.Message m = h.request(0);
            assertEquals("Host: h\r\nX-Long: part one   part two\tpart three\r\nX-Empty: late\r\nContent-Length: 3\r\n",
                m.field(HttpField.HEADER));
            assertEquals("abc", m.bodyText());
            assertTrue(m.ended);
        }
    }

    /**
     * Found by a tester (D7): {@code Transfer-Encoding:} CRLF {@code " chunked"} showed chunked in the header
     * buffer, but framing read the first line only, so the chunked body was never de-chunked (its chunks were
     * taken as the next request). libhtp joins continuation lines before it reads a value: Transfer-Encoding and
     * Content-Length are read over them, in both directions, whole and byte by byte.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldFrameByFoldedTransferEncodingAndContentLength(final boolean byteByByte)
    {
        try (Harness h = new Harness(HttpLimits.defaults(), byteByByte))
        {
            h.client("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                + "POST /b HTTP/1.1\r\nContent-Length:\r\n\t3\r\n\r\nabc"
                + "POST /c HTTP/1.1\nTransfer-Encoding: identity,\n\t \n chunked\nContent-Length: 9\n\n"
                + "2\r\nxy\r\n0\r\n\r\n"
                + "GET /d HTTP/1.1\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n  chunked \r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length:  \r\n 4 \r\n\r\nwxyz"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

            assertEquals(4, h.recorder.requests().size());
            assertEquals("Host: h\r\nTransfer-Encoding: chunked\r\n", h.request(0).field(HttpField.HEADER));
            assertTrue(h.request(0).chunked);
            assertEquals("hello world", h.request(0).bodyText());
            assertEquals("/b", h.request(1).field(HttpField.URI_RAW));
            assertEquals(3, h.request(1).declaredLength);
            assertEquals("abc", h.request(1).bodyText());
            assertEquals(null, h.request(1).cut);
            assertTrue(h.request(2).chunked, "chunked in the continuation of a value");
            assertEquals("xy", h.request(2).bodyText());
            assertEquals("/d", h.request(3).field(HttpField.URI_RAW));
            assertEquals("abc", h.response(0).bodyText());
            assertEquals(4, h.response(1).declaredLength);
            assertEquals("wxyz", h.response(1).bodyText());
            assertEquals(3, h.recorder.responses().size());
            assertTrue(h.response(2).ended);
            assertEquals(0, h.count(HttpCounter.BAD_CONTENT_LENGTH));
            assertEquals(0, h.count(HttpCounter.MALFORMED_REQUEST_LINE));
        }
    }

    /** A Content-Length continued by more digits reads as libhtp joins it, {@code "1 0"}: no number. */
    @Test
    void shouldTakeAContentLengthSplitOverTwoLinesAsNoNumber()
    {
        try (Harness h = new Harness())
        {
            h.client("POST /a HTTP/1.1\r\nContent-Length: 1\r\n 0\r\n\r\n");

            assertEquals(1, h.count(HttpCounter.BAD_CONTENT_LENGTH));
            assertEquals(BodyCut.CONTENT_LENGTH, h.request(0).cut);
            assertEquals(-1, h.request(0).declaredLength);
        }
    }

    /** A bare CR inside a value is dropped as a line end is; repeats are joined, each value copied whole. */
    @Test
    void shouldDropABareCarriageReturnInsideAValue()
    {
        try (Harness h = new Harness())
        {
            h.client("GET / HTTP/1.1\r\nX-A: a\rb\r\nX-B: plain value\r\nX-B:  second\r\nX-C: c\r \r\n\r\n");

            assertEquals("X-A: ab\r\nX-B: plain value, second\r\nX-C: c\r\n", h.request(0).field(HttpField.HEADER));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldPairPipelinedRequestsWithResponsesWithoutBodies(final boolean byteByByte)
    {
        try (Harness h = new Harness(HttpLimits.defaults(), byteByByte))
        {
            h.client("HEAD /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: h\r\n\r\nGET /4 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /5 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok");
            h.server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"
                + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody"
                + "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
            h.end(1);

            assertEquals(5, h.recorder.requests().size());
            assertEquals(6, h.recorder.responses().size());
            assertEquals("ok", h.request(4).bodyText());
            final int[] transactions = {0, 1, 2, 3, 3, 4};
            final String[] bodies = {"", "", "", "", "body", "until the end"};
            for (int i = 0; i < 6; i++)
            {
                assertEquals(transactions[i], h.response(i).transaction, "response " + i);
                assertEquals(bodies[i], h.response(i).bodyText(), "response " + i);
                assertTrue(h.response(i).ended, "response " + i);
            }
            assertEquals(1, h.count(HttpCounter.INTERIM_RESPONSES));
            assertEquals(5, h.count(HttpCounter.RESPONSES));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldDechunkWithExtensionsTrailersAndOddSizeLines(final boolean byteByByte)
    {
        try (Harness h = new Harness(HttpLimits.defaults(), byteByByte))
        {
            h.client("GET / HTTP/1.1\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "0006  \r\n world\r\n"
                + "1x\n!\n"
                + "0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nZ");

            assertEquals("hello world!", h.response(0).bodyText());
            assertTrue(h.response(0).chunked);
            assertTrue(h.response(0).ended);
            assertEquals("Z", h.response(1).bodyText());
            assertEquals(0, h.count(HttpCounter.BAD_CHUNK_SIZE));
        }
    }

    /**
     * A chunk size written {@code 0x10} is the digit 0 and junk after it: the last chunk, as libhtp reads it (its
     * chunk-length parser takes the leading hex digits and ignores what follows), so the 16 bytes after it are
     * trailer lines and the next request follows the empty line.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReadAChunkSizeWithAHexPrefixAsZeroAsLibhtpDoes(final boolean byteByByte)
    {
        try (Harness h = new Harness(HttpLimits.defaults(), byteByByte))
        {
            h.client("POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0x10\r\n0123456789abcdef\r\n0\r\n\r\n"
                + "GET /next HTTP/1.1\r\n\r\n");

            assertEquals("", h.request(0).bodyText());
            assertTrue(h.request(0).ended);
            assertEquals("/next", h.request(1).field(HttpField.URI_RAW));
            assertEquals(0, h.count(HttpCounter.BAD_CHUNK_SIZE));
        }
    }

    @Test
    void shouldTakeTheRestAsBodyAfterABadChunkSize()
    {
        try (Harness h = new Harness())
        {
            h.client("GET / HTTP/1.1\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nsecret payload");
            h.end(1);

            assertEquals("secret payload", h.response(0).bodyText());
            assertEquals(1, h.count(HttpCounter.BAD_CHUNK_SIZE));
        }
    }

    @Test
    void shouldNormaliseAbsoluteUrisAndTakeTheirHost()
    {
        try (Harness h = new Harness())
        {
            h.client("GET http://user@Proxy.Example:3128/x/%2e%2e/y/./z/ HTTP/1.1\r\nHost: other:80\r\n\r\n");
            h.client("GET /../../etc//passwd?x=/../ HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
            h.client("OPTIONS * HTTP/1.1\r\nHost: H.example..\r\n\r\n");
            h.client("GET /a\\b%5c..%2f%2F%u0063%u4e2d%zz/%2e/d HTTP/1.1\r\n\r\n");

            assertEquals("/y/z/", h.request(0).field(HttpField.URI_NORMALIZED));
            assertEquals("proxy.example", h.request(0).field(HttpField.HOST));
            assertEquals("other:80", h.request(0).field(HttpField.HOST_RAW));
            assertEquals("/etc/passwd?x=/../", h.request(1).field(HttpField.URI_NORMALIZED));
            assertEquals("[::1]", h.request(1).field(HttpField.HOST));
            assertEquals("passwd", h.request(1).field(HttpField.FILE_NAME));
            assertEquals("*", h.request(2).field(HttpField.URI_NORMALIZED));
            assertEquals("h.example", h.request(2).field(HttpField.HOST));
            // \ and %5c are slashes, ..%2f is a dot segment, %2F joins the run of slashes, %u0063 is 'c', %u4e2d
            // is past a byte, %zz stays, %2e is a dot segment.
            assertEquals("/a/c?%zz/d", h.request(3).field(HttpField.URI_NORMALIZED));
        }
    }

    @Test
    void shouldReadTheFileNameFromContentDisposition()
    {
        try (Harness h = new Harness())
        {
            h.client("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c/ HTTP/1.1\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=plain.txt; size=3\r\n"
                + "Content-Length: 0\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename*=UTF-8''n%C3%A9.txt\r\n"
                + "Content-Length: 0\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

            assertEquals("plain.txt", h.response(0).field(HttpField.FILE_NAME));
            assertEquals("n%C3%A9.txt", h.response(1).field(HttpField.FILE_NAME));
            assertEquals("", h.response(2).field(HttpField.FILE_NAME), "a path ending with a slash has no name");
        }
    }

    @Test
    void shouldCountMalformedInputAndResynchronise()
    {
        try (Harness h = new Harness())
        {
            // The server's garbage comes before any request: midstream, it is skipped up to a status line.
            h.server("SSH-2.0-OpenSSH\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n"
                + "Content-Length: x\r\n\r\nab");
            h.client("\u0001\u0002garbage line\r\nmore\r\nGET /ok HTTP/1.1\r\nNoColonHere\r\n: empty name\r\nA: b\r\n\r\n");

            assertEquals(1, h.recorder.requests().size());
            assertEquals("/ok", h.request(0).field(HttpField.URI_RAW));
            assertEquals("A: b\r\n", h.request(0).field(HttpField.HEADER));
            assertEquals(1, h.count(HttpCounter.MALFORMED_REQUEST_LINE));
            assertEquals(2, h.count(HttpCounter.MALFORMED_HEADER_LINE));
            assertEquals(1, h.count(HttpCounter.MALFORMED_STATUS_LINE));
            assertEquals(1, h.count(HttpCounter.CONFLICTING_CONTENT_LENGTH));
            assertEquals("2", h.response(0).field(HttpField.CONTENT_LENGTH), "a response keeps its first length");
            assertEquals(1, h.count(HttpCounter.BAD_CONTENT_LENGTH));
            assertEquals("ab", h.response(0).bodyText());
            // Found by a tester: the listener was not told, so DLP never saw a client's bytes passed over here.
            assertEquals(List.of("response", "request"), h.recorder.startLinesMalformed);
        }
    }

    @Test
    void shouldTakeAnAnswerWithoutStatusLineAsAnHttp09Body()
    {
        try (Harness h = new Harness())
        {
            h.client("GET /eicar.txt HTTP/1.1\r\nHost: h\r\n\r\n");
            h.server("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\r\n");
            h.server("HTTP/1.1 200 OK\r\n\r\nrest");
            h.end(1);

            assertEquals(1, h.recorder.responses().size());
            assertEquals("", h.response(0).field(HttpField.STATUS_CODE));
            assertEquals("eicar.txt", h.response(0).field(HttpField.FILE_NAME));
            assertEquals("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\r\n"
                + "HTTP/1.1 200 OK\r\n\r\nrest", h.response(0).bodyText());
            assertTrue(h.response(0).ended);
            assertEquals(1, h.count(HttpCounter.MALFORMED_STATUS_LINE));
            assertEquals(List.of(), h.recorder.startLinesMalformed, "an HTTP/0.9 answer is not passed over");
        }
    }

    @Test
    void shouldSkipHeadersLongerThanTheLimit()
    {
        final HttpLimits limits = new HttpLimits(256, 1 << 20, 8 << 20, 1000, 3, 4);
        try (Harness h = new Harness(limits, false))
        {
            h.client("GET /big HTTP/1.1\r\nX: " + "a".repeat(300) + "\r\n\r\nGET /small HTTP/1.1\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nX: " + "b".repeat(300) + "\r\n\r\n");

            assertEquals(1, h.recorder.requests().size());
            assertEquals("/small", h.request(0).field(HttpField.URI_RAW));
            assertEquals(2, h.count(HttpCounter.HEADER_TOO_LONG));
            // Found by a tester: the listener was not told, so DLP let the unparsed request through unscanned.
            assertEquals(List.of("request", "response"), h.recorder.headersTooLong);
        }
    }

    @Test
    void shouldContinueABodyAcrossAGapAndResynchroniseAfterALostHeader()
    {
        try (Harness h = new Harness())
        {
            h.client("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
            h.server("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            h.parser.gap(h.flow, 1, 4);
            h.server("hij");
            h.server("HTTP/1.1 200 OK\r\nContent-Le");
            h.parser.gap(h.flow, 1, 20);
            h.server("ngth: 3\r\n\r\nxyz\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

            assertEquals("abchij", h.response(0).bodyText());
            assertEquals(java.util.List.of(0L, 7L), h.response(0).offsets);
            assertTrue(h.response(0).ended);
            assertEquals(2, h.recorder.responses().size());
            assertEquals("404", h.response(1).field(HttpField.STATUS_CODE));
            assertEquals(2, h.count(HttpCounter.GAPS));
            assertEquals(1, h.count(HttpCounter.GAP_IN_BODY));
            assertEquals(1, h.count(HttpCounter.GAP_RESYNC));
        }
    }

    @Test
    void shouldResynchroniseOnAStartLineThatOpensTheNextFeed()
    {
        try (Harness h = new Harness())
        {
            h.server("garbage\r\n");
            h.server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            h.server("more garbage");
            h.server("HTTP/1.1 500 Not at a line start\r\n\r\n");

            assertEquals(1, h.recorder.responses().size());
            assertEquals("200", h.response(0).field(HttpField.STATUS_CODE));
        }
    }

    @Test
    void shouldStopParsingATunnel()
    {
        try (Harness h = new Harness())
        {
            h.client("CONNECT host:443 HTTP/1.1\r\nHost: host:443\r\n\r\n\u0016\u0003\u0001binary");
            h.server("HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003\u0003more binary");
            h.client("GET /not-http HTTP/1.1\r\n\r\n");

            assertEquals(1, h.recorder.requests().size());
            assertEquals(1, h.recorder.responses().size());
            assertEquals(1, h.count(HttpCounter.TUNNELS));
            assertEquals(0, h.count(HttpCounter.MALFORMED_REQUEST_LINE));
        }
    }

    @Test
    void shouldParseTheClientAgainWhenATunnelIsRefused()
    {
        try (Harness h = new Harness())
        {
            h.client("CONNECT host:443 HTTP/1.1\r\n\r\n");
            h.server("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
            h.client("GET /after HTTP/1.1\r\n\r\n");

            assertEquals(2, h.recorder.requests().size());
            assertEquals("/after", h.request(1).field(HttpField.URI_RAW));
            assertEquals(0, h.count(HttpCounter.TUNNELS));
        }
    }

    @Test
    void shouldTruncateBodiesAtTheLimit()
    {
        final HttpLimits limits = new HttpLimits(1024, 4, 8 << 20, 1000, 3, 4);
        try (Harness h = new Harness(limits, false))
        {
            h.client("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789GET /next HTTP/1.1\r\n\r\n");

            assertEquals("0123", h.request(0).bodyText());
            assertEquals("/next", h.request(1).field(HttpField.URI_RAW));
            assertEquals(1, h.count(HttpCounter.BODY_TRUNCATED));
        }
    }

    @Test
    void shouldParseHttp09RequestsAndRefuseFlowsWhenFull()
    {
        try (Harness h = new Harness())
        {
            h.client("GET /old\r\n");

            assertEquals("/old", h.request(0).field(HttpField.URI_RAW));
            assertEquals("", h.request(0).field(HttpField.HEADER));
            assertEquals(1, h.parser.open());
            assertEquals(-1, h.parser.open());
            assertEquals(1, h.count(HttpCounter.FLOWS_REFUSED));
            h.parser.close(1);
            assertEquals(1, h.parser.open());
        }
    }

    @Test
    void shouldNotReportAMessageWithoutItsEmptyLine()
    {
        try (Harness h = new Harness())
        {
            h.client("GET / HTTP/1.1\r\nHost: h\r\n");
            h.end(0);

            assertTrue(h.recorder.messages.isEmpty());
            assertEquals(1, h.count(HttpCounter.INCOMPLETE_MESSAGES));
            assertFalse(h.parser.counters().snapshot().isEmpty());
        }
    }

    @Test
    void shouldIdentifyHttpByContent()
    {
        assertTrue(HttpDetector.looksLikeRequest(bytes("GET / HTTP/1.1"), 0, 14));
        assertTrue(HttpDetector.looksLikeRequest(bytes("xxPROPFIND /"), 2, 10));
        assertFalse(HttpDetector.looksLikeRequest(bytes("GET"), 0, 3), "no space yet");
        assertFalse(HttpDetector.looksLikeRequest(bytes("get / HTTP/1.1"), 0, 14), "methods are case-sensitive");
        assertFalse(HttpDetector.looksLikeRequest(bytes("GETX /"), 0, 6));
        assertFalse(HttpDetector.looksLikeRequest(bytes("\u0016\u0003\u0001"), 0, 3));
        assertTrue(HttpDetector.looksLikeResponse(bytes("HTTP/1.0 200 OK"), 0, 15));
        assertFalse(HttpDetector.looksLikeResponse(bytes("HTTP/2.0 200"), 0, 12));
        assertFalse(HttpDetector.looksLikeResponse(bytes("HTTP/1"), 0, 6));
    }

    private static MemorySegment bytes(final String text)
    {
        return MemorySegment.ofArray(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
