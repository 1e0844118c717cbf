package io.opensase.core.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.ConfigException;
import io.opensase.core.control.FlowFilter;
import io.opensase.core.control.TraceFilter;
import io.opensase.core.control.ReloadOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ControlApiServerTest
{
    static final String ALICE = "alice-0123456789abcdef0123456789";
    static final String BOB = "bob-fedcba9876543210fedcba987654";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final FakeEngine engine = new FakeEngine();
    private final Queue<String> log = new ConcurrentLinkedQueue<>();
    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    private Path tokens;
    private ControlApiServer server;

    @BeforeEach
    void writeTokens() throws IOException
    {
        tokens = tokensFile(dir, "# operators\nalice: " + ALICE + "\n\nbob " + BOB + "\n");
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.close();
        }
        http.close();
    }

    static Path tokensFile(final Path dir, final String text) throws IOException
    {
        final Path file = dir.resolve("tokens");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private ControlApiConfig config()
    {
        return ControlApiConfig.defaults(tokens).withListen("127.0.0.1", 0).withLimits(1 << 20, 1000, 1000, 64);
    }

    private ControlApiServer start(final ControlApiConfig config) throws Exception
    {
        server = ControlApiServer.start(config, engine, log::add, clockNs::get);
        return server;
    }

    private URI uri(final String pathAndQuery)
    {
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort() + pathAndQuery);
    }

    private HttpResponse<String> get(final String path, final String token) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5));
        if (null != token)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(final String method, final String path, final String contentType,
        final byte[] body) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + ALICE)
            .method(method, null == body ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (null != contentType)
        {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private RawHttp raw() throws IOException
    {
        return new RawHttp(server.localAddress());
    }

    static String error(final String body) throws IOException
    {
        final JsonNode node = JSON.readTree(body);
        assertTrue(node.isObject() && node.has("error") && node.get("error").isTextual(), body);
        final String message = node.get("error").asText();
        assertFalse(message.contains("Exception") || message.contains("\tat ") || body.contains("at io."),
            "no stack trace or exception class in an error body: " + body);
        return message;
    }

    @Test
    void shouldListenOnLoopbackByDefault() throws Exception
    {
        final ControlApiConfig defaults = ControlApiConfig.defaults(tokens);
        assertEquals("127.0.0.1", defaults.bindAddress());
        assertEquals(ControlApiConfig.DEFAULT_PORT, defaults.port());

        start(defaults.withListen(defaults.bindAddress(), 0));

        assertTrue(server.localAddress().getAddress().isLoopbackAddress(), server.localAddress().toString());
        assertEquals("127.0.0.1", server.localAddress().getAddress().getHostAddress());
    }

    @Test
    void shouldAnswerHealthWithoutToken() throws Exception
    {
        start(config());

        final HttpResponse<String> response = get("/health", null);

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(response.body().getBytes(StandardCharsets.UTF_8).length,
            Integer.parseInt(response.headers().firstValue("Content-Length").orElseThrow()));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("up", JSON.readTree(response.body()).get("status").asText());
        assertEquals(7, JSON.readTree(response.body()).get("generation").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stats", "/flows", "/tenants", "/rules", "/config", "/metrics"})
    void shouldRefuseEveryReadWithoutToken(final String path) throws Exception
    {
        start(config());

        final HttpResponse<String> response = get(path, null);

        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"opensase\"", response.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("missing bearer token (Authorization: Bearer TOKEN)", error(response.body()));
        assertEquals(0, engine.calls.get(), "the engine is not asked without a token");
    }

    @Test
    void shouldStartACaptureWithItsFilterAndLimitsAndRefuseASecondOne() throws Exception
    {
        start(config());

        final HttpResponse<String> started = send("POST",
            "/capture?tenant=acme&address=10.0.0.1&port=443&protocol=tcp&packets=50&seconds=3", null, null);
        assertEquals(202, started.statusCode(), started.body());
        assertEquals(new FlowFilter("acme", "10.0.0.1", 443, 6), engine.lastFilter);
        assertEquals(50, engine.lastCapturePackets);
        assertEquals(3, engine.lastCaptureSeconds);
        assertEquals("alice", engine.lastPrincipal);
        assertEquals(200, get("/capture", ALICE).statusCode());

        final HttpResponse<String> trace = send("POST",
            "/trace?src=10.0.0.1&sport=40000&dst=192.0.2.1&dport=443&protocol=tcp&tenant=acme&packets=20", null, null);
        assertEquals(202, trace.statusCode(), trace.body());
        assertEquals(new TraceFilter("acme", "10.0.0.1", 40000, "192.0.2.1", 443, 6), engine.lastTrace);
        assertEquals(20, engine.lastCapturePackets);
        assertEquals(400, send("POST", "/trace?src=nowhere", null, null).statusCode());
        assertEquals(200, get("/trace", ALICE).statusCode());

        engine.captureBusy = true;
        final HttpResponse<String> busy = send("POST", "/capture", null, null);
        assertEquals(409, busy.statusCode());
        assertEquals("a capture is under way", error(busy.body()));
        final HttpResponse<String> tooLong = send("POST", "/capture?seconds=4000", null, null);
        assertEquals(400, tooLong.statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(uri("/capture")).POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void shouldRefuseWrongTokenAndOtherSchemes() throws Exception
    {
        start(config());

        final HttpResponse<String> wrong = get("/stats", ALICE + "x");
        final HttpResponse<String> prefix = get("/stats", ALICE.substring(0, 20));
        final HttpResponse<String> basic = http.send(HttpRequest.newBuilder(uri("/stats"))
            .header("Authorization", "Basic " + ALICE).build(), HttpResponse.BodyHandlers.ofString());
        final HttpResponse<String> change = http.send(HttpRequest.newBuilder(uri("/reload"))
            .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer nope").build(),
            HttpResponse.BodyHandlers.ofString());

        for (final HttpResponse<String> response : List.of(wrong, prefix, basic, change))
        {
            assertEquals(401, response.statusCode());
            assertEquals("Bearer realm=\"opensase\", error=\"invalid_token\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals("invalid bearer token", error(response.body()));
        }
        assertEquals(0, engine.calls.get());
    }

    @Test
    void shouldServeEveryReadWithEitherToken() throws Exception
    {
        start(config());

        assertEquals(12, JSON.readTree(get("/stats", ALICE).body()).at("/ports/0/rx_packets").asLong());
        assertEquals("acme", JSON.readTree(get("/tenants", BOB).body()).at("/tenants/0/name").asText());
        assertEquals(3, JSON.readTree(get("/rules", ALICE).body()).at("/rules/0/packets").asLong());
        final JsonNode config = JSON.readTree(get("/config", ALICE).body());
        assertEquals(7, config.get("generation").asLong());
        assertEquals("engine:\n  workers: 1\n", config.get("text").asText());

        final HttpResponse<String> metrics = get("/metrics", BOB);
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
            metrics.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(metrics.body().contains("opensase_rx_packets_total{port=\"wan\"} 12\n"), metrics.body());

        final HttpResponse<String> lowerCaseScheme = http.send(HttpRequest.newBuilder(uri("/stats"))
            .header("Authorization", "bearer  " + BOB).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, lowerCaseScheme.statusCode());
    }

    @Test
    void shouldReloadAsThePrincipalAndRenderTheOutcome() throws Exception
    {
        start(config());
        engine.outcome = new ReloadOutcome(ReloadOutcome.Status.APPLIED, 8, null, List.of("engine.workers",
            "ports"), FakeEngine.DIGEST);

        final HttpResponse<String> response = send("POST", "/reload", null, null);

        assertEquals(200, response.statusCode());
        assertEquals("alice", engine.lastPrincipal);
        final JsonNode outcome = JSON.readTree(response.body());
        assertEquals("applied", outcome.get("status").asText());
        assertEquals(8, outcome.get("generation").asLong());
        assertTrue(outcome.get("error").isNull());
        assertEquals(List.of("engine.workers", "ports"),
            JSON.convertValue(outcome.get("needs_restart"), List.class));
        assertEquals(FakeEngine.DIGEST, outcome.get("digest").asText());
    }

    @ParameterizedTest
    @CsvSource({"APPLIED, 200", "UNCHANGED, 200", "VALID, 200", "INVALID, 422", "FAILED, 500"})
    void shouldMapEveryOutcomeToItsStatus(final ReloadOutcome.Status status, final int code) throws Exception
    {
        start(config());
        final String error = switch (status)
        {
            case INVALID -> "/etc/opensase/engine.yaml:7: flows.when_full: 'panic' is not one of evict_oldest, refuse";
            case FAILED -> "/etc/opensase/engine.yaml: cannot write: No space left on device";
            default -> null;
        };
        engine.outcome = new ReloadOutcome(status, 9, error, List.of(), FakeEngine.DIGEST);

        final HttpResponse<String> reload = send("POST", "/reload", null, null);
        final HttpResponse<String> put = send("PUT", "/config", "application/yaml", "engine: {}\n".getBytes());

        for (final HttpResponse<String> response : List.of(reload, put))
        {
            assertEquals(code, response.statusCode());
            final JsonNode outcome = JSON.readTree(response.body());
            assertEquals(status.name().toLowerCase(), outcome.get("status").asText());
            assertEquals(9, outcome.get("generation").asLong());
            if (null == error)
            {
                assertTrue(outcome.get("error").isNull());
            }
            else
            {
                assertEquals(error, error(response.body()));
            }
        }
    }

    @Test
    void shouldPutConfigWhole() throws Exception
    {
        start(config());
        final String yaml = "engine:\n  workers: 2\n# ünïcode comment\n";

        final HttpResponse<String> validate = send("PUT", "/config?validate_only=true",
            "application/yaml; charset=utf-8", yaml.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, validate.statusCode());
        assertTrue(engine.lastValidateOnly);
        assertEquals(yaml, engine.lastYaml);
        assertEquals("alice", engine.lastPrincipal);

        final HttpResponse<String> apply = send("PUT", "/config", "text/plain", yaml.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, apply.statusCode());
        assertFalse(engine.lastValidateOnly);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/json|Content-Type application/json is not accepted",
        "application/x-www-form-urlencoded|Content-Type application/x-www-form-urlencoded is not accepted",
        "text/yaml; charset=iso-8859-1|charset iso-8859-1 is not accepted",
        "|no Content-Type"})
    void shouldRefuseConfigThatIsNotYamlText(final String contentType, final String message) throws Exception
    {
        start(config());

        final HttpResponse<String> response = send("PUT", "/config", contentType, "engine: {}\n".getBytes());

        assertEquals(415, response.statusCode());
        assertEquals(message + "; send the configuration as application/yaml (or text/yaml, text/plain) in UTF-8",
            error(response.body()));
        assertNull(engine.lastYaml);
    }

    @Test
    void shouldRefuseConfigBodiesThatCannotBeConfigurations() throws Exception
    {
        start(config());

        final HttpResponse<String> latin1 = send("PUT", "/config", "application/yaml",
            "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        final HttpResponse<String> empty = send("PUT", "/config", "application/yaml", new byte[0]);
        final HttpResponse<String> flag = send("PUT", "/config?validate_only=yes", "application/yaml",
            "engine: {}\n".getBytes());

        assertEquals(400, latin1.statusCode());
        assertEquals("the body is not UTF-8 text", error(latin1.body()));
        assertEquals(400, empty.statusCode());
        assertEquals("the body is empty; send the whole configuration as YAML", error(empty.body()));
        assertEquals(400, flag.statusCode());
        assertEquals("validate_only: 'yes' is not true or false", error(flag.body()));
        assertNull(engine.lastYaml);
    }

    @Test
    void shouldAnswerUnknownPathsAndWrongMethods() throws Exception
    {
        start(config());

        final HttpResponse<String> unknown = get("/stats/", ALICE);
        assertEquals(404, unknown.statusCode());
        assertEquals("no such resource: /stats/", error(unknown.body()));

        final HttpResponse<String> delete = send("DELETE", "/stats", null, null);
        assertEquals(405, delete.statusCode());
        assertEquals("GET", delete.headers().firstValue("Allow").orElseThrow());
        assertEquals("DELETE is not allowed on /stats; allowed: GET", error(delete.body()));

        final HttpResponse<String> getReload = get("/reload", ALICE);
        assertEquals(405, getReload.statusCode());
        assertEquals("POST", getReload.headers().firstValue("Allow").orElseThrow());
        assertEquals(0, engine.calls.get(), "GET never reloads");

        final HttpResponse<String> postConfig = send("POST", "/config", "application/yaml", "x: 1".getBytes());
        assertEquals(405, postConfig.statusCode());
        assertEquals("GET, PUT", postConfig.headers().firstValue("Allow").orElseThrow());
        assertNull(engine.lastYaml);
    }

    @Test
    void shouldPassFlowFiltersToTheEngine() throws Exception
    {
        start(config());

        assertEquals(200, get("/flows", ALICE).statusCode());
        assertEquals(FlowFilter.ANY, engine.lastFilter);
        assertEquals(ApiRouter.DEFAULT_FLOW_LIMIT, engine.lastLimit);

        assertEquals(200, get("/flows?tenant=acme&address=2001:db8::1&port=443&protocol=tcp&limit=10000", ALICE)
            .statusCode());
        assertEquals(new FlowFilter("acme", "2001:db8::1", 443, 6), engine.lastFilter);
        assertEquals(10_000, engine.lastLimit);

        assertEquals(200, get("/flows?protocol=47&address=10.0.0.1&limit=1", ALICE).statusCode());
        assertEquals(new FlowFilter(null, "10.0.0.1", null, 47), engine.lastFilter);
        assertEquals(1, engine.lastLimit);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "port=abc|port: 'abc' is not a number in 0..65535",
        "port=65536|port: '65536' is not a number in 0..65535",
        "port=%2B80|port: '+80' is not a number in 0..65535",
        "limit=-1|limit: '-1' is not a number in 1..10000",
        "limit=0|limit: '0' is not a number in 1..10000",
        "limit=10001|limit: '10001' is not a number in 1..10000",
        "limit=99999999999999|limit: '99999999999999' is not a number in 1..10000",
        "protocol=ftp|protocol: 'ftp' is not tcp, udp, icmp, icmpv6, sctp, gre or a number in 0..255",
        "protocol=256|protocol: '256' is not tcp, udp, icmp, icmpv6, sctp, gre or a number in 0..255",
        "address=example|address: 'example' is not an IPv4 or IPv6 address",
        "address=10.0.0.256|address: '10.0.0.256' is not an IPv4 or IPv6 address",
        "tenant=|tenant: empty",
        "port=1&port=2|port: given 2 times; once at most",
        "sort=bytes|unknown query parameter 'sort'; allowed: tenant, address, port, protocol, limit"})
    void shouldRefuseBadFlowQueries(final String query, final String message) throws Exception
    {
        start(config());

        final HttpResponse<String> response = get("/flows?" + query, ALICE);

        assertEquals(400, response.statusCode());
        assertTrue(error(response.body()).startsWith(message), response.body());
        assertEquals(0, engine.calls.get());
    }

    @Test
    void shouldRefuseQueriesOnPathsThatTakeNone() throws Exception
    {
        start(config());

        final HttpResponse<String> response = get("/stats?verbose=1", ALICE);

        assertEquals(400, response.statusCode());
        assertEquals("/stats takes no query parameters; got 'verbose'", error(response.body()));
    }

    @Test
    void shouldAnswerTheEnginesIllegalArgumentWith400() throws Exception
    {
        start(config());
        engine.flowsFailure = new IllegalArgumentException("tenant: 'nobody' is not a tenant");

        final HttpResponse<String> response = get("/flows?tenant=nobody", ALICE);

        assertEquals(400, response.statusCode());
        assertEquals("tenant: 'nobody' is not a tenant", error(response.body()));
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void shouldAnswerAnEngineFailureWith500AndOneLogLine() throws Exception
    {
        start(config());
        engine.statsFailure = new IllegalStateException("counter block unmapped\nat 0x7f00");

        final HttpResponse<String> response = get("/stats", ALICE);

        assertEquals(500, response.statusCode());
        assertEquals("internal error while serving GET /stats; the engine's log has the cause",
            error(response.body()));
        assertFalse(response.body().contains("0x7f00"), "the cause stays out of the response");
        assertEquals(List.of("opensase: control api: GET /stats failed: "
            + "java.lang.IllegalStateException: counter block unmapped at 0x7f00"), List.copyOf(log),
            "one line, whatever the message holds");

        assertEquals(200, get("/health", null).statusCode(), "the server goes on");
    }

    @Test
    void shouldRefuseBodiesOverTheLimit() throws Exception
    {
        start(config().withLimits(1000, 1000, 1000, 64));

        final HttpResponse<String> declared = send("PUT", "/config", "application/yaml", new byte[1001]);
        assertEquals(413, declared.statusCode());
        assertEquals("request body larger than 1000 bytes", error(declared.body()));
        assertEquals("close", declared.headers().firstValue("Connection").orElseThrow());

        try (RawHttp chunked = raw())
        {
            chunked.send("PUT /config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ALICE
                + "\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "258\r\n" + "a".repeat(600) + "\r\n258\r\n" + "b".repeat(600) + "\r\n0\r\n\r\n");
            final RawHttp.Response response = chunked.read();
            assertEquals(413, response.status());
            assertEquals("request body larger than 1000 bytes", error(response.body()));
            assertTrue(chunked.closedByPeer());
        }
        assertNull(engine.lastYaml);

        final HttpResponse<String> atLimit = send("PUT", "/config", "application/yaml", "#".repeat(1000).getBytes());
        assertEquals(200, atLimit.statusCode());
        assertEquals(1000, engine.lastYaml.length());
    }

    @Test
    void shouldLimitTheRatePerPrincipalAndPerPeer() throws Exception
    {
        start(config().withLimits(1 << 20, 2, 3, 64));

        for (int i = 0; i < 3; i++)
        {
            assertEquals(200, get("/stats", ALICE).statusCode(), "burst of 3, request " + i);
        }
        final HttpResponse<String> limited = get("/stats", ALICE);
        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("too many requests; retry in 1 s", error(limited.body()));

        assertEquals(200, get("/stats", BOB).statusCode(), "bob has his own bucket");

        clockNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(200, get("/stats", ALICE).statusCode(), "one token after 1/2 s at 2 per second");
        assertEquals(429, get("/stats", ALICE).statusCode());

        // Guessing tokens is limited too: without a valid token the peer address is the key.
        for (int i = 0; i < 3; i++)
        {
            assertEquals(401, get("/stats", "guess-" + i + "-0123456789abcdef").statusCode());
        }
        assertEquals(429, get("/stats", "guess-4-0123456789abcdef").statusCode());
        assertEquals(429, get("/health", null).statusCode(), "the peer's bucket is empty");
    }

    @Test
    void shouldKeepConnectionsAliveAndCloseThemWhenAsked() throws Exception
    {
        start(config());

        try (RawHttp client = raw())
        {
            for (int i = 0; i < 3; i++)
            {
                final RawHttp.Response response = client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, response.status());
                assertNull(response.header("Connection"));
            }
            final RawHttp.Response last = client.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .read();
            assertEquals(200, last.status());
            assertEquals("close", last.header("Connection"));
            assertTrue(client.closedByPeer());
        }
        try (RawHttp http10 = raw())
        {
            final RawHttp.Response response = http10.send("GET /health HTTP/1.0\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("close", response.header("Connection"));
            assertEquals("up", JSON.readTree(response.body()).get("status").asText());
            assertTrue(http10.closedByPeer(), "HTTP/1.0 without keep-alive closes");
        }
        try (RawHttp http10 = raw())
        {
            for (int i = 0; i < 2; i++)
            {
                final RawHttp.Response response = http10.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
                assertEquals(200, response.status());
                assertEquals("keep-alive", response.header("Connection"));
            }
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception
    {
        start(config());
        engine.statsDelayMs = 300;

        try (RawHttp client = raw())
        {
            client.send("GET /stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ALICE + "\r\n\r\n"
                + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                + "PUT /config?validate_only=true HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + BOB
                + "\r\nContent-Type: application/yaml\r\nContent-Length: 12\r\n\r\nengine: {}\r\n"
                + "GET /tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ALICE + "\r\n\r\n");

            assertEquals("wan", JSON.readTree(client.read().body()).at("/ports/0/name").asText());
            assertEquals("up", JSON.readTree(client.read().body()).get("status").asText());
            assertEquals(404, client.read().status());
            final RawHttp.Response put = client.read();
            assertEquals(200, put.status());
            assertEquals("applied", JSON.readTree(put.body()).get("status").asText());
            assertEquals("engine: {}\r\n", engine.lastYaml);
            assertEquals("acme", JSON.readTree(client.read().body()).at("/tenants/0/name").asText());
        }
    }

    @Test
    void shouldAnswerExpectContinue() throws Exception
    {
        start(config().withLimits(1000, 1000, 1000, 64));

        try (RawHttp client = raw())
        {
            client.send("PUT /config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ALICE
                + "\r\nContent-Type: application/yaml\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, client.read().status());
            final RawHttp.Response response = client.send("engine: {}\n").read();
            assertEquals(200, response.status());
            assertEquals("engine: {}\n", engine.lastYaml);
        }
        try (RawHttp client = raw())
        {
            final RawHttp.Response response = client.send("PUT /config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + ALICE + "\r\nContent-Type: application/yaml\r\nContent-Length: 5000\r\n"
                + "Expect: 100-continue\r\n\r\n").read();
            assertEquals(413, response.status(), "refused from its length, before the body is sent");
            assertTrue(client.closedByPeer());
        }
    }

    static Stream<Arguments> malformedRequests()
    {
        return Stream.of(
            Arguments.of("GARBAGE\r\n\r\n", 400),
            Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400),
            Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\nBad Name: x\r\n\r\n", 400),
            Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
            Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400),
            Arguments.of("PUT /config HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
            Arguments.of("GET /health HTTP/9.9\r\nHost: x\r\n\r\n", 505),
            Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n", 417),
            Arguments.of("GET /he\u0001lth HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            Arguments.of("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            Arguments.of("GET /flows?limit=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    }

    @ParameterizedTest
    @MethodSource("malformedRequests")
    void shouldRefuseMalformedRequestsWithJson(final String request, final int status) throws Exception
    {
        start(config());

        try (RawHttp client = raw())
        {
            final RawHttp.Response response = client.send(request).read();
            assertEquals(status, response.status(), response.body());
            assertEquals("application/json", response.header("Content-Type"));
            assertNotNull(error(response.body()));
        }
        assertTrue(log.isEmpty(), "a malformed request is no server failure: " + log);
        assertEquals(0, engine.calls.get());
    }

    @Test
    void shouldRefuseHeadsOverTheirLimits() throws Exception
    {
        start(config());

        try (RawHttp client = raw())
        {
            final RawHttp.Response response = client.send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n").read();
            assertEquals(414, response.status());
            assertEquals("request line too long", error(response.body()));
            assertTrue(client.closedByPeer());
        }
        try (RawHttp client = raw())
        {
            final RawHttp.Response response = client.send("GET /health HTTP/1.1\r\nX-Big: " + "b".repeat(20_000)
                + "\r\n\r\n").read();
            assertEquals(431, response.status());
            assertEquals("request headers too large", error(response.body()));
        }
    }

    @Test
    void shouldCloseSlowAndIdleConnections() throws Exception
    {
        start(config().withTimeouts(Duration.ofMillis(300), Duration.ofMillis(600)));

        try (RawHttp slow = raw())
        {
            slow.send("GET /health HTTP/1.1\r\nHo");
            Thread.sleep(150);
            slow.send("st: x\r\n");
            final long startNs = System.nanoTime();
            final RawHttp.Response response = slow.read();
            assertEquals(408, response.status());
            assertEquals("request not received whole within 300 ms", error(response.body()));
            assertTrue(slow.closedByPeer());
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(2));
        }
        try (RawHttp idle = raw())
        {
            assertEquals(200, idle.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            idle.timeout(3000);
            assertTrue(idle.closedByPeer(), "closed after 600 ms without a request");
        }
    }

    @Test
    void shouldAnswerHealthWhileAReloadIsSlow() throws Exception
    {
        start(config());
        final CountDownLatch gate = new CountDownLatch(1);
        engine.reloadGate = gate;

        final CompletableFuture<HttpResponse<String>> reload = http.sendAsync(HttpRequest.newBuilder(uri("/reload"))
            .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + ALICE).build(),
            HttpResponse.BodyHandlers.ofString());
        assertTrue(engine.reloadEntered.await(5, TimeUnit.SECONDS));

        final long startNs = System.nanoTime();
        assertEquals(200, get("/health", null).statusCode());
        assertEquals(200, get("/stats", BOB).statusCode());
        assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(2), "not held behind the reload");
        assertFalse(reload.isDone());

        gate.countDown();
        assertEquals(200, reload.get(5, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void shouldCloseConnectionsPastTheLimit() throws Exception
    {
        start(config().withLimits(1 << 20, 1000, 1000, 2));

        try (RawHttp first = raw(); RawHttp second = raw())
        {
            assertEquals(200, first.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(200, second.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            try (RawHttp third = raw())
            {
                third.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(third.closedByPeer(), "the third connection is closed unanswered");
            }
        }
        Thread.sleep(200);
        try (RawHttp later = raw())
        {
            assertEquals(200, later.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status(),
                "closed connections free their places");
        }
    }

    @Test
    void shouldReloadTheTokensFileAndKeepTheOldTokensOnError() throws Exception
    {
        start(config());
        final String carol = "carol-00112233445566778899aabbcc";
        tokensFile(dir, "carol: " + carol + "\n");

        assertEquals(List.of("carol"), server.reloadTokens());
        assertEquals(200, get("/stats", carol).statusCode());
        assertEquals(401, get("/stats", ALICE).statusCode());

        tokensFile(dir, "carol: short\n");
        final ConfigException ex = assertThrows(ConfigException.class, server::reloadTokens);
        assertEquals(tokens + ":1: token of 'carol': 5 characters; 16 to 512 are needed"
            + " (openssl rand -hex 32 makes one)", ex.getMessage());
        assertEquals(200, get("/stats", carol).statusCode(), "the tokens in use stay");
    }

    @Test
    void shouldNotStartWithoutUsableTokens() throws Exception
    {
        final Path missing = dir.resolve("absent");
        final ConfigException none = assertThrows(ConfigException.class,
            () -> ControlApiServer.start(ControlApiConfig.defaults(missing).withListen("127.0.0.1", 0), engine));
        assertEquals(missing + ": no such file", none.getMessage());

        final Path empty = tokensFile(dir, "# nobody yet\n\n");
        final ConfigException noTokens = assertThrows(ConfigException.class,
            () -> ControlApiServer.start(ControlApiConfig.defaults(empty).withListen("127.0.0.1", 0), engine));
        assertEquals(empty + ":2: no tokens; one 'name: token' a line is needed (there is no default token)",
            noTokens.getMessage());
    }

    @Test
    void shouldReportAPortInUse() throws Exception
    {
        start(config());
        final int port = server.localAddress().getPort();

        final IOException ex = assertThrows(IOException.class,
            () -> ControlApiServer.start(config().withListen("127.0.0.1", port), engine));

        assertTrue(ex.getMessage().startsWith("control api: cannot listen on 127.0.0.1:" + port + ": "),
            ex.getMessage());
        assertEquals(200, get("/health", null).statusCode(), "the first server is unharmed");
    }
}
