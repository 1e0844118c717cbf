package io.opensase.core.control.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the control API listens and what it allows; immutable, checked whole when built. Every limit has a
 * default (the {@code DEFAULT_*} constants), so {@link #defaults(Path)} needs only the tokens file.
 *
 * @param bindAddress    an IP literal (no host names, so nothing is resolved): {@code 127.0.0.1} by default.
 *                       Any other than a loopback address needs TLS, since bearer tokens would otherwise cross
 *                       the network in clear.
 * @param port           TCP port; 0 takes an ephemeral one (tests).
 * @param tokensFile     named bearer tokens, one {@code name: token} a line (see {@link BearerTokens}); required.
 * @param tlsCertificate PEM certificate chain of the server; null for plain HTTP. Given with {@code tlsKey}.
 * @param tlsKey         PEM PKCS#8 private key (unencrypted) of the certificate; null for plain HTTP.
 * @param clientCa       PEM certificates of the CA that signs client certificates; when given, every client
 *                       must present one it signed, checked during the TLS handshake. Needs TLS.
 * @param maxBodyBytes   largest request body; a larger one is answered 413 and the connection closed.
 * @param ratePerSecond  requests per second each principal (or, before it is known, each peer address) may
 *                       make on average.
 * @param rateBurst      requests a principal or peer may make at once after a quiet spell.
 * @param maxConnections connections open at once; more are closed as soon as they are accepted.
 * @param requestTimeout time from a request's first byte to its last (and the TLS handshake); a request still
 *                       incomplete then is answered 408 and its connection closed (slow senders).
 * @param idleTimeout    a connection with no request in progress and no traffic for this long is closed.
 */
public record ControlApiConfig(
    String bindAddress,
    int port,
    Path tokensFile,
    Path tlsCertificate,
    Path tlsKey,
    Path clientCa,
    int maxBodyBytes,
    int ratePerSecond,
    int rateBurst,
    int maxConnections,
    Duration requestTimeout,
    Duration idleTimeout)
{
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 9470;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int MAX_BODY_BYTES_LIMIT = 64 << 20;
    public static final int DEFAULT_RATE_PER_SECOND = 20;
    public static final int DEFAULT_RATE_BURST = 40;
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @throws IllegalArgumentException naming the first value out of range, or a combination that cannot work
     *                                  (a key without a certificate, a client CA without TLS, a non-loopback
     *                                  address without TLS).
     */
    public ControlApiConfig
    {
        if (null == bindAddress)
        {
            throw new IllegalArgumentException("address: missing");
        }
        final InetAddress address = literal(bindAddress);
        check("port", port, 0, 65535);
        if (null == tokensFile)
        {
            throw new IllegalArgumentException("tokens: missing; the API needs a tokens file (no token is built in)");
        }
        if ((null == tlsCertificate) != (null == tlsKey))
        {
            throw new IllegalArgumentException("tls: certificate and key go together; one of them is missing");
        }
        if (null != clientCa && null == tlsCertificate)
        {
            throw new IllegalArgumentException("tls.client_ca: needs tls.certificate and tls.key");
        }
        if (null == tlsCertificate && !address.isLoopbackAddress())
        {
            throw new IllegalArgumentException("address: " + bindAddress
                + " is not a loopback address; it needs tls, or bearer tokens would cross the network in clear");
        }
        check("max_body_bytes", maxBodyBytes, 1, MAX_BODY_BYTES_LIMIT);
        check("rate_limit.per_second", ratePerSecond, 1, 100_000);
        check("rate_limit.burst", rateBurst, 1, 100_000);
        check("max_connections", maxConnections, 1, 10_000);
        checkDuration("request_timeout", requestTimeout);
        checkDuration("idle_timeout", idleTimeout);
    }

    /** Every default, with {@code tokensFile}: plain HTTP on 127.0.0.1:{@value #DEFAULT_PORT}. */
    public static ControlApiConfig defaults(final Path tokensFile)
    {
        return new ControlApiConfig(DEFAULT_BIND_ADDRESS, DEFAULT_PORT, tokensFile, null, null, null,
            DEFAULT_MAX_BODY_BYTES, DEFAULT_RATE_PER_SECOND, DEFAULT_RATE_BURST, DEFAULT_MAX_CONNECTIONS,
            DEFAULT_REQUEST_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    public ControlApiConfig withListen(final String bindAddress, final int port)
    {
        return new ControlApiConfig(bindAddress, port, tokensFile, tlsCertificate, tlsKey, clientCa,
            maxBodyBytes, ratePerSecond, rateBurst, maxConnections, requestTimeout, idleTimeout);
    }

    /** TLS with this certificate and key; {@code clientCa} null for no client certificates. */
    public ControlApiConfig withTls(final Path certificate, final Path key, final Path clientCa)
    {
        return new ControlApiConfig(bindAddress, port, tokensFile, certificate, key, clientCa,
            maxBodyBytes, ratePerSecond, rateBurst, maxConnections, requestTimeout, idleTimeout);
    }

    public ControlApiConfig withLimits(final int maxBodyBytes, final int ratePerSecond, final int rateBurst,
        final int maxConnections)
    {
        return new ControlApiConfig(bindAddress, port, tokensFile, tlsCertificate, tlsKey, clientCa,
            maxBodyBytes, ratePerSecond, rateBurst, maxConnections, requestTimeout, idleTimeout);
    }

    public ControlApiConfig withTimeouts(final Duration requestTimeout, final Duration idleTimeout)
    {
        return new ControlApiConfig(bindAddress, port, tokensFile, tlsCertificate, tlsKey, clientCa,
            maxBodyBytes, ratePerSecond, rateBurst, maxConnections, requestTimeout, idleTimeout);
    }

    public boolean tls()
    {
        return null != tlsCertificate;
    }

    public InetSocketAddress socketAddress()
    {
        return new InetSocketAddress(literal(bindAddress), port);
    }

    private static InetAddress literal(final String text)
    {
        try
        {
            return InetAddress.ofLiteral(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("address: '" + text + "' is not an IPv4 or IPv6 address", ex);
        }
    }

    private static void check(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + ": " + value + " is not in " + min + ".." + max);
        }
    }

    private static void checkDuration(final String name, final Duration value)
    {
        if (null == value || value.toMillis() < 1 || value.compareTo(Duration.ofHours(1)) > 0)
        {
            throw new IllegalArgumentException(name + ": " + value + " is not in 1ms..1h");
        }
    }
}
