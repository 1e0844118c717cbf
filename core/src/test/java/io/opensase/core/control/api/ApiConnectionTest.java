package io.opensase.core.control.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.opensase.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection on an embedded channel, where the test decides what one read holds and when each engine call
 * completes: what a socket test cannot make happen on purpose.
 */
class ApiConnectionTest
{
    /** Holds the tasks given to it until the test runs them. */
    private static final class HeldExecutor extends AbstractExecutorService
    {
        final ArrayDeque<Runnable> held = new ArrayDeque<>();

        @Override
        public void execute(final Runnable task)
        {
            held.add(task);
        }

        boolean runOne()
        {
            final Runnable task = held.poll();
            if (null == task)
            {
                return false;
            }
            task.run();
            return true;
        }

        @Override
        public void shutdown()
        {
        }

        @Override
        public List<Runnable> shutdownNow()
        {
            return List.of();
        }

        @Override
        public boolean isShutdown()
        {
            return false;
        }

        @Override
        public boolean isTerminated()
        {
            return false;
        }

        @Override
        public boolean awaitTermination(final long timeout, final TimeUnit unit)
        {
            return true;
        }
    }

    private final FakeEngine engine = new FakeEngine();
    private final HeldExecutor executor = new HeldExecutor();

    private EmbeddedChannel channel() throws ConfigException
    {
        final BearerTokens tokens = BearerTokens.parse(Path.of("tokens"), "alice: " + ControlApiServerTest.ALICE);
        final ExecutorService same = executor;
        final ApiRouter router = new ApiRouter(engine, () -> tokens, new RateLimiter(1000, 1000), System::nanoTime,
            new ApiExecutors(same, same, same), line -> { });
        final ApiConnection connection = new ApiConnection(router, 1 << 20, TimeUnit.SECONDS.toNanos(10), line -> { });
        return new EmbeddedChannel(connection.firstByteWatch(), new HttpServerCodec(), connection);
    }

    private static String written(final EmbeddedChannel channel)
    {
        final StringBuilder out = new StringBuilder();
        for (Object message = channel.readOutbound(); null != message; message = channel.readOutbound())
        {
            final ByteBuf bytes = (ByteBuf)message;
            out.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return out.toString();
    }

    private static List<String> statusLines(final String text)
    {
        final Matcher matcher = Pattern.compile("HTTP/1\\.1 \\d{3} [^\\r]*").matcher(text);
        return matcher.results().map(result -> result.group()).toList();
    }

    @Test
    void shouldAnswerOneAtATimeInOrder() throws Exception
    {
        final EmbeddedChannel channel = channel();

        channel.writeInbound(Unpooled.copiedBuffer("GET /health HTTP/1.1\r\n\r\nGET /nope HTTP/1.1\r\n\r\n"
            + "GET /health HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));

        assertEquals(1, executor.held.size(), "one engine call at a time");
        assertFalse(channel.config().isAutoRead(), "no more reading while a request is served");
        assertEquals("", written(channel));

        assertTrue(executor.runOne());
        assertEquals(List.of("HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"), statusLines(written(channel)),
            "the 404 needs no engine call and follows the first answer at once");
        assertTrue(executor.runOne());
        assertEquals(List.of("HTTP/1.1 200 OK"), statusLines(written(channel)));
        assertTrue(channel.config().isAutoRead(), "reading again once every request is answered");
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldCloseAfterAnsweringTheRequestsItReadAhead() throws Exception
    {
        final EmbeddedChannel channel = channel();

        channel.writeInbound(Unpooled.copiedBuffer("GET /health HTTP/1.1\r\n\r\n".repeat(40),
            StandardCharsets.US_ASCII));
        int answered = 0;
        while (executor.runOne())
        {
            answered++;
        }

        final List<String> lines = statusLines(written(channel));
        assertEquals(ApiConnection.MAX_QUEUED, answered);
        assertEquals(ApiConnection.MAX_QUEUED, lines.size());
        assertTrue(lines.stream().allMatch("HTTP/1.1 200 OK"::equals), lines.toString());
        assertFalse(channel.isActive(), "closed after the last of them; the rest were never read");
        channel.finishAndReleaseAll();
    }
}
