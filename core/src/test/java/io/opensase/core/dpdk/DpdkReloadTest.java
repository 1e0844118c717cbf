package io.opensase.core.dpdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.dpdk.ReloadCommandTesting.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.opensase.core.dpdk.ReloadCommandTesting.freePort;
import static io.opensase.core.dpdk.ReloadCommandTesting.reload;
import static io.opensase.core.dpdk.ReloadCommandTesting.startEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating a running engine: a child JVM runs a configuration on a DPDK {@code net_null} device (which
 * delivers packets without end) for 12 seconds. {@code opensase reload} asks it to reload its file (valid,
 * invalid, and changing what needs a restart), the control API answers over a real socket, and every change
 * lands in the audit log, which {@code opensase audit verify} then finds intact.
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the DPDK tests")
class DpdkReloadTest
{
    private static final String CONFIG = """
        ports:
          - name: wire
            type: dpdk
            devargs: net_null_reload0
        firewall:
          tenants:
            - name: acme
              select: [{prefix: 10.0.0.0/8}]
              default: %s
        control:
          port: %d
          tokens: api-tokens
        audit:
          log: logs/audit.log
          anchor: anchor/audit.anchor
          key: keys/audit.key
        """;
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path temp;

    @Test
    void shouldReloadARunningEngineAndKeepItsPolicyWhenTheFileIsBad() throws Exception
    {
        final Path config = temp.resolve("opensase.yaml");
        final Path pidFile = temp.resolve("opensase.pid");
        final Path report = temp.resolve("report.json");
        final int port = freePort();
        Files.writeString(temp.resolve("api-tokens"), "ops: " + TOKEN + "\n");
        Files.setPosixFilePermissions(temp.resolve("api-tokens"), PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(temp.resolve("logs"));
        Files.createDirectories(temp.resolve("anchor"));
        Files.createDirectories(temp.resolve("keys"));
        assertEquals(0, io.opensase.core.cli.MainAccess.execute("audit", "keygen", temp.resolve("keys/audit.key")
            .toString()));
        Files.writeString(config, CONFIG.formatted("allow", port));
        final Process engine = startEngine(temp, pidFile, "--config", config.toString(), "--pid-file",
            pidFile.toString(), "--report", report.toString(), "--seconds", "12");
        try
        {
            assertEquals(engine.pid() + "\n", Files.readString(pidFile));

            final HttpClient http = HttpClient.newHttpClient();
            final String api = "http://127.0.0.1:" + port;
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(api + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(api + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
            // The pid file and the API come up just before the worker starts: its counters move a moment later.
            HttpResponse<String> stats = null;
            for (int wait = 0; wait < 50; wait++)
            {
                stats = http.send(HttpRequest.newBuilder(URI.create(api + "/stats"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, stats.statusCode(), stats.body());
                if (new ObjectMapper().readTree(stats.body()).get("port").get("packets_in").asLong() > 0)
                {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(new ObjectMapper().readTree(stats.body()).get("port").get("packets_in").asLong() > 0,
                stats.body());

            final PrintStream stdout = System.out;
            final ByteArrayOutputStream traceOut = new ByteArrayOutputStream();
            System.setOut(new PrintStream(traceOut, true, StandardCharsets.UTF_8));
            final int traced;
            try
            {
                traced = io.opensase.core.cli.MainAccess.execute("trace", "--api", api, "--token-file",
                    temp.resolve("api-tokens").toString(), "--packets", "3", "--seconds", "5");
            }
            finally
            {
                System.setOut(stdout);
            }
            assertEquals(0, traced);
            final com.fasterxml.jackson.databind.JsonNode trace = new ObjectMapper().readTree(traceOut.toByteArray());
            assertEquals("done", trace.get("state").asText());
            assertEquals(3, trace.get("packets").size());
            assertTrue(trace.get("packets").get(0).get("decided_by").asText().startsWith("no rule: not IP"),
                trace.toString());

            Files.writeString(config, CONFIG.formatted("deny", port));
            final Reply applied = reload(pidFile);
            assertEquals(0, applied.status(), applied.withoutUsage());
            assertEquals("opensase: reload applied: policy generation 2\n", applied.withoutUsage());

            Files.writeString(config, CONFIG.formatted("maybe", port));
            final Reply rejected = reload(pidFile);
            assertEquals(1, rejected.status(), rejected.withoutUsage());
            assertEquals("opensase: reload rejected, the running configuration stays: " + config
                + ":9: firewall.tenants[0].default: 'maybe' is not one of allow, deny, reject\n",
                rejected.withoutUsage());

            Files.writeString(config, CONFIG.formatted("deny", port).replace("net_null_reload0", "net_null_other0"));
            final Reply restart = reload(pidFile);
            assertEquals(0, restart.status(), restart.withoutUsage());
            assertEquals("opensase: reload nothing to change: policy generation 2 stays; not applied, needs a "
                + "restart: ports\n", restart.withoutUsage());

            Files.writeString(config, CONFIG.formatted("allow", port));
            final HttpResponse<String> viaApi = http.send(HttpRequest.newBuilder(URI.create(api + "/reload"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, viaApi.statusCode(), viaApi.body());
            assertEquals("applied", new ObjectMapper().readTree(viaApi.body()).get("status").asText());
        }
        finally
        {
            // The run ends by --seconds: a child of the test JVM may inherit SIGTERM and SIGINT ignored.
            if (!engine.waitFor(60, TimeUnit.SECONDS))
            {
                engine.destroyForcibly();
            }
        }
        assertEquals(0, engine.exitValue(), Files.readString(temp.resolve("engine.err")));
        assertEquals(3, new ObjectMapper().readTree(report.toFile()).get("firewall").get("generation").asLong());
        final List<String> audit = Files.readAllLines(temp.resolve("logs/audit.log"));
        assertEquals(List.of("ops trace started", "opensase reload applied", "opensase reload invalid",
            "opensase reload unchanged", "ops reload applied"), audit.stream().map(line -> line.replaceAll(
            ".*\"principal\":\"([^\"]*)\",\"action\":\"([^\"]*)\",\"result\":\"([^\"]*)\".*", "$1 $2 $3"))
            .toList());
        assertEquals(0, io.opensase.core.cli.MainAccess.execute("audit", "verify", temp.resolve("logs/audit.log")
            .toString(), "--anchor", temp.resolve("anchor/audit.anchor").toString(), "--key",
            temp.resolve("keys/audit.key").toString()));
        assertFalse(Files.exists(pidFile), "the pid file goes with the engine");
        final String log = Files.readString(temp.resolve("engine.err"));
        assertTrue(log.contains("opensase: reload applied: policy generation 2\n"), log);
        assertTrue(log.contains("opensase: reload rejected, the running configuration stays: "), log);

        final Reply gone = reload(pidFile);
        assertEquals(2, gone.status());
        assertTrue(gone.withoutUsage().startsWith("opensase: " + pidFile + ": no such file"), gone.withoutUsage());
    }
}
