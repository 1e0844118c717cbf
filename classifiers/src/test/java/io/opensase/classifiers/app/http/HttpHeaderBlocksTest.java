package io.opensase.classifiers.app.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser's pool of header blocks: a message holds one from its first byte until it is over, dropped, or its
 * flow closed; a message finding none is framed without being parsed, and counted ({@link HttpUnkeptHeadTest}).
 */
class HttpHeaderBlocksTest
{
    private final Arena arena = Arena.ofConfined();
    private final Recorder recorder = new Recorder();

    @AfterEach
    void closeArena()
    {
        arena.close();
    }

    @Test
    void shouldMakeNoMoreBlocksThanDirectionsAndRefuseAnEmptyPool()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 3, 1_000))
        {
            assertEquals(6, parser.headerBlocks());
            assertEquals(16 * 1024 * 6, parser.raw.length);
        }
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 100))
        {
            assertEquals(200, parser.headerBlocks());
        }
        assertThrows(IllegalArgumentException.class, () -> new HttpParser(HttpLimits.defaults(), 4, 0));
    }

    @Test
    void shouldSkipAndCountTheHeadPastThePoolAndParseALaterOneOnceABlockIsBack()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 3, 2))
        {
            final int a = parser.open();
            final int b = parser.open();
            final int c = parser.open();
            feed(parser, a, 0, "GET /a HTTP/1.1\r\nHost: a.example\r\n");
            feed(parser, b, 0, "GET /b HTTP/1.1\r\nHost: b.example\r\n");
            assertEquals(2, parser.headerBlocksTaken());

            feed(parser, c, 0, "GET /c1 HTTP/1.1\r\nHost: c.example\r\n\r\n");

            assertEquals(1, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
            assertEquals(0, parser.counters().get(HttpCounter.HEADER_TOO_LONG));
            assertEquals(List.of("request"), recorder.headersTooLong);
            assertEquals(List.of(), recorder.requests());

            feed(parser, a, 0, "\r\n");
            assertEquals(1, parser.headerBlocksTaken());
            feed(parser, c, 0, "GET /c2 HTTP/1.1\r\nHost: c.example\r\n\r\n");

            assertEquals(List.of("/a", "/c2"), uris(recorder.requests()));
            assertEquals("c.example", recorder.requests().get(1).field(HttpField.HOST));
            assertEquals(1, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
            assertEquals(1, parser.headerBlocksTaken());
        }
    }

    /** Before, the 304 was passed over and the 404 took its request: every later response paired one off. */
    @Test
    void shouldFrameAResponseFindingNoBlockAsTheAnswerToItsRequest()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 2, 1))
        {
            final int a = parser.open();
            final int b = parser.open();
            feed(parser, a, 0, "GET /x HTTP/1.1\r\n\r\n");
            feed(parser, b, 0, "GET /y HTTP/1.1\r\nHost: y\r\n");

            feed(parser, a, 1, "HTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\n\r\n");
            feed(parser, b, 0, "\r\n");
            feed(parser, a, 1, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

            assertEquals(List.of("response"), recorder.headersTooLong);
            assertEquals(1, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
            assertEquals(1, recorder.responses().size());
            // The 304 answered /x: the 404 answers no request.
            assertEquals("404", recorder.responses().get(0).field(HttpField.STATUS_CODE));
            assertEquals(1, recorder.responses().get(0).transaction);
            assertEquals("", recorder.responses().get(0).field(HttpField.FILE_NAME));
            assertEquals(1, parser.counters().get(HttpCounter.RESPONSE_WITHOUT_REQUEST));
        }
    }

    /** A flow closed in the middle of a head or a body (as a drop closes it) gives its block to another flow. */
    @Test
    void shouldGiveTheBlockBackWhenTheFlowClosesWithAMessageInProgress()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 4, 1))
        {
            final int a = parser.open();
            final int b = parser.open();
            final int c = parser.open();
            feed(parser, a, 0, "GET /a HTTP/1.1\r\nHo");
            parser.close(a);
            feed(parser, b, 0, "POST /b HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
            parser.close(b);
            feed(parser, c, 0, "GET /c HTTP/1.1\r\n\r\n");

            assertEquals(List.of("/b", "/c"), uris(recorder.requests()));
            assertEquals(0, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
            assertEquals(0, parser.headerBlocksTaken());
        }
    }

    /** A 101 answer makes the flow a tunnel: the head of a next request in progress gives its block back. */
    @Test
    void shouldGiveTheBlockOfAHeadCutByATunnelBack()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 2, 2))
        {
            final int a = parser.open();
            feed(parser, a, 0, "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\nGET /next HTTP/1.1\r\nHo");
            assertEquals(1, parser.headerBlocksTaken());

            feed(parser, a, 1, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");

            assertEquals(0, parser.headerBlocksTaken());
            assertEquals(List.of("/ws"), uris(recorder.requests()));
            assertEquals(1, parser.counters().get(HttpCounter.TUNNELS));
        }
    }

    /** An answer without a status line is an HTTP/0.9 body taken from the block, which then goes back. */
    @Test
    void shouldGiveTheBlockOfAnHttp09ResponseBackAfterItsFirstLine()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 2, 1))
        {
            final int a = parser.open();
            final int b = parser.open();
            feed(parser, a, 0, "GET /old HTTP/1.0\r\n\r\n");
            feed(parser, a, 1, "<html>no status line\r\nmore");
            assertEquals(0, parser.headerBlocksTaken());
            feed(parser, b, 0, "GET /b HTTP/1.1\r\n\r\n");

            assertEquals("<html>no status line\r\nmore", recorder.responses().get(0).bodyText());
            assertEquals(List.of("/old", "/b"), uris(recorder.requests()));
            assertEquals(0, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
        }
    }

    /** Two heads in flight at once, fed one byte at a time in turn: each is collected in a block of its own. */
    @Test
    void shouldKeepInterleavedHeadsApart()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 4, 2))
        {
            final int a = parser.open();
            final int b = parser.open();
            final String first = "POST /up/one.txt HTTP/1.1\r\nHost: one.example\r\nContent-Length: 3\r\n\r\nabc";
            final String second = "GET /two?q=1 HTTP/1.0\r\nUser-Agent: two\r\nCookie: k=v\r\n\r\n";
            for (int i = 0; i < Math.max(first.length(), second.length()); i++)
            {
                if (i < first.length())
                {
                    feed(parser, a, 0, first.substring(i, i + 1));
                }
                if (i < second.length())
                {
                    feed(parser, b, 0, second.substring(i, i + 1));
                }
            }

            assertEquals(2, recorder.requests().size());
            final Recorder.Message two = recorder.requests().get(0);
            final Recorder.Message one = recorder.requests().get(1);
            assertEquals("GET /two?q=1 HTTP/1.0", two.field(HttpField.REQUEST_LINE));
            assertEquals("User-Agent: two\r\n", two.field(HttpField.HEADER));
            assertEquals("k=v", two.field(HttpField.COOKIE));
            assertEquals("POST /up/one.txt HTTP/1.1", one.field(HttpField.REQUEST_LINE));
            assertEquals("Host: one.example\r\nContent-Length: 3\r\n", one.field(HttpField.HEADER));
            assertEquals("abc", one.bodyText());
            assertTrue(one.ended);
            assertEquals(0, parser.headerBlocksTaken());
        }
    }

    /**
     * Pipelined requests with bodies on 50 flows, each flow's bytes in one feed, the flows in turn: a pool of
     * two blocks is enough, as each message is over before the next starts.
     */
    @Test
    void shouldParsePipelinedRequestsOnManyFlowsWithTwoBlocks()
    {
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 50, 2))
        {
            final int[] flows = new int[50];
            for (int f = 0; f < flows.length; f++)
            {
                flows[f] = parser.open();
            }
            for (int round = 0; round < 3; round++)
            {
                for (int f = 0; f < flows.length; f++)
                {
                    feed(parser, flows[f], 0, "GET /" + f + "/" + round + " HTTP/1.1\r\nHost: h" + f + "\r\n\r\n"
                        + "POST /" + f + "/" + round + "/post HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "2\r\nhi\r\n0\r\n\r\n");
                    feed(parser, flows[f], 1, "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\n"
                        + "Content-Length: 1\r\n\r\nz");
                }
            }

            final List<String> expected = new ArrayList<>();
            for (int round = 0; round < 3; round++)
            {
                for (int f = 0; f < flows.length; f++)
                {
                    expected.add("/" + f + "/" + round);
                    expected.add("/" + f + "/" + round + "/post");
                }
            }
            assertEquals(expected, uris(recorder.requests()));
            assertEquals(300, recorder.responses().size());
            assertTrue(recorder.messages.stream().allMatch(m -> m.ended));
            assertEquals(0, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
            assertEquals(0, parser.headerBlocksTaken());
        }
    }

    /**
     * 10,000 messages in a row over a pool of two blocks, each ending another way: complete (no body, a length,
     * chunked, until the stream ends), garbage then a resync, headers past the limit, a gap inside the head or
     * through the body, the stream ending inside the head, the flow closed inside the head or body (as a drop
     * does) and opened again. Every block comes back: each good message after them parses.
     */
    @Test
    void shouldGetEveryBlockBackWhateverEndsTheMessage()
    {
        final HttpLimits limits = new HttpLimits(256, 1 << 20, 8 << 20, 1000, 3, 4);
        try (HttpParser parser = new HttpParser(limits, 2, 2))
        {
            int flow = parser.open();
            int good = 0;
            for (int i = 0; i < 10_000; i++)
            {
                final String uri = "/m" + i;
                switch (i % 10)
                {
                    case 0 -> feed(parser, flow, 0, "GET " + uri + " HTTP/1.1\r\n\r\n");
                    case 1 -> feed(parser, flow, 0, "POST " + uri + " HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody");
                    case 2 -> feed(parser, flow, 0, "\u0001\u0002 garbage\r\nmore\r\nGET " + uri + " HTTP/1.1\r\n\r\n");
                    case 3 -> feed(parser, flow, 0, "GET /long HTTP/1.1\r\nX: " + "a".repeat(300) + "\r\n\r\n");
                    case 4 ->
                    {
                        feed(parser, flow, 0, "GET /lost HTTP/1.1\r\nHo");
                        parser.gap(flow, 0, 10);
                    }
                    case 5 ->
                    {
                        feed(parser, flow, 0, "PUT /cut HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc");
                        parser.gap(flow, 0, 97);
                    }
                    case 6 ->
                    {
                        feed(parser, flow, 0, "GET /dropped HTTP/1.1\r\nHost: x\r\n");
                        parser.close(flow);
                        flow = parser.open();
                    }
                    case 7 ->
                    {
                        feed(parser, flow, 0, "POST /dropped-body HTTP/1.1\r\nContent-Length: 9\r\n\r\nab");
                        feed(parser, flow, 1, "HTTP/1.1 100 Continue\r\nX: y");
                        parser.close(flow);
                        flow = parser.open();
                    }
                    case 8 ->
                    {
                        feed(parser, flow, 0, "GET " + uri + " HTTP/1.1\r\n\r\n");
                        feed(parser, flow, 1, "HTTP/1.0 200 OK\r\n\r\nuntil the end");
                        parser.end(flow, 1, recorder);
                        parser.end(flow, 0, recorder);
                        parser.close(flow);
                        flow = parser.open();
                    }
                    default ->
                    {
                        feed(parser, flow, 0, "GET /ended HTTP/1.1\r\nHost: x");
                        parser.end(flow, 0, recorder);
                        parser.close(flow);
                        flow = parser.open();
                    }
                }
                if (0 == i % 10 || 1 == i % 10 || 2 == i % 10 || 8 == i % 10)
                {
                    good++;
                    final Recorder.Message last = recorder.requests().getLast();
                    assertEquals(uri, last.field(HttpField.URI_RAW), "message " + i);
                }
                assertTrue(parser.headerBlocksTaken() <= 1, "message " + i);
                // The next message starts on a line of its own, as after a gap or a resync.
                if (4 == i % 10 || 5 == i % 10 || 3 == i % 10)
                {
                    feed(parser, flow, 0, "\r\n");
                }
            }
            assertEquals(good, recorder.requests().stream().filter(m -> m.field(HttpField.URI_RAW).startsWith("/m"))
                .count());
            assertEquals(4_000, good);
            assertEquals(0, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
            parser.close(flow);
            assertEquals(0, parser.headerBlocksTaken());
        }
    }

    private void feed(final HttpParser parser, final int flow, final int direction, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        final MemorySegment memory = arena.allocate(bytes.length + 8);
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, 3, bytes.length);
        parser.feed(flow, direction, memory, 3, bytes.length, recorder);
    }

    private static List<String> uris(final List<Recorder.Message> messages)
    {
        return messages.stream().map(m -> m.field(HttpField.URI_RAW)).toList();
    }
}
