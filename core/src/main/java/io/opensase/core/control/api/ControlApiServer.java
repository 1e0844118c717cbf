package io.opensase.core.control.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.opensase.core.config.ConfigException;
import io.opensase.core.control.EngineControl;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;

/**
 * The embedded control API: HTTP/1.1 (and 1.0) with JSON bodies, optionally over TLS, in front of an
 * {@link EngineControl}. Two daemon event-loop threads (accept, connections) and the {@link ApiExecutors}
 * threads, none of them a packet thread. Started once, closed once; {@link #reloadTokens()} may be called from
 * any thread (SIGHUP).
 *
 * <p>A request passes, in this order: the connection limit, TLS (with client certificates when a client CA is
 * configured), the HTTP codec (head limits 4 KiB line, 16 KiB headers), the body limit, the rate limit (per
 * principal, or per peer address when no valid token came), the route (404, 405), the bearer token (401),
 * the query and body (400, 415), then the engine call on an executor.
 */
public final class ControlApiServer implements AutoCloseable
{
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_BYTES = 16384;

    private final ControlApiConfig config;
    private final AtomicReference<BearerTokens> tokens;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup connectionGroup;
    private final ApiExecutors executors;
    private final Channel serverChannel;

    private ControlApiServer(final ControlApiConfig config, final AtomicReference<BearerTokens> tokens,
        final EventLoopGroup acceptGroup, final EventLoopGroup connectionGroup, final ApiExecutors executors,
        final Channel serverChannel)
    {
        this.config = config;
        this.tokens = tokens;
        this.acceptGroup = acceptGroup;
        this.connectionGroup = connectionGroup;
        this.executors = executors;
        this.serverChannel = serverChannel;
    }

    /**
     * Reads the tokens file and the TLS files, then listens.
     *
     * @throws ConfigException the tokens file or a TLS file cannot be used ({@code file:line: reason}).
     * @throws IOException     the address cannot be bound (in use, not local).
     */
    public static ControlApiServer start(final ControlApiConfig config, final EngineControl engine)
        throws ConfigException, IOException
    {
        return start(config, engine, System.err::println, System::nanoTime);
    }

    static ControlApiServer start(final ControlApiConfig config, final EngineControl engine,
        final Consumer<String> log, final LongSupplier nanoClock) throws ConfigException, IOException
    {
        Objects.requireNonNull(engine, "engine");
        final AtomicReference<BearerTokens> tokens = new AtomicReference<>(BearerTokens.load(config.tokensFile()));
        final SslContext ssl = config.tls() ? sslContext(config) : null;

        final RateLimiter limiter = new RateLimiter(config.ratePerSecond(), config.rateBurst());
        final ApiExecutors executors = ApiExecutors.start();
        final ApiRouter router = new ApiRouter(engine, tokens::get, limiter, nanoClock, executors, log);
        final EventLoopGroup acceptGroup = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("opensase-api-accept", true), NioIoHandler.newFactory());
        final EventLoopGroup connectionGroup = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("opensase-api-io", true), NioIoHandler.newFactory());
        final ConnectionLimit connectionLimit = new ConnectionLimit(config.maxConnections());
        final long requestTimeoutNs = config.requestTimeout().toNanos();

        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptGroup, connectionGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 64)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    final ApiConnection connection = new ApiConnection(router, config.maxBodyBytes(),
                        requestTimeoutNs, log);
                    channel.pipeline().addLast("limit", connectionLimit);
                    if (null != ssl)
                    {
                        final SslHandler tls = ssl.newHandler(channel.alloc());
                        tls.setHandshakeTimeout(requestTimeoutNs, TimeUnit.NANOSECONDS);
                        channel.pipeline().addLast("tls", tls);
                    }
                    channel.pipeline()
                        .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toNanos(),
                            TimeUnit.NANOSECONDS))
                        .addLast("first-byte", connection.firstByteWatch())
                        .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                            .setMaxInitialLineLength(MAX_INITIAL_LINE)
                            .setMaxHeaderSize(MAX_HEADER_BYTES)
                            .setAllowDuplicateContentLengths(false)))
                        .addLast("api", connection);
                }
            });
        try
        {
            final Channel channel = bootstrap.bind(config.socketAddress()).sync().channel();
            return new ControlApiServer(config, tokens, acceptGroup, connectionGroup, executors, channel);
        }
        catch (final Exception ex)
        {
            acceptGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            connectionGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            executors.close();
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            final String where = config.bindAddress() + ":" + config.port();
            throw ex instanceof BindException bind
                ? new IOException("control api: cannot listen on " + where + ": " + bind.getMessage(), ex)
                : new IOException("control api: cannot listen on " + where + ": " + ex, ex);
        }
    }

    /** The address listened on (with the port taken when the configuration asked for port 0). */
    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    public ControlApiConfig config()
    {
        return config;
    }

    /**
     * Reads the tokens file again and uses it for the next requests; on error the tokens in use stay.
     *
     * @return the principals now accepted.
     * @throws ConfigException as {@link #start}.
     */
    public List<String> reloadTokens() throws ConfigException
    {
        final BearerTokens next = BearerTokens.load(config.tokensFile());
        tokens.set(next);
        return next.principals();
    }

    /** Stops listening, closes every connection, lets the engine calls in progress finish on their own. */
    @Override
    public void close()
    {
        serverChannel.close().awaitUninterruptibly();
        acceptGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        connectionGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        executors.close();
    }

    /**
     * TLS 1.3 and 1.2 through the JDK's engine, from PEM files; client certificates required when a client CA
     * is given.
     */
    static SslContext sslContext(final ControlApiConfig config) throws ConfigException
    {
        final List<X509Certificate> chain = PemFiles.certificates(config.tlsCertificate(), "certificate");
        final PrivateKey key = PemFiles.privateKey(config.tlsKey(), chain.getFirst());
        final SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
            .sslProvider(SslProvider.JDK)
            .protocols("TLSv1.3", "TLSv1.2");
        if (null != config.clientCa())
        {
            builder.trustManager(PemFiles.certificates(config.clientCa(), "CA certificate"))
                .clientAuth(ClientAuth.REQUIRE);
        }
        try
        {
            return builder.build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new ConfigException(config.tlsCertificate(), 0, "", "cannot make a TLS context of it and "
                + config.tlsKey() + ": " + ex.getMessage());
        }
    }

    /** Closes a connection accepted past the limit before anything is read from it. */
    @ChannelHandler.Sharable
    private static final class ConnectionLimit extends ChannelInboundHandlerAdapter
    {
        private final int max;
        private final AtomicInteger open = new AtomicInteger();

        ConnectionLimit(final int max)
        {
            this.max = max;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx) throws Exception
        {
            if (open.incrementAndGet() > max)
            {
                ctx.close();
                return;
            }
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx) throws Exception
        {
            open.decrementAndGet();
            super.channelInactive(ctx);
        }
    }
}
