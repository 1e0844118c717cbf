package io.opensase.classifiers.app.http;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** One parser, one open flow and a recorder; feeds text or bytes whole, or one byte at a time. */
final class Harness implements AutoCloseable
{
    final HttpParser parser;
    final Recorder recorder = new Recorder();
    final int flow;
    private final boolean byteByByte;
    private final Arena arena = Arena.ofConfined();

    Harness()
    {
        this(HttpLimits.defaults(), false);
    }

    Harness(final HttpLimits limits, final boolean byteByByte)
    {
        parser = new HttpParser(limits, 2);
        flow = parser.open();
        this.byteByByte = byteByByte;
    }

    Harness client(final String text)
    {
        return feed(0, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    Harness server(final String text)
    {
        return feed(1, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Feeds from native memory at an offset, as packet buffers are. */
    Harness feed(final int direction, final byte[] bytes)
    {
        final MemorySegment memory = arena.allocate(bytes.length + 16);
        MemorySegment.copy(bytes, 0, memory, java.lang.foreign.ValueLayout.JAVA_BYTE, 7, bytes.length);
        if (byteByByte)
        {
            for (int i = 0; i < bytes.length; i++)
            {
                parser.feed(flow, direction, memory, 7 + i, 1, recorder);
            }
        }
        else
        {
            parser.feed(flow, direction, memory, 7, bytes.length, recorder);
        }
        return this;
    }

    /** Feeds {@code bytes} in pieces of {@code piece} bytes. */
    Harness feed(final int direction, final byte[] bytes, final int piece)
    {
        for (int at = 0; at < bytes.length; at += piece)
        {
            feed(direction, java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + piece)));
        }
        return this;
    }

    Harness end(final int direction)
    {
        parser.end(flow, direction, recorder);
        return this;
    }

    long count(final HttpCounter counter)
    {
        return parser.counters().get(counter);
    }

    Recorder.Message request(final int index)
    {
        return recorder.requests().get(index);
    }

    Recorder.Message response(final int index)
    {
        return recorder.responses().get(index);
    }

    @Override
    public void close()
    {
        parser.close();
        arena.close();
    }
}
