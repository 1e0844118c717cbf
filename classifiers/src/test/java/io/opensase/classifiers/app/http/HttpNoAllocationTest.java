package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once warm, parsing allocates nothing on the heap: headers, pipelining, chunking, gzip, the body callbacks
 * (bytes given in place) and the allocation-free field accessors included.
 */
class HttpNoAllocationTest
{
    /** Reads every field through offset and length, as a rule engine that wants no garbage would. */
    static final class QuietListener implements HttpListener
    {
        long sum;
        long bodies;

        @Override
        public void onRequest(final int flow, final HttpMessage request)
        {
            read(request);
        }

        @Override
        public void onResponse(final int flow, final HttpMessage response)
        {
            read(response);
        }

        private void read(final HttpMessage message)
        {
            final MemorySegment buffer = message.buffer();
            for (final HttpField field : HttpField.VALUES)
            {
                final int length = message.length(field);
                if (length > 0)
                {
                    sum += buffer.get(ValueLayout.JAVA_BYTE, message.offset(field) + length - 1);
                }
            }
        }

        @Override
        public void onBody(final int flow, final HttpMessage message, final MemorySegment data, final long offset,
            final int length, final long bodyOffset)
        {
            bodies++;
            sum += length + data.get(ValueLayout.JAVA_BYTE, offset + length - 1);
        }

        @Override
        public void onMessageEnd(final int flow, final HttpMessage message)
        {
            sum += message.transactionIndex();
        }
    }

    @Test
    void shouldAllocateNothingOnceWarm()
    {
        final String script = "import sys, gzip; sys.stdout.write(gzip.compress(b'abcdefgh' * 4000).hex())";
        final byte[] gzip = HexFormat.of().parseHex(Tools.python(script).strip());
        final ByteArrayOutputStream client = new ByteArrayOutputStream();
        final ByteArrayOutputStream server = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++)
        {
            client.writeBytes(("GET /p/../x" + i + ".js?a=%41 HTTP/1.1\r\nHost: Example.com:80\r\nUser-Agent: t\r\n"
                + "Cookie: c=1\r\nX-A: 1\r\nx-a: 2\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            server.writeBytes(("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + gzip.length
                + "\r\nContent-Disposition: attachment; filename=\"f.js\"\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            server.writeBytes(gzip);
            client.writeBytes("POST /u HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;x\r\nhello\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
            server.writeBytes("HTTP/1.1 304 Not Modified\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        try (Arena arena = Arena.ofConfined(); HttpParser parser = new HttpParser(HttpLimits.defaults(), 16))
        {
            final MemorySegment requests = arena.allocateFrom(ValueLayout.JAVA_BYTE, client.toByteArray());
            final MemorySegment responses = arena.allocateFrom(ValueLayout.JAVA_BYTE, server.toByteArray());
            final QuietListener listener = new QuietListener();
            final Runnable round = () ->
            {
                final int flow = parser.open();
                feedInPieces(parser, flow, 0, requests, listener);
                feedInPieces(parser, flow, 1, responses, listener);
                parser.close(flow);
            };
            for (int i = 0; i < 3_000; i++)
            {
                round.run();
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().threadId();
            final long bodiesBefore = listener.bodies;
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 200; i++)
            {
                round.run();
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            final long bodyCalls = listener.bodies - bodiesBefore;

            assertEquals(3_200L * 16, parser.counters().requests());
            assertEquals(3_200L * 16, parser.counters().responses());
            assertTrue(bodyCalls > 0);
            // A few bytes of slack for the measuring itself; one slice per body callback would be 48 bytes each.
            assertTrue(allocated < 1024, allocated + " bytes for " + bodyCalls + " body callbacks");
        }
    }

    /** Messages finding the header block pool empty are framed without allocating either. */
    @Test
    void shouldAllocateNothingWhenThePoolIsEmpty()
    {
        final byte[] part = "GET /held HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.ISO_8859_1);
        final byte[] whole = "GET /late HTTP/1.1\r\nHost: l\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (Arena arena = Arena.ofConfined(); HttpParser parser = new HttpParser(HttpLimits.defaults(), 3, 2))
        {
            final MemorySegment held = arena.allocateFrom(ValueLayout.JAVA_BYTE, part);
            final MemorySegment late = arena.allocateFrom(ValueLayout.JAVA_BYTE, whole);
            final MemorySegment end = arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte)'\r', (byte)'\n');
            final QuietListener listener = new QuietListener();
            final Runnable round = () ->
            {
                final int a = parser.open();
                final int b = parser.open();
                final int c = parser.open();
                parser.feed(a, 0, held, 0, part.length, listener);
                parser.feed(b, 0, held, 0, part.length, listener);
                parser.feed(c, 0, late, 0, whole.length, listener);
                parser.feed(a, 0, end, 0, 2, listener);
                parser.close(a);
                parser.close(b);
                parser.close(c);
            };
            for (int i = 0; i < 20_000; i++)
            {
                round.run();
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().threadId();
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 2_000; i++)
            {
                round.run();
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;

            assertEquals(22_000, parser.counters().get(HttpCounter.NO_HEADER_BLOCK));
            // Each round's two requests: a's, parsed, and c's, framed without a block.
            assertEquals(44_000, parser.counters().requests());
            assertTrue(allocated < 1024, allocated + " bytes");
        }
    }

    private static void feedInPieces(final HttpParser parser, final int flow, final int direction,
        final MemorySegment stream, final HttpListener listener)
    {
        for (long at = 0; at < stream.byteSize(); at += 1448)
        {
            parser.feed(flow, direction, stream, at, (int)Math.min(1448, stream.byteSize() - at), listener);
        }
    }
}
