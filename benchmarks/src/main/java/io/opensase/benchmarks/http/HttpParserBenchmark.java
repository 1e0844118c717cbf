package io.opensase.benchmarks.http;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.classifiers.app.http.HttpField;
import io.opensase.classifiers.app.http.HttpLimits;
import io.opensase.classifiers.app.http.HttpListener;
import io.opensase.classifiers.app.http.HttpMessage;
import io.opensase.classifiers.app.http.HttpParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One pass of {@link HttpParser#feed} over every HTTP stream of the shared captures (segments in order, as
 * the reassembler would release them, flows interleaved as captured; gaps passed to {@link HttpParser#gap}),
 * flows opened before and closed after. The setup prints the bytes per pass: ns per byte is the score
 * divided by them. Owned by the JMH thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class HttpParserBenchmark
{
    /** {@code none}: the listener reads nothing; {@code all}: it reads every field of every message. */
    @Param({"none", "all"})
    public String fields;

    /**
     * Inflaters in the pool: 64 (the default) decodes gzip bodies; 0 delivers them compressed, which leaves
     * zlib's share out of the time.
     */
    @Param({"64", "0"})
    public int inflaters;

    private Arena arena;
    private HttpStreams streams;
    private HttpParser parser;
    private int[] flowSlots;
    private HttpStreams.Feed[] feeds;
    private final Reader listener = new Reader();

    /** Counts callbacks and, with {@code all}, reads every field through offset and length. */
    static final class Reader implements HttpListener
    {
        private static final HttpField[] FIELDS = HttpField.values();

        boolean readFields;
        long sum;
        long messages;
        long bodyCalls;
        long bodyBytes;

        @Override
        public void onRequest(final int flow, final HttpMessage request)
        {
            headers(request);
        }

        @Override
        public void onResponse(final int flow, final HttpMessage response)
        {
            headers(response);
        }

        private void headers(final HttpMessage message)
        {
            messages++;
            if (readFields)
            {
                final MemorySegment buffer = message.buffer();
                for (final HttpField field : FIELDS)
                {
                    final int length = message.length(field);
                    if (length > 0)
                    {
                        sum += buffer.get(ValueLayout.JAVA_BYTE, message.offset(field) + length - 1);
                    }
                }
            }
        }

        @Override
        public void onBody(final int flow, final HttpMessage message, final MemorySegment data, final long offset,
            final int length, final long bodyOffset)
        {
            bodyCalls++;
            bodyBytes += length;
        }

        @Override
        public void onMessageEnd(final int flow, final HttpMessage message)
        {
            sum += message.transactionIndex();
        }
    }

    @Setup
    public void setUp() throws IOException
    {
        arena = Arena.ofShared();
        streams = HttpStreams.load(arena);
        final HttpLimits defaults = HttpLimits.defaults();
        parser = new HttpParser(new HttpLimits(defaults.headerBytes(), defaults.bodyBytes(),
            defaults.decompressedBytes(), defaults.decompressionRatio(), defaults.decompressionLayers(), inflaters),
            streams.flows);
        flowSlots = new int[streams.flows];
        feeds = streams.feeds.toArray(HttpStreams.Feed[]::new);
        listener.readFields = "all".equals(fields);
        pass();
        System.out.printf(Locale.ROOT, "%n%d HTTP flows, %d payload bytes in %d feeds per pass; %d messages, "
                + "%d body callbacks, %d decoded body bytes per pass; counters %s%n", streams.flows,
            streams.payloadBytes(), streams.feeds.size(), listener.messages, listener.bodyCalls, listener.bodyBytes,
            parser.counters());
    }

    @Benchmark
    public long pass()
    {
        for (int f = 0; f < flowSlots.length; f++)
        {
            flowSlots[f] = parser.open();
        }
        final MemorySegment bytes = streams.bytes;
        final HttpStreams.Feed[] feeds = this.feeds;
        for (final HttpStreams.Feed feed : feeds)
        {
            if (feed.gap() > 0)
            {
                parser.gap(flowSlots[feed.flow()], feed.direction(), feed.gap());
            }
            else
            {
                parser.feed(flowSlots[feed.flow()], feed.direction(), bytes, feed.offset(), feed.length(), listener);
            }
        }
        for (int f = 0; f < flowSlots.length; f++)
        {
            parser.end(flowSlots[f], 0, listener);
            parser.end(flowSlots[f], 1, listener);
            parser.close(flowSlots[f]);
        }
        return listener.sum;
    }

    @TearDown
    public void tearDown()
    {
        parser.close();
        arena.close();
    }
}
