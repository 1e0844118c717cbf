package io.opensase.classifiers.app.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message that finds every header block held is still framed: its head is read without being kept, its body
 * skipped by its length, chunks or the end of the stream, and it takes its place in the request/response
 * pairing, so that the next message is parsed whole. Found by a tester: a response skipped for want of a block
 * whose body did not end with a line feed glued the next status line to it, and the next transaction was lost.
 * <p>
 * Each test holds the pool with stalled heads on other flows ({@link #holdBlocks}), feeds a message on its own
 * flow, gives a block back ({@link #releaseOne}) and feeds the next message.
 */
class HttpUnkeptHeadTest
{
    private static final String STALLED = "GET /stalled HTTP/1.1\r\nHost: s\r\n";

    private final Arena arena = Arena.ofConfined();
    private final Recorder recorder = new Recorder();
    private HttpParser parser;
    private int[] holders;

    @AfterEach
    void closeArena()
    {
        if (null != parser)
        {
            parser.close();
        }
        arena.close();
    }

    /** The tester's input: a Content-Length body ending "xyz", the next keep-alive response right after it. */
    @Test
    void shouldSeeTheResponseAfterOneWithoutABlockWhoseBodyEndsWithoutALineFeed()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "GET /one.txt HTTP/1.1\r\nHost: h\r\n\r\nGET /two.txt HTTP/1.1\r\nHost: h\r\n\r\n");
        holdBlocks();

        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabcdefxyz");
        releaseOne();
        feed(flow, 1, "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\ngone");

        assertEquals(1, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
        assertEquals(List.of("response"), recorder.headersTooLong);
        final List<Recorder.Message> responses = recorder.responses();
        assertEquals(1, responses.size());
        final Recorder.Message second = responses.get(0);
        assertEquals("404", second.field(HttpField.STATUS_CODE));
        assertEquals("gone", second.bodyText());
        assertTrue(second.ended);
        // The first response answered transaction 0 (/one.txt): the second is /two.txt's.
        assertEquals(1, second.transaction);
        assertEquals("two.txt", second.field(HttpField.FILE_NAME));
        assertEquals(0, parser.counters().get(HttpCounter.RESPONSE_WITHOUT_REQUEST));
        // Both responses are framed: counted as responses and complete.
        assertEquals(2, parser.counters().get(HttpCounter.RESPONSES));
        assertNoBlockLeft(flow);
    }

    /** Two responses without a block in one feed, glued, then a third once a block is back: each pairs in turn. */
    @Test
    void shouldPairGluedResponsesWithoutABlockInOrder()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "GET /a HTTP/1.1\r\n\r\nHEAD /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
        holdBlocks();

        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyzHTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n");
        releaseOne();
        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertEquals(2, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
        final Recorder.Message third = recorder.responses().getFirst();
        assertEquals(1, recorder.responses().size());
        assertEquals(2, third.transaction);
        assertEquals("c", third.field(HttpField.FILE_NAME));
        assertEquals("ok", third.bodyText());
        assertNoBlockLeft(flow);
    }

    /** The same for requests: a POST whose body ends without a line feed, then a GET. */
    @Test
    void shouldSeeTheRequestAfterOneWithoutABlockWhoseBodyEndsWithoutALineFeed()
    {
        final int flow = flowWithPool(2);
        holdBlocks();

        feed(flow, 0, "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcde");
        releaseOne();
        feed(flow, 0, "GET /next.html HTTP/1.1\r\nHost: n.example\r\n\r\n");
        feed(flow, 1, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz");

        assertEquals(List.of("request"), recorder.headersTooLong);
        final List<Recorder.Message> requests = requestsOf(flow);
        assertEquals(1, requests.size());
        assertEquals("GET /next.html HTTP/1.1", requests.get(0).field(HttpField.REQUEST_LINE));
        assertEquals(1, requests.get(0).transaction);
        final List<Recorder.Message> responses = recorder.responses();
        assertEquals(List.of("201", "200"), responses.stream().map(m -> m.field(HttpField.STATUS_CODE)).toList());
        assertEquals(List.of(0, 1), responses.stream().map(m -> m.transaction).toList());
        // The unkept request left no file name; the kept one's is its own.
        assertEquals(List.of("", "next.html"), responses.stream().map(m -> m.field(HttpField.FILE_NAME)).toList());
        assertEquals("z", responses.get(1).bodyText());
        assertNoBlockLeft(flow);
    }

    /**
     * A chunked response without a block, split in two feeds at every byte (the Transfer-Encoding name and value,
     * the chunk-size lines, the chunk data): the response after it is seen whole each time.
     */
    @Test
    void shouldFrameAChunkedBodySplitAtEveryByte()
    {
        final String chunked = "HTTP/1.1 200 OK\r\nX-Transfer-Encoding: none\r\nTransfer-Encoding: gzip, CHUNKED\r\n"
            + "Content-Length: 3\r\n\r\n5;ext=1\r\nhello\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nT: t\r\n\r\n";
        for (int split = 1; split < chunked.length(); split++)
        {
            final int flow = flowWithPool(1);
            feed(flow, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
            holdBlocks();

            feed(flow, 1, chunked.substring(0, split));
            feed(flow, 1, chunked.substring(split));
            releaseOne();
            feed(flow, 1, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");

            final String at = "split at " + split;
            assertEquals(1, recorder.responses().size(), at);
            assertEquals("201", recorder.responses().get(0).field(HttpField.STATUS_CODE), at);
            assertEquals("ok", recorder.responses().get(0).bodyText(), at);
            assertEquals(1, recorder.responses().get(0).transaction, at);
            assertEquals(1, parser.counters().get(HttpCounter.NO_HEADER_BLOCK), at);
            assertNoBlockLeft(flow);
            nextParser();
        }
    }

    /**
     * A request with a Content-Length body, without a block, split in two feeds at every byte: the
     * Content-Length name (in mixed case) is recognised across the split, the look-alike names around it are not.
     */
    @Test
    void shouldReadAContentLengthNameSplitAtEveryByte()
    {
        final String put = "PUT /f HTTP/1.1\r\nX-Content-Length: 7\r\nContent-Lengthy: 9\r\nContent-LENGTH :  12 \r\n"
            + "Transfer-Encodings: chunked\r\n\r\nhello world!";
        for (int split = 1; split < put.length(); split++)
        {
            final int flow = flowWithPool(2);
            holdBlocks();

            feed(flow, 0, put.substring(0, split));
            feed(flow, 0, put.substring(split));
            releaseOne();
            feed(flow, 0, "GET /after HTTP/1.1\r\n\r\n");

            final String at = "split at " + split;
            assertEquals(1, requestsOf(flow).size(), at);
            assertEquals("/after", requestsOf(flow).get(0).field(HttpField.URI_RAW), at);
            assertEquals(1, requestsOf(flow).get(0).transaction, at);
            assertEquals(0, parser.counters().get(HttpCounter.BAD_CONTENT_LENGTH), at);
            assertNoBlockLeft(flow);
            nextParser();
        }
    }

    /** A whole response without a block fed one byte at a time, then the next. */
    @Test
    void shouldFrameAHeadFedOneByteAtATime()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
        holdBlocks();

        final String first = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
        for (int i = 0; i < first.length(); i++)
        {
            feed(flow, 1, first.substring(i, i + 1));
        }
        releaseOne();
        feed(flow, 1, "HTTP/1.1 500 Oops\r\nContent-Length: 1\r\n\r\n!");

        assertEquals(1, recorder.responses().size());
        assertEquals("500", recorder.responses().get(0).field(HttpField.STATUS_CODE));
        assertEquals("!", recorder.responses().get(0).bodyText());
        assertEquals(1, recorder.responses().get(0).transaction);
        assertNoBlockLeft(flow);
    }

    /**
     * A HEAD request without a block is still remembered as HEAD: its response (kept, a block free again) has no
     * body despite its Content-Length, and the response after it is seen.
     */
    @Test
    void shouldKeepAHeadRequestWithoutABlockForItsResponse()
    {
        final int flow = flowWithPool(2);
        holdBlocks();

        feed(flow, 0, "HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n");
        releaseOne();
        feed(flow, 0, "GET /g HTTP/1.1\r\nHost: h\r\n\r\n");
        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");

        final List<Recorder.Message> responses = recorder.responses();
        assertEquals(2, responses.size());
        assertEquals(List.of(0, 1), responses.stream().map(m -> m.transaction).toList());
        assertEquals("", responses.get(0).bodyText());
        assertTrue(responses.get(0).ended);
        assertEquals("abc", responses.get(1).bodyText());
        assertEquals("g", responses.get(1).field(HttpField.FILE_NAME));
        assertNoBlockLeft(flow);
    }

    /** The answer to a HEAD request, without a block: no body despite its Content-Length. */
    @Test
    void shouldFrameTheResponseToAHeadRequestWithoutABlock()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "HEAD /h HTTP/1.1\r\n\r\nGET /g HTTP/1.1\r\n\r\n");
        holdBlocks();

        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        releaseOne();
        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");

        assertEquals(1, recorder.responses().size());
        assertEquals(1, recorder.responses().get(0).transaction);
        assertEquals("abc", recorder.responses().get(0).bodyText());
        assertNoBlockLeft(flow);
    }

    /** 1xx, 204 and 304 without a block have no body (a Content-Length there is no body's): the 200 after is seen. */
    @Test
    void shouldFrameResponsesWithoutBodyWithoutABlock()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n");
        holdBlocks();

        feed(flow, 1, "HTTP/1.1 100 Continue\r\n\r\n");
        feed(flow, 1, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
        feed(flow, 1, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n");
        releaseOne();
        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertEquals(3, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
        assertEquals(1, parser.counters().get(HttpCounter.INTERIM_RESPONSES));
        assertEquals(3, parser.counters().get(HttpCounter.RESPONSES));
        assertEquals(1, recorder.responses().size());
        assertEquals("200", recorder.responses().get(0).field(HttpField.STATUS_CODE));
        assertEquals(2, recorder.responses().get(0).transaction);
        assertEquals("3", recorder.responses().get(0).field(HttpField.FILE_NAME));
        assertEquals("ok", recorder.responses().get(0).bodyText());
        assertNoBlockLeft(flow);
    }

    /** A 101 without a block makes the flow a tunnel, as a kept one does: nothing after it is parsed. */
    @Test
    void shouldTunnelAfterA101WithoutABlock()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n");
        holdBlocks();

        feed(flow, 1, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        releaseOne();
        feed(flow, 0, "GET /inside HTTP/1.1\r\n\r\n");
        feed(flow, 1, "HTTP/1.1 200 OK\r\n\r\n");

        assertEquals(1, parser.counters().get(HttpCounter.TUNNELS));
        assertEquals(List.of("/ws"), requestsOf(flow).stream().map(m -> m.field(HttpField.URI_RAW)).toList());
        assertEquals(List.of(), recorder.responses());
        assertNoBlockLeft(flow);
    }

    /** A CONNECT without a block and its 200 make a tunnel too. */
    @Test
    void shouldTunnelAfterAConnectWithoutABlock()
    {
        final int flow = flowWithPool(2);
        holdBlocks();

        feed(flow, 0, "CONNECT example.com:443 HTTP/1.1\r\n\r\n");
        releaseOne();
        feed(flow, 1, "HTTP/1.1 200 Connection Established\r\n\r\n\u0016\u0003\u0001");
        feed(flow, 0, "\u0016\u0003\u0001\u0002\u0000");

        assertEquals(1, parser.counters().get(HttpCounter.TUNNELS));
        assertEquals(List.of(), requestsOf(flow));
        assertEquals(1, recorder.responses().size());
        assertEquals(0, parser.counters().get(HttpCounter.MALFORMED_REQUEST_LINE));
        assertNoBlockLeft(flow);
    }

    /** An HTTP/0.9 request (no version) has no headers: the request right after it is the next one. */
    @Test
    void shouldEndAnHttp09RequestWithoutABlockAtItsLine()
    {
        final int flow = flowWithPool(2);
        holdBlocks();

        feed(flow, 0, "GET /old\r\n");
        releaseOne();
        feed(flow, 0, "GET /new HTTP/1.0\r\n\r\n");

        assertEquals(1, requestsOf(flow).size());
        assertEquals("/new", requestsOf(flow).get(0).field(HttpField.URI_RAW));
        assertEquals(1, requestsOf(flow).get(0).transaction);
        assertNoBlockLeft(flow);
    }

    /**
     * Past 16 KiB a head without a block is too long, as a kept one: counted, told once, and still framed, so the
     * request after it is parsed as the flow's second.
     */
    @Test
    void shouldTakeAnUnkeptHeadPast16KiBAsTooLong()
    {
        final int flow = flowWithPool(2);
        holdBlocks();

        feed(flow, 0, "GET /big HTTP/1.1\r\nX: " + "a".repeat(16 * 1024) + "\r\n\r\n");
        releaseOne();
        feed(flow, 0, "GET /small HTTP/1.1\r\n\r\n");

        assertEquals(1, parser.counters().get(HttpCounter.HEADER_TOO_LONG));
        assertEquals(1, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
        assertEquals(List.of("request"), recorder.headersTooLong);
        assertEquals(List.of("/small"), requestsOf(flow).stream().map(m -> m.field(HttpField.URI_RAW)).toList());
        // The long head was framed as a request, not parsed: the small one is the flow's second.
        assertEquals(1, requestsOf(flow).get(0).transaction);
        assertNoBlockLeft(flow);
    }

    /**
     * With a 256-byte limit, a head of exactly 256 bytes is parsed (with a block) and one of 257 is too long, with a
     * block or without: not parsed, but framed with its 3-byte body, which ends without a line feed, so the next
     * request, glued to it, is parsed either way (a resynchronisation looking for start lines missed it).
     */
    @Test
    void shouldEndTheHeadLimitAtTheSameByteWithOrWithoutABlock()
    {
        final HttpLimits limits = new HttpLimits(256, 1 << 20, 8 << 20, 1000, 3, 4);
        // 17 + 19 + (7 + 209 + 2) + 2 = 256 bytes.
        final String exact = "GET /a HTTP/1.1\r\nContent-Length: 3\r\nX-Pad: " + "p".repeat(209) + "\r\n\r\n";
        final String over = "GET /a HTTP/1.1\r\nContent-Length: 3\r\nX-Pad: " + "p".repeat(210) + "\r\n\r\n";
        assertEquals(256, exact.length());
        for (final boolean kept : new boolean[] {true, false})
        {
            for (final String head : List.of(exact, over))
            {
                final int flow = flowWithPool(limits, kept ? 0 : 1);
                holdBlocks();
                feed(flow, 0, head + "xyz");
                if (!kept)
                {
                    releaseOne();
                }
                feed(flow, 0, "GET /b HTTP/1.1\r\n\r\n");

                final String label = (kept ? "kept " : "unkept ") + head.length();
                final List<String> uris = requestsOf(flow).stream().map(m -> m.field(HttpField.URI_RAW)).toList();
                if (exact.equals(head))
                {
                    assertEquals(kept ? List.of("/a", "/b") : List.of("/b"), uris, label);
                    assertEquals(0, parser.counters().get(HttpCounter.HEADER_TOO_LONG), label);
                }
                else
                {
                    assertEquals(List.of("/b"), uris, label);
                    assertEquals(1, parser.counters().get(HttpCounter.HEADER_TOO_LONG), label);
                }
                assertEquals(kept ? 0 : 1, parser.counters().get(HttpCounter.NO_HEADER_BLOCK), label);
                assertNoBlockLeft(flow);
                nextParser();
            }
        }
    }

    /** A malformed status line without a block, answering a waiting request: an HTTP/0.9 body to the stream's end. */
    @Test
    void shouldTakeAMalformedAnswerWithoutABlockAsAnHttp09Body()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "GET /old HTTP/1.0\r\n\r\n");
        holdBlocks();

        feed(flow, 1, "<html>no status line\r\n");
        releaseOne();
        feed(flow, 1, "HTTP/1.1 200 OK\r\n\r\n");
        parser.end(flow, 1, recorder);

        assertEquals(1, parser.counters().get(HttpCounter.MALFORMED_STATUS_LINE));
        assertEquals(1, parser.counters().get(HttpCounter.RESPONSES));
        assertEquals(List.of(), recorder.responses());
        assertEquals(List.of(), recorder.startLinesMalformed);
        assertNoBlockLeft(flow);
    }

    /** A stream ending in an unkept head or body: counted incomplete, and no block is held after. */
    @Test
    void shouldCountAnUnkeptMessageCutByTheEndOfItsStreamIncomplete()
    {
        final int flow = flowWithPool(2);
        holdBlocks();

        feed(flow, 0, "POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        parser.end(flow, 0, recorder);
        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Le");
        parser.end(flow, 1, recorder);

        assertEquals(2, parser.counters().get(HttpCounter.INCOMPLETE_MESSAGES));
        assertEquals(List.of(), recorder.messages);
        assertNoBlockLeft(flow);
    }

    /** Bytes lost inside an unkept body of known length: the message goes on, the next one is seen. */
    @Test
    void shouldGoOnThroughAGapInAnUnkeptBody()
    {
        final int flow = flowWithPool(1);
        feed(flow, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
        holdBlocks();

        feed(flow, 1, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
        parser.gap(flow, 1, 5);
        feed(flow, 1, "xyz");
        releaseOne();
        feed(flow, 1, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

        assertEquals(1, parser.counters().get(HttpCounter.GAP_IN_BODY));
        assertEquals(1, recorder.responses().size());
        assertEquals(1, recorder.responses().get(0).transaction);
        assertEquals(null, recorder.responses().get(0).cut);
        assertNoBlockLeft(flow);
    }

    /**
     * Odd heads (blanks and CRs in start lines, HTTP/0.9, case, bare LFs, folded, malformed and look-alike header
     * lines, Content-Lengths invalid or conflicting, chunked inside a word), each fed with a block free and with
     * none: the messages after it and every counter but {@code http.no_header_block} come out the same, split
     * in two feeds at every byte too. The kept head is parsed by the stored path, which the unkept one follows.
     * Each case is one whole message (with a bad length, no bytes after its head), so that the next one starts
     * once a block is back in both runs.
     */
    @Test
    void shouldFrameOddHeadsAsTheStoredPathDoes()
    {
        final List<String> requests = List.of(
            "GET / HTTP/1.1 \r\n\r\n", "GET /x \r HTTP/1.1\r\n\r\n", "GET /x HT\r\n", "GET /x\r\n",
            "GET /x HTTP/1.1\r\r\nHost: h\r\n\r\n", "GET /x HTTP/1.1 \rX\r\n", "GET\r\n", "GET \r\n",
            "  GET /x HTTP/1.1\r\n\r\n", "HEAD\t/x\tHTTP/1.0\r\n\r\n", "head /x HTTP/1.1\r\n\r\n",
            "G\u0001T /x HTTP/1.1\r\n\r\n", "GET /x hTtP/9\r\nContent-Length: 1\r\n\r\nq",
            "POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc",
            "POST /x HTTP/1.1\r\nContent-Length: +3\r\n\r\n", "POST /x HTTP/1.1\r\nContent-Length: 3\r\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length:3\r\n\r\nabc", "POST /x HTTP/1.1\r\nContent-Length: 3 4\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length: \r\n\r\n", "POST /x HTTP/1.1\r\nContent-Length: 3\r \r\n\r\n",
            "POST /x HTTP/1.1\r\nHost: h\r\n Content-Length: 3\r\n\r\n",
            "POST /x HTTP/1.1\r\nNoColon\r\n: empty\r\n\rX: y\r\n\r\r\nContent-Length: 2\r\n\r\nab",
            "POST /x HTTP/1.1\r\nTransfer-Encoding: xchunkedx\r\n\r\n2\r\nab\r\n0\r\n\r\n",
            "POST /x HTTP/1.1\r\nTransfer-Encoding: chunke\r\nContent-Length: 2\r\n\r\nab",
            "POST /x HTTP/1.1\r\nTransfer-Encoding: cchunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length: 0001\r\n\r\nz", "POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n",
            "POST /x HTTP/1.1\nContent-Length: 2\n\nab", "POST /x HTTP/1.1\r\nContent-Length : 2\r\n\r\nab",
            "POST /x HTTP/1.1\r\nContent-Length\t: 2\r\n\r\nab", "POST /x HTTP/1.1\r\nContent Length: 2\r\n\r\n",
            // Folded values, read over their continuation lines.
            "POST /x HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
            "POST /x HTTP/1.1\r\nTransfer-Encoding: x,\r\n\t\r\n chun\r\n ked\r\nContent-Length: 2\r\n\r\nab",
            "POST /x HTTP/1.1\r\nContent-Length:\r\n 2\r\n\r\nab", "POST /x HTTP/1.1\nContent-Length:\n\t2 \n\nab",
            "POST /x HTTP/1.1\r\nContent-Length: 2\r\n \r\n\r\nab", "POST /x HTTP/1.1\r\nContent-Length: 1\r\n 2\r\n\r\n",
            "POST /x HTTP/1.1\r\nContent-Length: 2\r\n x\r\n\r\n", "POST /x HTTP/1.1\r\nContent-Length: 2\r\n: x\r\n\r\nab",
            "POST /x HTTP/1.1\r\nContent-Length: 2\nContent-Length: 3\n\nab",
            "POST /x HTTP/1.1\r\nContent-Length:\r\n\r\n", "POST /x HTTP/1.1\r\nContent-Length: 2\r\r\n 2\r\n\r\n");
        for (final String request : requests)
        {
            for (int split = 0; split < request.length(); split++)
            {
                assertEquals(framing(request, split, true, "GET /next HTTP/1.1\r\n\r\n"),
                    framing(request, split, false, "GET /next HTTP/1.1\r\n\r\n"), request + " split at " + split);
            }
        }
        final List<String> responses = List.of(
            "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok",
            "http/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/1.1 2000 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 200\r\rX\r\n\r\n", "HTTP/1.1 200\r \r\nContent-Length: 1\r\n\r\nz",
            "HTTPS/1.1 200 OK\r\n\r\n", "HTTP/ 200 OK\r\nContent-Length: 1\r\n\r\nz", "HTTP/1.1\t204\tNo\r\n\r\n",
            "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nto the end",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nrest", "HTTP/1.1 199 Early\r\n\r\n",
            "HTTP/1.1 101 Switching\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\n\r\nok", "HTTP/1.1 200 OK\r\nContent-Length: 2\n\nok");
        for (final String response : responses)
        {
            for (int split = 0; split < response.length(); split++)
            {
                final String next = "HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\n!";
                assertEquals(framing(response, split, true, next), framing(response, split, false, next),
                    response + " split at " + split);
            }
        }
    }

    /**
     * What the parser made of {@code first} (split at {@code split}, with a block or not) and {@code next} after
     * it: the messages after {@code first}'s own, and the counters but {@code http.no_header_block}.
     */
    private String framing(final String first, final int split, final boolean kept, final String next)
    {
        final boolean request = next.startsWith("GET");
        final int flow = flowWithPool(HttpLimits.defaults(), 1);
        if (kept)
        {
            // A second block, for the first message.
            parser.close();
            parser = new HttpParser(HttpLimits.defaults(), 4, 2);
            parser.open();
        }
        if (!request)
        {
            feed(flow, 0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
        }
        holdBlocks();
        final int direction = request ? 0 : 1;
        feed(flow, direction, first.substring(0, split));
        feed(flow, direction, first.substring(split));
        final int before = (int)recorder.messages.stream().filter(m -> m.flow == flow).count();
        releaseOne();
        feed(flow, direction, next);
        parser.end(flow, direction, recorder);

        final StringBuilder seen = new StringBuilder();
        recorder.messages.stream().filter(m -> m.flow == flow).skip(before).forEach(m -> seen.append(m.request)
            .append(' ').append(m.transaction).append(' ').append(m.field(HttpField.REQUEST_LINE))
            .append(m.field(HttpField.RESPONSE_LINE)).append(" body=").append(m.bodyText()).append(' ')
            .append(m.ended).append('\n'));
        for (final HttpCounter counter : HttpCounter.values())
        {
            if (HttpCounter.NO_HEADER_BLOCK != counter)
            {
                seen.append(counter.reportName()).append('=').append(parser.counters().get(counter)).append(' ');
            }
        }
        // Bytes left over after a first message framed short (a bad length) start another message: more than one.
        assertEquals(kept, 0 == parser.counters().get(HttpCounter.NO_HEADER_BLOCK), first);
        assertNoBlockLeft(flow);
        nextParser();
        return seen.toString();
    }

    /** Opens a flow on a parser with {@code blocks} header blocks for {@link #holdBlocks} to take. */
    private int flowWithPool(final int blocks)
    {
        return flowWithPool(HttpLimits.defaults(), blocks);
    }

    /** A parser whose pool has {@code held} blocks for stalled heads plus, when {@code held} is 0, two to spare. */
    private int flowWithPool(final HttpLimits limits, final int held)
    {
        parser = new HttpParser(limits, 4, 0 == held ? 2 : held);
        final int flow = parser.open();
        holders = new int[held];
        return flow;
    }

    /** For loops over cases: the parser is closed and the recorder emptied. */
    private void nextParser()
    {
        parser.close();
        parser = null;
        recorder.messages.clear();
        recorder.headersTooLong.clear();
    }

    /** Every block held by a stalled request head on a flow of its own. */
    private void holdBlocks()
    {
        for (int i = 0; i < holders.length; i++)
        {
            holders[i] = parser.open();
            feed(holders[i], 0, STALLED.substring(0, Math.min(STALLED.length(), parser.headerBytes - 2)));
        }
        assertEquals(holders.length, parser.headerBlocksTaken());
    }

    /** The first stalled head ends (a request without body): its block goes back. */
    private void releaseOne()
    {
        feed(holders[0], 0, "\r\n");
    }

    private void closeHolders()
    {
        for (final int holder : holders)
        {
            parser.close(holder);
        }
    }

    private void assertNoBlockLeft(final int flow)
    {
        parser.close(flow);
        closeHolders();
        assertEquals(0, parser.headerBlocksTaken());
    }

    private List<Recorder.Message> requestsOf(final int flow)
    {
        return recorder.requests().stream().filter(m -> m.flow == flow).toList();
    }

    private void feed(final int flow, final int direction, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        final MemorySegment memory = arena.allocate(bytes.length + 8);
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, 3, bytes.length);
        parser.feed(flow, direction, memory, 3, bytes.length, recorder);
    }
}
