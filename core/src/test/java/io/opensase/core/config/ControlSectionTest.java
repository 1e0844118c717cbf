package io.opensase.core.config;

import io.opensase.core.control.api.ControlApiConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlSectionTest
{
    private static final Path FILE = Path.of("/etc/opensase/ops.yaml");
    private static final String PORTS = """
        ports:
          - name: branch
            type: pcap
            rx: in.pcap
        """;

    @Test
    void shouldLeaveTheControlApiOutWhenNotConfigured() throws ConfigException
    {
        assertNull(ConfigLoader.parse(FILE, PORTS).control());
    }

    @Test
    void shouldApplyEveryDefaultWhenOnlyTheTokensFileIsGiven() throws ConfigException
    {
        final ControlApiConfig control = ConfigLoader.parse(FILE, PORTS + "control:\n  tokens: api-tokens\n").control();

        assertEquals(ControlApiConfig.defaults(Path.of("/etc/opensase/api-tokens")), control);
        assertEquals("127.0.0.1", control.bindAddress());
        assertEquals(9470, control.port());
        assertFalse(control.tls());
        assertEquals(1_048_576, control.maxBodyBytes());
        assertEquals(20, control.ratePerSecond());
        assertEquals(40, control.rateBurst());
        assertEquals(64, control.maxConnections());
        assertEquals(Duration.ofSeconds(10), control.requestTimeout());
        assertEquals(Duration.ofSeconds(60), control.idleTimeout());
    }

    @Test
    void shouldReadEveryFieldAndResolveFilesAgainstTheConfigFolder() throws ConfigException
    {
        final ControlApiConfig control = ConfigLoader.parse(FILE, PORTS + """
            control:
              address: 192.0.2.10
              port: 8443
              tokens: ../secrets/api-tokens
              tls:
                certificate: tls/api.crt
                key: /etc/pki/api.key
                client_ca: ./tls/../tls/clients.crt
              max_body_bytes: 67_108_864
              rate_limit:
                per_second: 100000
                burst: 1
              max_connections: 10000
              request_timeout: 250ms
              idle_timeout: 1h
            """).control();

        assertEquals(new ControlApiConfig("192.0.2.10", 8443, Path.of("/etc/secrets/api-tokens"),
            Path.of("/etc/opensase/tls/api.crt"), Path.of("/etc/pki/api.key"), Path.of("/etc/opensase/tls/clients.crt"),
            64 << 20, 100_000, 1, 10_000, Duration.ofMillis(250), Duration.ofHours(1)), control);
        assertTrue(control.tls());
    }

    @Test
    void shouldTakeIpv6Literals() throws ConfigException
    {
        assertEquals("::1", ConfigLoader.parse(FILE, PORTS + "control:\n  address: ::1\n  tokens: t\n").control()
            .bindAddress());
        assertEquals("2001:db8::1", ConfigLoader.parse(FILE, PORTS + """
            control:
              address: '2001:db8::1'
              tokens: t
              tls: {certificate: c.pem, key: k.pem}
            """).control().bindAddress());
    }

    @Test
    void shouldNotNeedTheTokensOrTlsFilesToExistWhenLoading() throws ConfigException
    {
        final ControlApiConfig control = ConfigLoader.parse(FILE, PORTS + """
            control:
              tokens: no-such-tokens
              tls: {certificate: no-such.crt, key: no-such.key}
            """).control();

        assertFalse(Files.exists(control.tokensFile()));
        assertFalse(Files.exists(control.tlsCertificate()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        not a mapping               | 'control: 12'                                                            | 1 | control                      | expected a mapping of address, idle_timeout, max_body_bytes, max_connections, port, rate_limit, request_timeout, tls, tokens
        unknown field               | 'control:\\n  tokens: t\\n  bind: 127.0.0.1'                             | 3 | control.bind                 | unknown field; allowed here: address, idle_timeout, max_body_bytes, max_connections, port, rate_limit, request_timeout, tls, tokens
        field given twice           | 'control:\\n  tokens: t\\n  port: 1\\n  port: 2'                         | 4 | control.port                 | given twice
        tokens missing              | 'control:\\n  port: 9000'                                                | 2 | control.tokens               | missing; this field is required
        tokens empty                | 'control:\\n  tokens: '''''                                              | 2 | control.tokens               | expected a file name, got nothing
        tokens a folder             | 'control:\\n  tokens: secrets/'                                          | 2 | control.tokens               | 'secrets/' names a folder; expected a file
        tokens the parent folder    | 'control:\\n  tokens: ..'                                                | 2 | control.tokens               | '..' names a folder; expected a file
        tokens a list               | 'control:\\n  tokens: [a, b]'                                            | 2 | control.tokens               | expected a single value
        address a host name         | 'control:\\n  tokens: t\\n  address: localhost'                          | 3 | control.address              | 'localhost' is not an IP address; give one such as 127.0.0.1 or ::1 (host names are not resolved)
        address shorthand           | 'control:\\n  tokens: t\\n  address: 127.1'                              | 3 | control.address              | '127.1' is not an IP address; give one such as 127.0.0.1 or ::1 (host names are not resolved)
        address leading zero        | 'control:\\n  tokens: t\\n  address: 0127.0.0.1'                         | 3 | control.address              | '0127.0.0.1' is not an IP address; give one such as 127.0.0.1 or ::1 (host names are not resolved)
        address bad IPv6            | 'control:\\n  tokens: t\\n  address: ''::g'''                            | 3 | control.address              | '::g' is not an IP address; give one such as 127.0.0.1 or ::1 (host names are not resolved)
        address not loopback        | 'control:\\n  tokens: t\\n  address: 0.0.0.0'                            | 3 | control.address              | 0.0.0.0 is not a loopback address; it needs tls, or bearer tokens would cross the network in clear
        port zero                   | 'control:\\n  tokens: t\\n  port: 0'                                     | 3 | control.port                 | must be 1..65535, got 0
        port too big                | 'control:\\n  tokens: t\\n  port: 65536'                                 | 3 | control.port                 | must be 1..65535, got 65536
        port not a number           | 'control:\\n  tokens: t\\n  port: https'                                 | 3 | control.port                 | expected an integer 1..65535, got 'https'
        tls not a mapping           | 'control:\\n  tokens: t\\n  tls: true'                                   | 3 | control.tls                  | expected a mapping of certificate, client_ca, key
        tls unknown field           | 'control:\\n  tokens: t\\n  tls:\\n    cert: c.pem'                      | 4 | control.tls.cert             | unknown field; allowed here: certificate, client_ca, key
        tls certificate alone       | 'control:\\n  tokens: t\\n  tls:\\n    certificate: c.pem'               | 4 | control.tls.key              | missing; certificate and key go together
        tls key alone               | 'control:\\n  tokens: t\\n  tls:\\n    key: k.pem'                       | 4 | control.tls.certificate      | missing; certificate and key go together
        tls empty                   | 'control:\\n  tokens: t\\n  tls: {}'                                     | 3 | control.tls.certificate      | missing; certificate and key go together
        client_ca without tls       | 'control:\\n  tokens: t\\n  tls:\\n    client_ca: ca.pem'                | 4 | control.tls.client_ca        | needs tls.certificate and tls.key: client certificates are checked in the TLS handshake
        tls key a folder            | 'control:\\n  tokens: t\\n  tls: {certificate: c, key: /etc/}'           | 3 | control.tls.key              | '/etc/' names a folder; expected a file
        max_body_bytes zero         | 'control:\\n  tokens: t\\n  max_body_bytes: 0'                           | 3 | control.max_body_bytes       | must be 1..67108864, got 0
        max_body_bytes too big      | 'control:\\n  tokens: t\\n  max_body_bytes: 67108865'                    | 3 | control.max_body_bytes       | must be 1..67108864, got 67108865
        rate_limit not a mapping    | 'control:\\n  tokens: t\\n  rate_limit: 20'                              | 3 | control.rate_limit           | expected a mapping of burst, per_second
        rate_limit unknown field    | 'control:\\n  tokens: t\\n  rate_limit:\\n    rate: 5'                   | 4 | control.rate_limit.rate      | unknown field; allowed here: burst, per_second
        per_second zero             | 'control:\\n  tokens: t\\n  rate_limit:\\n    per_second: 0'             | 4 | control.rate_limit.per_second | must be 1..100000, got 0
        per_second too big          | 'control:\\n  tokens: t\\n  rate_limit:\\n    per_second: 100001'        | 4 | control.rate_limit.per_second | must be 1..100000, got 100001
        burst zero                  | 'control:\\n  tokens: t\\n  rate_limit: {burst: 0}'                      | 3 | control.rate_limit.burst     | must be 1..100000, got 0
        burst not a number          | 'control:\\n  tokens: t\\n  rate_limit:\\n    burst: lots'               | 4 | control.rate_limit.burst     | expected an integer 1..100000, got 'lots'
        max_connections zero        | 'control:\\n  tokens: t\\n  max_connections: 0'                          | 3 | control.max_connections      | must be 1..10000, got 0
        max_connections too big     | 'control:\\n  tokens: t\\n  max_connections: 10001'                      | 3 | control.max_connections      | must be 1..10000, got 10001
        request_timeout too long    | 'control:\\n  tokens: t\\n  request_timeout: 61m'                        | 3 | control.request_timeout      | must be at most 1h, got '61m'
        request_timeout not a time  | 'control:\\n  tokens: t\\n  request_timeout: soon'                       | 3 | control.request_timeout      | expected a duration such as 250ms, 30s, 5m or 1h, got 'soon'
        idle_timeout zero           | 'control:\\n  tokens: t\\n  idle_timeout: 0s'                            | 3 | control.idle_timeout         | must be a positive duration, got '0s'
        idle_timeout too long       | 'control:\\n  tokens: t\\n  idle_timeout: 2h'                            | 3 | control.idle_timeout         | must be at most 1h, got '2h'
        """)
    void shouldRejectBadFieldsWithLineAndReason(
        final String name, final String yaml, final int line, final String field, final String reason)
    {
        final ConfigException error = assertThrows(ConfigException.class,
            () -> ConfigLoader.parse(FILE, PORTS + yaml.replace("\\n", "\n") + "\n"));

        assertEquals(FILE, error.file());
        assertEquals(line + 4, error.line(), error.getMessage());
        assertEquals(field, error.field(), error.getMessage());
        assertEquals(reason, error.reason(), error.getMessage());
        assertEquals(FILE + ":" + (line + 4) + ": " + field + ": " + reason, error.getMessage());
    }

    @Test
    void shouldTakeANonLoopbackAddressWithTls() throws ConfigException
    {
        final ControlApiConfig control = ConfigLoader.parse(FILE, PORTS + """
            control:
              address: 0.0.0.0
              tokens: t
              tls: {certificate: c.pem, key: k.pem}
            """).control();

        assertEquals("0.0.0.0", control.bindAddress());
    }

    @Test
    void shouldPlaceAConstructorErrorOnItsFieldOrElseOnTheSection()
    {
        final YamlNode section = node("control:\n  tokens: t\n  rate_limit:\n    burst: 3\n").peek("control");

        final ConfigException given = section.rejected(new IllegalArgumentException("rate_limit.burst: too small"));
        assertEquals(4, given.line());
        assertEquals("control.rate_limit.burst", given.field());
        assertEquals("too small", given.reason());

        final ConfigException defaulted = section.rejected(new IllegalArgumentException("rate_limit.per_second: x"));
        assertEquals(2, defaulted.line());
        assertEquals("control.rate_limit.per_second", defaulted.field());
        assertEquals("x", defaulted.reason());

        final ConfigException plain = section.rejected(new IllegalArgumentException("Something: odd"));
        assertEquals(2, plain.line());
        assertEquals("control", plain.field());
        assertEquals("Something: odd", plain.reason());
    }

    private static YamlNode node(final String yaml)
    {
        final LoadSettings settings = LoadSettings.builder().build();
        return new YamlNode(FILE, "",
            new Composer(settings, new ParserImpl(settings, new StreamReader(settings, yaml))).getSingleNode()
                .orElseThrow());
    }
}
