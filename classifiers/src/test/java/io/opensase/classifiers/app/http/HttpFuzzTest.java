package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated streams (bytes flipped, inserted, deleted; separators and digits favoured), fed in random pieces
 * with random gaps and stream ends, through small limits: nothing is thrown, every message that starts ends
 * at most once, bodies stay within the limit, and the inflater pool is whole again when the flows close.
 */
class HttpFuzzTest
{
    private static final byte[] INTERESTING = " \t\r\n:;,0123456789abcdefABCDEF%/.?\\\u001f\u008b\u0078".getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1);

    @Test
    void shouldSurviveMutatedStreams()
    {
        final List<byte[][]> seeds = seeds();
        final SplittableRandom random = new SplittableRandom(20261204);
        final HttpLimits limits = new HttpLimits(512, 2048, 8192, 20, 3, 3);
        try (HttpParser parser = new HttpParser(limits, 4))
        {
            for (int round = 0; round < 3000; round++)
            {
                final byte[][] seed = seeds.get(random.nextInt(seeds.size()));
                final Checker checker = new Checker(limits);
                final int flow = parser.open();
                for (int direction = 0; direction < 2; direction++)
                {
                    final byte[] bytes = mutate(seed[direction], random);
                    int at = 0;
                    while (at < bytes.length)
                    {
                        final int n = Math.min(bytes.length - at, 1 + random.nextInt(600));
                        if (random.nextInt(20) == 0)
                        {
                            parser.gap(flow, direction, 1 + random.nextInt(300));
                        }
                        parser.feed(flow, direction, MemorySegment.ofArray(bytes), at, n, checker);
                        at += n;
                    }
                    if (random.nextBoolean())
                    {
                        parser.end(flow, direction, checker);
                    }
                }
                parser.close(flow);
            }
            assertTrue(parser.counters().requests() > 1000, parser.counters().toString());
            assertTrue(parser.counters().get(HttpCounter.NO_INFLATER) == 0, "inflaters all returned");
        }
    }

    /** Requests and responses of the shared evader and web captures, and hand-written gzip and chunked ones. */
    private static List<byte[][]> seeds()
    {
        final List<byte[][]> seeds = new ArrayList<>();
        for (final String name : new String[] {"ids-verify/http-evader/http-evader-000/input.pcap",
            "ids-verify/http-evader/http-evader-008/input.pcap", "ids-verify/http-chunked/input.pcap",
            "pcap/web-http/zeek-http-get-gzip.pcap", "pcap/web-http/zeek-http-pipelined-requests.pcap"})
        {
            final ByteArrayOutputStream[] sides = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
            for (final TcpStreams.Piece piece : TcpStreams.follow(SharedData.resolve(name), 0))
            {
                sides[piece.direction()].writeBytes(piece.bytes());
            }
            seeds.add(new byte[][] {sides[0].toByteArray(), sides[1].toByteArray()});
        }
        return seeds;
    }

    private static byte[] mutate(final byte[] input, final SplittableRandom random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int rate = 1 + random.nextInt(200);
        for (final byte b : input)
        {
            final int roll = random.nextInt(rate * 3);
            if (0 == roll)
            {
                continue;
            }
            if (1 == roll)
            {
                out.write(INTERESTING[random.nextInt(INTERESTING.length)]);
            }
            out.write(2 == roll ? INTERESTING[random.nextInt(INTERESTING.length)] : b);
        }
        return out.toByteArray();
    }

    /** Checks each callback against the message's state and reads every field. */
    private static final class Checker implements HttpListener
    {
        private final HttpLimits limits;
        private final boolean[] open = new boolean[2];
        private final long[] body = new long[2];

        Checker(final HttpLimits limits)
        {
            this.limits = limits;
        }

        @Override
        public void onRequest(final int flow, final HttpMessage request)
        {
            start(0, request);
        }

        @Override
        public void onResponse(final int flow, final HttpMessage response)
        {
            start(1, response);
        }

        private void start(final int direction, final HttpMessage message)
        {
            assertTrue(!open[direction], "a message starts while another is open");
            open[direction] = true;
            body[direction] = 0;
            for (final HttpField field : HttpField.values())
            {
                assertTrue(message.get(field).byteSize() >= 0);
            }
        }

        @Override
        public void onBody(final int flow, final HttpMessage message, final MemorySegment data, final long at,
            final int length, final long offset)
        {
            final int direction = message.isRequest() ? 0 : 1;
            assertTrue(open[direction], "body outside a message");
            assertTrue(offset >= body[direction] && length > 0);
            body[direction] = offset + length;
            assertTrue(body[direction] <= limits.bodyBytes() + 300 * 8, "body within the limit (gaps aside)");
        }

        @Override
        public void onMessageEnd(final int flow, final HttpMessage message)
        {
            final int direction = message.isRequest() ? 0 : 1;
            assertTrue(open[direction], "end without a start");
            open[direction] = false;
        }
    }
}
