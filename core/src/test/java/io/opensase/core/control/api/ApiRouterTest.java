package io.opensase.core.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.opensase.core.config.ConfigException;
import io.opensase.core.control.ReloadOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The router alone, on executors a test controls. */
class ApiRouterTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeEngine engine = new FakeEngine();
    private final ExecutorService running = Executors.newSingleThreadExecutor();
    private final ExecutorService stopped = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop()
    {
        running.shutdownNow();
    }

    private ApiRouter router(final ApiExecutors executors) throws ConfigException
    {
        final BearerTokens tokens = BearerTokens.parse(Path.of("tokens"), "alice: " + ControlApiServerTest.ALICE);
        return new ApiRouter(engine, () -> tokens, new RateLimiter(1000, 1000), System::nanoTime, executors,
            line -> { });
    }

    private static ApiRequest request(final HttpMethod method, final String uri)
    {
        return new ApiRequest(method, uri, new DefaultHttpHeaders().add("Authorization",
            "Bearer " + ControlApiServerTest.ALICE), new byte[0], "127.0.0.1");
    }

    @Test
    void shouldAnswerBusyWhenAnExecutorRefuses() throws Exception
    {
        stopped.shutdown();
        final ApiRouter router = router(new ApiExecutors(running, stopped, stopped));

        final ApiResponse stats = router.handle(request(HttpMethod.GET, "/stats")).get(5, TimeUnit.SECONDS);
        final ApiResponse reload = router.handle(request(HttpMethod.POST, "/reload")).get(5, TimeUnit.SECONDS);
        final ApiResponse health = router.handle(request(HttpMethod.GET, "/health")).get(5, TimeUnit.SECONDS);

        for (final ApiResponse busy : List.of(stats, reload))
        {
            assertEquals(503, busy.status());
            assertEquals("1", busy.headers().get("Retry-After"));
            assertEquals("busy: too many requests in progress; retry shortly",
                JSON.readTree(busy.body()).get("error").asText());
        }
        assertEquals(200, health.status(), "/health has a thread of its own");
        assertEquals(1, engine.calls.get());
    }

    @Test
    void shouldRenderOutcomesAsJson() throws Exception
    {
        final ApiResponse invalid = ApiRouter.outcome(new ReloadOutcome(ReloadOutcome.Status.INVALID, 3,
            "/etc/e.yaml:2: tenants[0].name: \"a\\b\"\tgiven twice", List.of("engine.workers", "ports[\"wan\"]"),
            null));

        assertEquals(422, invalid.status());
        assertEquals("application/json", invalid.contentType());
        final JsonNode json = JSON.readTree(invalid.body());
        assertEquals("invalid", json.get("status").asText());
        assertEquals(3, json.get("generation").asLong());
        assertEquals("/etc/e.yaml:2: tenants[0].name: \"a\\b\"\tgiven twice", json.get("error").asText());
        assertEquals("engine.workers", json.get("needs_restart").get(0).asText());
        assertEquals("ports[\"wan\"]", json.get("needs_restart").get(1).asText());
        assertTrue(json.get("digest").isNull());
        assertEquals(List.of("status", "generation", "error", "needs_restart", "digest", "ips_load"),
            List.copyOf(iterable(json.fieldNames())));
        assertTrue(json.get("ips_load").isNull(), "no IPS rules were loaded");

        final JsonNode loaded = JSON.readTree(ApiRouter.outcome(new ReloadOutcome(ReloadOutcome.Status.APPLIED, 3,
            null, List.of(), FakeEngine.DIGEST, "loaded 1 of 2 rules (50.0%), skipped 1\n     1  bad value: content  "
            + "(first: a.rules:2: value must be in double quotes: \"x)\n")).body());
        assertEquals(List.of("loaded 1 of 2 rules (50.0%), skipped 1",
            "     1  bad value: content  (first: a.rules:2: value must be in double quotes: \"x)"),
            List.of(loaded.get("ips_load").get(0).asText(), loaded.get("ips_load").get(1).asText()));
        assertEquals(2, loaded.get("ips_load").size());

        final JsonNode failed = JSON.readTree(ApiRouter.outcome(new ReloadOutcome(ReloadOutcome.Status.FAILED, 3,
            null, List.of(), FakeEngine.DIGEST)).body());
        assertEquals("the configuration file could not be read or written", failed.get("error").asText());
        assertEquals(0, failed.get("needs_restart").size());
    }

    private static <T> List<T> iterable(final java.util.Iterator<T> iterator)
    {
        final List<T> out = new java.util.ArrayList<>();
        iterator.forEachRemaining(out::add);
        return out;
    }
}
