package io.opensase.core.dpdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.dpdk.ReloadCommandTesting.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.opensase.core.dpdk.ReloadCommandTesting.freePort;
import static io.opensase.core.dpdk.ReloadCommandTesting.reload;
import static io.opensase.core.dpdk.ReloadCommandTesting.startEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: a hot reload of a running IPS never said which rules it skipped, and a reload that left no
 * rule running said "applied". A child JVM runs an IPS on a DPDK {@code net_null} device (packets without end)
 * for 20 seconds; {@code opensase reload} asks it to reload after a broken rule line is appended, then with a
 * classification file without the rules' classes, then with an empty one. The output of {@code opensase
 * reload}, the outcome file beside the pid file and the engine's stderr carry the load report; the two bad
 * reloads are refused and the rules stay. {@code GET /stats} shows the IPS stage's counts.
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the DPDK tests")
class DpdkIpsReloadTest
{
    private static final String CONFIG = """
        ports:
          - name: wire
            type: dpdk
            devargs: net_null_ipsreload0
        ips:
          rules: [rules/local.rules]
        %s
        control:
          port: %d
          tokens: api-tokens
        """;
    private static final String RULES = """
        alert icmp any any -> any any (msg:"ping"; classtype:misc-activity; sid:1000001; rev:1;)
        alert udp any any -> any 53 (msg:"dns"; content:"example"; classtype:misc-activity; sid:1000002; rev:1;)
        drop tcp any any -> any 23 (msg:"telnet"; classtype:policy-violation; sid:1000003; rev:1;)
        """;
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path temp;

    @Test
    void shouldReportTheRulesEachReloadSkipsAndRefuseOneThatLeavesNone() throws Exception
    {
        final Path config = temp.resolve("opensase.yaml");
        final Path pidFile = temp.resolve("opensase.pid");
        final int port = freePort();
        Files.createDirectories(temp.resolve("rules"));
        Files.writeString(temp.resolve("rules/local.rules"), RULES);
        Files.writeString(temp.resolve("rules/classification.config"), """
            config classification: misc-activity,Misc activity,3
            config classification: policy-violation,Potential Corporate Privacy Violation,1
            """);
        Files.writeString(temp.resolve("api-tokens"), "ops: " + TOKEN + "\n");
        Files.setPosixFilePermissions(temp.resolve("api-tokens"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(config, CONFIG.formatted("", port));
        final Process engine = startEngine(temp, pidFile, "--config", config.toString(), "--pid-file",
            pidFile.toString(), "--seconds", "20");
        try
        {
            // The pid file and the API come up before the engine has compiled its rules and started its worker.
            final HttpClient http = HttpClient.newHttpClient();
            JsonNode stats = null;
            for (int wait = 0; wait < 100 && (null == stats || !stats.get("running").asBoolean()); wait++)
            {
                Thread.sleep(100);
                stats = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port + "/stats")).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            }
            assertTrue(stats.get("running").asBoolean(), stats.toString());
            final JsonNode ips = stats.get("stages").get("ips");
            assertTrue(null != ips && ips.has("packets") && ips.has("alerts") && ips.has("flow_drops"), stats.toString());

            Files.writeString(temp.resolve("rules/local.rules"), RULES
                + "alert udp any any -> any any (msg:\"broken\"; content:\"x; sid:9;)\n");
            final Reply skipped = reload(pidFile);
            assertEquals(0, skipped.status(), skipped.text());
            final List<String> lines = skipped.text().lines().toList();
            assertEquals(List.of("opensase: reload applied: policy generation 0",
                "opensase: loaded 3 of 4 rules (75.0%), skipped 1"), lines.subList(0, 2), skipped.text());
            assertTrue(lines.get(2).startsWith("opensase:      1  bad value: content  (first: local.rules:4: "),
                skipped.text());
            assertTrue(lines.get(3).startsWith("opensase: ips matcher: "), skipped.text());
            final Properties outcome = new Properties();
            try (var in = Files.newBufferedReader(temp.resolve("opensase.pid.reload")))
            {
                outcome.load(in);
            }
            assertEquals("applied", outcome.getProperty("status"));
            assertTrue(outcome.getProperty("ips_load").startsWith("loaded 3 of 4 rules (75.0%), skipped 1\n"),
                outcome.toString());

            Files.writeString(temp.resolve("rules/local.rules"), RULES);
            Files.writeString(temp.resolve("other.config"), "config classification: trojan-activity,A Trojan,1\n");
            Files.writeString(config, CONFIG.formatted("  classification: other.config", port));
            final Reply none = reload(pidFile);
            assertEquals(1, none.status(), none.text());
            assertTrue(none.text().startsWith("opensase: reload rejected, the running configuration stays: ips: none "
                + "of the 3 rules in the new rule files loads; the running rules stay\n"
                + "opensase: loaded 0 of 3 rules (0.0%), skipped 3\n"
                + "opensase:      3  bad value: classtype  (first: local.rules:1: "), none.text());

            Files.writeString(temp.resolve("other.config"), "");
            final Reply empty = reload(pidFile);
            assertEquals(1, empty.status(), empty.text());
            assertEquals("opensase: reload rejected, the running configuration stays: " + temp.resolve("other.config")
                + ": no 'config classification:' lines; not a classification.config\n", empty.text());

        }
        finally
        {
            if (!engine.waitFor(60, TimeUnit.SECONDS))
            {
                engine.destroyForcibly();
            }
        }
        assertEquals(0, engine.exitValue(), Files.readString(temp.resolve("engine.err")));
        final String log = Files.readString(temp.resolve("engine.err"));
        assertTrue(log.contains("opensase: reload applied: policy generation 0\nopensase: loaded 3 of 4 rules (75.0%), "
            + "skipped 1\n"), log);
    }
}
