package io.opensase.core.control.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection's requests, read whole and answered one at a time in the order they came (so pipelined
 * requests get their responses in order while the engine calls run elsewhere). Owned by the connection's
 * event loop: every field is read and written on it only.
 *
 * <p>Limits: the body (413 and close, refused from its Content-Length before it is read when it says so), the
 * time from a request's first byte to its last (408 and close), requests read ahead of their answers
 * ({@value #MAX_QUEUED}; reading pauses while one is served, and past that the connection closes once those
 * are answered), idle time (close). A request the codec cannot read gets 400 (414 for a long request line,
 * 431 for long headers) and the connection closes, since what follows it cannot be framed.
 */
final class ApiConnection extends ChannelInboundHandlerAdapter
{
    static final int MAX_QUEUED = 16;
    static final long LINGER_MS = 2000;

    private final ApiRouter router;
    private final int maxBodyBytes;
    private final long requestTimeoutNs;
    private final Consumer<String> log;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private HttpRequest head;
    private byte[] body = new byte[0];
    private int bodyLength;
    private boolean discarding;
    private boolean closeWhenDrained;
    private boolean busy;
    private ScheduledFuture<?> deadline;
    private ChannelHandlerContext context;

    ApiConnection(final ApiRouter router, final int maxBodyBytes, final long requestTimeoutNs,
        final Consumer<String> log)
    {
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
        this.requestTimeoutNs = requestTimeoutNs;
        this.log = log;
    }

    /** A request read whole, or an answer already decided for a request that could not be. */
    private record Pending(ApiRequest request, ApiResponse immediate, boolean keepAlive, boolean http10)
    {
    }

    /**
     * Sits in front of the HTTP codec and starts the request deadline at a request's first byte, before the
     * codec has a whole head to show (slow headers).
     */
    ChannelInboundHandlerAdapter firstByteWatch()
    {
        return new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                if (msg instanceof ByteBuf bytes && bytes.isReadable() && null != context)
                {
                    armDeadline(context);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        context = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (discarding)
            {
                return;
            }
            if (msg instanceof HttpRequest request)
            {
                onHead(ctx, request);
            }
            if (!discarding && msg instanceof HttpContent content)
            {
                onContent(ctx, content);
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof IdleStateEvent)
        {
            if (!busy && queue.isEmpty())
            {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        cancelDeadline();
        queue.clear();
        head = null;
        discarding = true;
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // Resets, TLS handshakes that fail (a plaintext client, an unknown client certificate: SSLException is
        // an IOException) end the connection quietly: they are the peer's doing and could flood the log.
        final Throwable root = cause instanceof DecoderException && null != cause.getCause() ? cause.getCause()
            : cause;
        if (!(root instanceof IOException))
        {
            log.accept("opensase: control api: connection from " + peer(ctx) + " failed: "
                + ApiRouter.oneLine(root.toString()));
        }
        ctx.close();
    }

    private void onHead(final ChannelHandlerContext ctx, final HttpRequest request)
    {
        armDeadline(ctx);
        final DecoderResult result = request.decoderResult();
        if (result.isFailure())
        {
            reject(ctx, malformed(result.cause()));
            return;
        }
        final HttpVersion version = request.protocolVersion();
        if (!HttpVersion.HTTP_1_1.equals(version) && !HttpVersion.HTTP_1_0.equals(version))
        {
            reject(ctx, ApiResponse.errorAndClose(505, "HTTP/1.1 or HTTP/1.0 only"));
            return;
        }
        if (!request.uri().chars().allMatch(c -> c > 0x20 && c < 0x7f))
        {
            reject(ctx, ApiResponse.errorAndClose(400, "malformed request: the request target holds characters"
                + " other than visible ASCII"));
            return;
        }
        head = request;
        bodyLength = 0;
        final long length;
        try
        {
            length = HttpUtil.getContentLength(request, -1L);
        }
        catch (final NumberFormatException ex)
        {
            reject(ctx, ApiResponse.errorAndClose(400, "malformed request: Content-Length is not a number"));
            return;
        }
        if (length > maxBodyBytes)
        {
            reject(ctx, tooLarge());
            return;
        }
        final String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (null != expect)
        {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.strip()))
            {
                reject(ctx, ApiResponse.errorAndClose(417, "only 'Expect: 100-continue' is understood"));
                return;
            }
            if (!busy && queue.isEmpty())
            {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
            }
        }
    }

    private void onContent(final ChannelHandlerContext ctx, final HttpContent content)
    {
        if (null == head)
        {
            return;
        }
        if (content.decoderResult().isFailure())
        {
            reject(ctx, malformed(content.decoderResult().cause()));
            return;
        }
        final ByteBuf bytes = content.content();
        final int readable = bytes.readableBytes();
        if (readable > maxBodyBytes - bodyLength)
        {
            reject(ctx, tooLarge());
            return;
        }
        if (bodyLength + readable > body.length)
        {
            body = Arrays.copyOf(body, Math.min(maxBodyBytes, Math.max(bodyLength + readable, 2 * body.length)));
        }
        bytes.getBytes(bytes.readerIndex(), body, bodyLength, readable);
        bodyLength += readable;
        if (content instanceof LastHttpContent last)
        {
            final HttpHeaders headers = head.headers().copy();
            headers.add(last.trailingHeaders());
            final ApiRequest request = new ApiRequest(head.method(), head.uri(), headers,
                Arrays.copyOf(body, bodyLength), peer(ctx));
            final boolean keepAlive = HttpUtil.isKeepAlive(head);
            final boolean http10 = HttpVersion.HTTP_1_0.equals(head.protocolVersion());
            head = null;
            body = new byte[0];
            bodyLength = 0;
            cancelDeadline();
            enqueue(ctx, new Pending(request, null, keepAlive, http10));
        }
    }

    private void reject(final ChannelHandlerContext ctx, final ApiResponse response)
    {
        head = null;
        body = new byte[0];
        discarding = true;
        cancelDeadline();
        enqueue(ctx, new Pending(null, response, false, false));
    }

    private void enqueue(final ChannelHandlerContext ctx, final Pending pending)
    {
        queue.add(pending);
        if (queue.size() + (busy ? 1 : 0) >= MAX_QUEUED)
        {
            discarding = true;
            closeWhenDrained = true;
        }
        processNext(ctx);
    }

    private void processNext(final ChannelHandlerContext ctx)
    {
        if (busy || queue.isEmpty())
        {
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        final Pending pending = queue.poll();
        if (null != pending.immediate())
        {
            respond(ctx, pending, pending.immediate());
            return;
        }
        CompletableFuture<ApiResponse> answer;
        try
        {
            answer = router.handle(pending.request());
        }
        catch (final RuntimeException ex)
        {
            log.accept("opensase: control api: " + pending.request().method() + " "
                + ApiRouter.printable(pending.request().uri()) + " failed: " + ApiRouter.oneLine(ex.toString()));
            answer = CompletableFuture.completedFuture(ApiResponse.error(500, "internal error"));
        }
        answer.whenComplete((response, failure) ->
        {
            final ApiResponse checked = null != response ? response : ApiResponse.error(500, "internal error");
            if (ctx.executor().inEventLoop())
            {
                respond(ctx, pending, checked);
            }
            else
            {
                try
                {
                    ctx.executor().execute(() -> respond(ctx, pending, checked));
                }
                catch (final RejectedExecutionException ex)
                {
                    // The server is shutting down; the connection goes with it.
                }
            }
        });
    }

    private void respond(final ChannelHandlerContext ctx, final Pending pending, final ApiResponse response)
    {
        if (!ctx.channel().isActive())
        {
            return;
        }
        final boolean close = response.close() || !pending.keepAlive() || (closeWhenDrained && queue.isEmpty());
        final byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        final FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(bytes));
        final HttpHeaders headers = http.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        headers.set("X-Content-Type-Options", "nosniff");
        for (final Map.Entry<String, String> header : response.headers().entrySet())
        {
            headers.set(header.getKey(), header.getValue());
        }
        if (close)
        {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            discarding = true;
            queue.clear();
            cancelDeadline();
            ctx.writeAndFlush(http).addListener(written -> lingeringClose(ctx, written.isSuccess()));
            return;
        }
        if (pending.http10())
        {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(http);
        busy = false;
        if (queue.isEmpty())
        {
            ctx.channel().config().setAutoRead(true);
        }
        else
        {
            processNext(ctx);
        }
    }

    /**
     * Ends the connection after a response that closes it: the output is shut (the peer reads the response,
     * then the end), what the peer still sends is read and dropped, and the connection closes when the peer
     * closes or after {@value #LINGER_MS} ms. Closing at once while a refused body is still arriving would
     * reset the connection, and the peer could lose the response before reading it.
     */
    private void lingeringClose(final ChannelHandlerContext ctx, final boolean written)
    {
        if (!written || !(ctx.channel() instanceof SocketChannel socket) || !socket.isActive())
        {
            ctx.close();
            return;
        }
        socket.shutdownOutput();
        socket.config().setAutoRead(true);
        ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
    }

    private void armDeadline(final ChannelHandlerContext ctx)
    {
        if (null == deadline && !discarding)
        {
            deadline = ctx.executor().schedule(() -> onDeadline(ctx), requestTimeoutNs, TimeUnit.NANOSECONDS);
        }
    }

    private void onDeadline(final ChannelHandlerContext ctx)
    {
        deadline = null;
        if (discarding || !ctx.channel().isActive())
        {
            return;
        }
        if (busy || !queue.isEmpty())
        {
            // A request is being answered while the next one trickles in: answer what is whole, then close.
            discarding = true;
            closeWhenDrained = true;
            head = null;
            return;
        }
        reject(ctx, ApiResponse.errorAndClose(408, "request not received whole within "
            + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNs) + " ms"));
    }

    private void cancelDeadline()
    {
        if (null != deadline)
        {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private ApiResponse tooLarge()
    {
        return ApiResponse.errorAndClose(413, "request body larger than " + maxBodyBytes + " bytes");
    }

    private static ApiResponse malformed(final Throwable cause)
    {
        if (cause instanceof TooLongHttpLineException)
        {
            return ApiResponse.errorAndClose(414, "request line too long");
        }
        if (cause instanceof TooLongHttpHeaderException)
        {
            return ApiResponse.errorAndClose(431, "request headers too large");
        }
        final String detail = null == cause || null == cause.getMessage() ? "" : ": "
            + ApiRouter.printable(cause.getMessage());
        return ApiResponse.errorAndClose(400, "malformed request" + detail);
    }

    private static String peer(final ChannelHandlerContext ctx)
    {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address && null != address.getAddress()
            ? address.getAddress().getHostAddress()
            : String.valueOf(ctx.channel().remoteAddress());
    }
}
