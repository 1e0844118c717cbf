package io.opensase.core.control.api;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlApiConfigTest
{
    private static final Path TOKENS = Path.of("/etc/opensase/api-tokens");
    private static final Path CERT = Path.of("/etc/opensase/api.pem");
    private static final Path KEY = Path.of("/etc/opensase/api.key");

    @Test
    void shouldDefaultToPlainHttpOnLoopbackWithLimits()
    {
        final ControlApiConfig config = ControlApiConfig.defaults(TOKENS);

        assertEquals("127.0.0.1", config.bindAddress());
        assertTrue(config.socketAddress().getAddress().isLoopbackAddress());
        assertEquals(9470, config.port());
        assertEquals(TOKENS, config.tokensFile());
        assertFalse(config.tls());
        assertNull(config.clientCa());
        assertEquals(1 << 20, config.maxBodyBytes());
        assertEquals(20, config.ratePerSecond());
        assertEquals(40, config.rateBurst());
        assertEquals(64, config.maxConnections());
        assertEquals(Duration.ofSeconds(10), config.requestTimeout());
        assertEquals(Duration.ofSeconds(60), config.idleTimeout());
    }

    @Test
    void shouldTakeIpv6LoopbackWithoutTlsAndAnyAddressWithTls()
    {
        assertEquals("::1", ControlApiConfig.defaults(TOKENS).withListen("::1", 0).bindAddress());
        assertEquals("::", ControlApiConfig.defaults(TOKENS).withTls(CERT, KEY, null).withListen("::", 443)
            .bindAddress());
    }

    @Test
    void shouldRefuseWhatCannotWork()
    {
        final ControlApiConfig base = ControlApiConfig.defaults(TOKENS);
        assertRefused("address: 'localhost' is not an IPv4 or IPv6 address", () -> base.withListen("localhost", 1));
        assertRefused("address: 192.0.2.1 is not a loopback address; it needs tls, or bearer tokens would cross the"
            + " network in clear", () -> base.withListen("192.0.2.1", 1));
        assertRefused("port: 65536 is not in 0..65535", () -> base.withListen("127.0.0.1", 65536));
        assertRefused("tokens: missing; the API needs a tokens file (no token is built in)",
            () -> ControlApiConfig.defaults(null));
        assertRefused("tls: certificate and key go together; one of them is missing",
            () -> base.withTls(CERT, null, null));
        assertRefused("tls.client_ca: needs tls.certificate and tls.key", () -> base.withTls(null, null, CERT));
        assertRefused("max_body_bytes: 0 is not in 1..67108864", () -> base.withLimits(0, 1, 1, 1));
        assertRefused("rate_limit.per_second: 0 is not in 1..100000", () -> base.withLimits(1, 0, 1, 1));
        assertRefused("rate_limit.burst: 0 is not in 1..100000", () -> base.withLimits(1, 1, 0, 1));
        assertRefused("max_connections: 0 is not in 1..10000", () -> base.withLimits(1, 1, 1, 0));
        assertRefused("request_timeout: PT0S is not in 1ms..1h", () -> base.withTimeouts(Duration.ZERO,
            Duration.ofSeconds(1)));
        assertRefused("idle_timeout: PT2H is not in 1ms..1h", () -> base.withTimeouts(Duration.ofSeconds(1),
            Duration.ofHours(2)));
    }

    private static void assertRefused(final String message, final Runnable build)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, build::run).getMessage());
    }
}
