package io.opensase.classifiers.app.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A head longer than the header limit (256 bytes here) is not parsed but framed, so that what follows it is:
 * before, the direction resynchronised at the next line starting like a start line, and a request glued to the
 * long one's body (no line feed between them) was passed over uninspected, an evasion. Expected values are read
 * off the bytes by hand.
 */
class HttpLongHeadTest
{
    private static final HttpLimits LIMITS = new HttpLimits(256, 1 << 20, 8 << 20, 1000, 3, 4);
    /** A header line that alone passes the limit. */
    private static final String PAD = "X-Pad: " + "p".repeat(300) + "\r\n";

    private final Arena arena = Arena.ofConfined();
    private final Recorder recorder = new Recorder();
    private final HttpParser parser = new HttpParser(LIMITS, 4, 8);
    private final int flow = parser.open();

    @AfterEach
    void close()
    {
        parser.close(flow);
        assertEquals(0, parser.headerBlocksTaken(), "every block back");
        parser.close();
        arena.close();
    }

    /** The smuggling case: POST with a long head and a 5-byte body, a GET glued to the body. */
    @Test
    void shouldParseTheRequestGluedBehindALongHeadsBody()
    {
        feed(0, "POST /upload HTTP/1.1\r\nContent-Length: 5\r\n" + PAD + "\r\nhelloGET /smuggled HTTP/1.1\r\n\r\n");

        assertEquals(List.of("request"), recorder.headersTooLong);
        assertEquals(1, parser.counters().get(HttpCounter.HEADER_TOO_LONG));
        assertEquals(1, recorder.requests().size());
        assertEquals("/smuggled", recorder.requests().get(0).field(HttpField.URI_RAW));
        assertEquals(1, recorder.requests().get(0).transaction, "the long request was the first");
        assertEquals(2, parser.counters().get(HttpCounter.REQUESTS));
    }

    /** The same input fed one byte at a time: the block fills, is read again, and reading goes on byte by byte. */
    @Test
    void shouldFrameALongHeadFedOneByteAtATime()
    {
        final String input = "POST /upload HTTP/1.1\r\n" + PAD + "Content-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\n\r\n";
        for (int i = 0; i < input.length(); i++)
        {
            feed(0, input.substring(i, i + 1));
        }
        assertEquals(List.of("request"), recorder.headersTooLong);
        assertEquals(List.of("/next"), recorder.requests().stream().map(m -> m.field(HttpField.URI_RAW)).toList());
    }

    /**
     * Transfer-Encoding before the limit (read again from the block) and Content-Length after it (read in
     * passing): chunked wins, as on a kept head, so the 7-byte chunked body is framed and the GET after it seen.
     */
    @Test
    void shouldFrameAChunkedBodyWhoseHeadersStraddleTheLimit()
    {
        feed(0, "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + PAD + "Content-Length: 99\r\n\r\n"
            + "7\r\nchunked\r\n0\r\n\r\nGET /after HTTP/1.1\r\n\r\n");
        assertEquals(List.of("/after"), recorder.requests().stream().map(m -> m.field(HttpField.URI_RAW)).toList());
    }

    /** A long response head keeps its place in the pairing: the response glued behind its body answers /2. */
    @Test
    void shouldPairTheResponseAfterALongOne()
    {
        feed(0, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
        feed(1, "HTTP/1.1 200 OK\r\n" + PAD + "Content-Length: 3\r\n\r\nabcHTTP/1.1 404 Not Found\r\n"
            + "Content-Length: 4\r\n\r\ngone");

        assertEquals(List.of("response"), recorder.headersTooLong);
        assertEquals(1, recorder.responses().size());
        assertEquals("404", recorder.responses().get(0).field(HttpField.STATUS_CODE));
        assertEquals("gone", recorder.responses().get(0).bodyText());
        assertEquals(1, recorder.responses().get(0).transaction);
        assertEquals(0, parser.counters().get(HttpCounter.RESPONSE_WITHOUT_REQUEST));
    }

    /**
     * Past 64 times the limit (16 KiB here) the head is dropped and the direction resynchronises at the next line
     * that starts a request: counted once as too long.
     */
    @Test
    void shouldResynchroniseAfterAHeadPastItsFramingLimit()
    {
        feed(0, "GET /huge HTTP/1.1\r\nX-Big: " + "b".repeat(64 * 256) + "\r\n\r\nGET /next HTTP/1.1\r\n\r\n");

        assertEquals(List.of("request"), recorder.headersTooLong);
        assertEquals(1, parser.counters().get(HttpCounter.HEADER_TOO_LONG));
        assertEquals(List.of("/next"), recorder.requests().stream().map(m -> m.field(HttpField.URI_RAW)).toList());
        assertEquals(0, recorder.requests().get(0).transaction, "the dropped head was never a request");
    }

    private void feed(final int direction, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        final MemorySegment memory = arena.allocate(bytes.length + 8);
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, 3, bytes.length);
        parser.feed(flow, direction, memory, 3, bytes.length, recorder);
    }
}
