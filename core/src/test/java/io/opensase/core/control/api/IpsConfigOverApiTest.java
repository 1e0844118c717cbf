package io.opensase.core.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.control.ConfigReloader;
import io.opensase.core.control.LiveControl;
import io.opensase.core.engine.Engine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Configurations with an IPS section put and reloaded over the control API, on a real socket, against real
 * rule, classification and DLP files (found by a tester): what does not load is refused before anything is
 * written, files outside the configuration's folder are refused unread, nothing of a file that is no rule or
 * profile file is quoted, every reload says which rules it skipped, and /health does not wait for a reload.
 * The engine is not started: every IPS section is loaded as a check and closed.
 */
@Timeout(60)
class IpsConfigOverApiTest
{
    private static final String TOKEN = "ops-0123456789abcdef0123456789abcdef";
    private static final String SECRET = "root:$6$FAKESECRETHASH1234567890$abcdefghijkl:19000:0:99999:7:::";
    /** Three rules, each with a class of the classification file beside them. */
    private static final String RULES = """
        alert icmp any any -> any any (msg:"ping"; classtype:misc-activity; sid:1000001; rev:1;)
        alert udp any any -> any 53 (msg:"dns"; content:"example"; classtype:misc-activity; sid:1000002; rev:1;)
        drop tcp any any -> any 23 (msg:"telnet"; classtype:policy-violation; sid:1000003; rev:1;)
        """;
    private static final String CLASSES = """
        config classification: misc-activity,Misc activity,3
        config classification: policy-violation,Potential Corporate Privacy Violation,1
        """;
    /** Line 5: a detector type that does not exist. */
    private static final String DLP_BAD = """
        profiles:
          - name: pci
            action: block
            detectors:
              - type: regex
        """;
    private static final String CONFIG = """
        ports:
          - name: branch
            type: pcap
            rx: in.pcap
        ips:
          mode: ips
          rules: [rules/local.rules, ../shared/site.rules]
          dlp: %s
        control:
          tokens: tokens
        """;

    @TempDir
    Path temp;
    private Path folder;
    private Path file;
    private String started;
    private ConfigReloader reloader;
    private ControlApiServer server;
    private CountDownLatch holdReload;
    private CountDownLatch reloadHeld;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception
    {
        folder = Files.createDirectories(temp.resolve("conf"));
        Files.createDirectories(folder.resolve("rules"));
        Files.writeString(folder.resolve("rules/local.rules"), RULES);
        Files.writeString(folder.resolve("rules/classification.config"), CLASSES);
        Files.writeString(folder.resolve("dlp.yaml"), """
            profiles:
              - name: pci
                action: block
                detectors:
                  - type: payment_card
            """);
        Files.writeString(folder.resolve("dlp-bad.yaml"), DLP_BAD);
        Files.writeString(folder.resolve("tokens"), "ops: " + TOKEN + "\n");
        Files.setPosixFilePermissions(folder.resolve("tokens"), PosixFilePermissions.fromString("rw-------"));
        // Outside the folder: a rule file the operator's configuration names, and a file no client may read.
        final Path shared = Files.createDirectories(temp.resolve("shared"));
        Files.writeString(shared.resolve("site.rules"),
            "alert tcp any any -> any 22 (msg:\"ssh\"; sid:1000010; rev:1;)\n");
        Files.writeString(shared.resolve("fake-shadow"), SECRET + "\n");
        Files.setPosixFilePermissions(shared.resolve("fake-shadow"), PosixFilePermissions.fromString("rw-------"));
        file = folder.resolve("engine.yaml");
        started = CONFIG.formatted("dlp.yaml");
        Files.writeString(file, started);
        holdReload = new CountDownLatch(0);
        reloadHeld = new CountDownLatch(1);
        // The overrides run inside every reload: a test holds one there to see what waits for it.
        final UnaryOperator<EngineConfig> overrides = config ->
        {
            reloadHeld.countDown();
            try
            {
                holdReload.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            return config;
        };
        final EngineConfig config = ConfigLoader.load(file);
        final Engine engine = new Engine(config);
        reloader = new ConfigReloader(file, overrides, engine, config, started);
        server = ControlApiServer.start(ControlApiConfig.defaults(folder.resolve("tokens")).withListen("127.0.0.1", 0),
            new LiveControl(engine, "branch", reloader, null));
    }

    @AfterEach
    void stop()
    {
        holdReload.countDown();
        server.close();
        http.close();
    }

    @Test
    void shouldRefuseADlpFileThatDoesNotLoadAndWriteNothing() throws Exception
    {
        final String next = CONFIG.formatted("dlp-bad.yaml");
        final String expected = folder.resolve("dlp-bad.yaml") + ":5: profiles[0].detectors[0].type: unknown "
            + "detector 'regex'";

        final HttpResponse<String> checked = put(next, true);
        assertEquals(422, checked.statusCode(), checked.body());
        assertEquals("invalid", body(checked).get("status").asText());
        assertTrue(body(checked).get("error").asText().startsWith(expected), checked.body());

        final HttpResponse<String> put = put(next, false);
        assertEquals(422, put.statusCode(), put.body());
        assertTrue(body(put).get("error").asText().startsWith(expected), put.body());
        assertEquals(started, Files.readString(file), "nothing written");
        assertFalse(Files.exists(folder.resolve("engine.yaml.previous")));
        assertEquals(sha256(started), body(get("/health")).get("config_digest").asText());
        assertEquals(started, body(get("/config")).get("text").asText());
    }

    @Test
    void shouldRefuseIpsFilesOutsideTheFolderUnreadUnlessTheRunningConfigurationNamesThem() throws Exception
    {
        final HttpResponse<String> shadow = put(CONFIG.formatted("../shared/fake-shadow"), false);
        assertEquals(422, shadow.statusCode(), shadow.body());
        assertEquals(file + ":8: ips.dlp: " + temp.resolve("shared/fake-shadow") + " is outside the configuration's "
            + "folder " + folder + ": a configuration sent over the control API may name only files in that folder, "
            + "or ones the running configuration names", body(shadow).get("error").asText());
        assertFalse(shadow.body().contains("FAKESECRET"), shadow.body());

        final HttpResponse<String> missing = put(started.replace("../shared/site.rules", "/nonexistent/x.rules"),
            true);
        assertEquals(422, missing.statusCode(), missing.body());
        assertTrue(body(missing).get("error").asText().startsWith(file + ":7: ips.rules[1]: /nonexistent/x.rules "
            + "is outside"), "refused before it is looked for: " + missing.body());

        final HttpResponse<String> kept = put("# a comment\n" + started, true);
        assertEquals(200, kept.statusCode(), "../shared/site.rules stays: the running configuration names it: "
            + kept.body());
        assertEquals(List.of(), lines(body(kept).get("ips_load")), "the IPS part is unchanged: not loaded again");
        assertEquals(started, Files.readString(file));
    }

    @Test
    void shouldQuoteNothingOfAFileInTheFolderThatIsNoProfileOrRuleFile() throws Exception
    {
        final HttpResponse<String> tokens = put(CONFIG.formatted("tokens"), false);
        assertEquals(422, tokens.statusCode(), tokens.body());
        assertEquals(folder.resolve("tokens") + ":1: not a DLP profile file: no 'profiles:' at its top",
            body(tokens).get("error").asText());
        assertFalse(tokens.body().contains(TOKEN.substring(4)), tokens.body());

        Files.writeString(folder.resolve("notes.txt"), "SECRETWORD other (x)\n" + TOKEN + "\n");
        final HttpResponse<String> rules = put(started.replace("rules/local.rules, ../shared/site.rules",
            "notes.txt"), false);
        assertEquals(422, rules.statusCode(), rules.body());
        assertEquals("ips: none of the 2 rules in the new rule files loads; the running rules stay",
            body(rules).get("error").asText());
        final List<String> load = lines(body(rules).get("ips_load"));
        assertEquals("loaded 0 of 2 rules (0.0%), skipped 2", load.get(0));
        assertTrue(load.stream().anyMatch(l -> l.contains("notes.txt:1: the first word is not an action")), load.toString());
        assertFalse(rules.body().contains("SECRETWORD") || rules.body().contains(TOKEN.substring(4)), rules.body());
        assertEquals(started, Files.readString(file));
    }

    @Test
    void shouldSayWhichRulesAReloadSkipsAndRefuseOneThatSkipsThemAll() throws Exception
    {
        Files.writeString(folder.resolve("rules/local.rules"), RULES
            + "alert udp any any -> any any (msg:\"broken\"; content:\"x; sid:9;)\n");

        final HttpResponse<String> broken = post("/reload");
        assertEquals(200, broken.statusCode(), broken.body());
        final List<String> load = lines(body(broken).get("ips_load"));
        assertEquals("loaded 4 of 5 rules (80.0%), skipped 1", load.get(0), "three local rules, one broken, one site");
        assertTrue(load.get(1).contains("(first: local.rules:4: "), load.toString());

        // A classification file with none of the rules' classes: each of the three local rules is skipped, and
        // the site rule, without a class, loads.
        Files.writeString(folder.resolve("rules/local.rules"), RULES);
        Files.writeString(folder.resolve("other.config"), "config classification: trojan-activity,A Network Trojan,1\n");
        Files.writeString(file, started.replace("  dlp: dlp.yaml\n", "  dlp: dlp.yaml\n  classification: other.config\n")
            .replace(", ../shared/site.rules", ""));
        final HttpResponse<String> classless = post("/reload");
        assertEquals(422, classless.statusCode(), classless.body());
        assertEquals("ips: none of the 3 rules in the new rule files loads; the running rules stay",
            body(classless).get("error").asText());
        final List<String> skipped = lines(body(classless).get("ips_load"));
        assertEquals("loaded 0 of 3 rules (0.0%), skipped 3", skipped.get(0));
        assertTrue(skipped.get(1).contains("3  bad value: classtype"), skipped.toString());

        Files.writeString(folder.resolve("other.config"), "");
        final HttpResponse<String> empty = post("/reload");
        assertEquals(422, empty.statusCode(), empty.body());
        assertEquals(folder.resolve("other.config") + ": no 'config classification:' lines; not a "
            + "classification.config", body(empty).get("error").asText());
        assertEquals(sha256(started), body(get("/health")).get("config_digest").asText(), "none of them ran");
    }

    @Test
    void shouldAnswerHealthWhileAReloadIsUnderWay() throws Exception
    {
        holdReload = new CountDownLatch(1);
        reloadHeld = new CountDownLatch(1);
        final List<HttpResponse<String>> reload = new ArrayList<>();
        final Thread reloading = Thread.ofVirtual().start(() ->
        {
            try
            {
                reload.add(post("/reload"));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        assertTrue(reloadHeld.await(10, TimeUnit.SECONDS), "the reload started");

        final long startNs = System.nanoTime();
        final HttpResponse<String> health = get("/health");
        final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
        final HttpResponse<String> config = get("/config");

        assertEquals(200, health.statusCode());
        assertEquals(sha256(started), body(health).get("config_digest").asText());
        assertEquals(started, body(config).get("text").asText());
        assertTrue(tookMs < 2_000, "/health took " + tookMs + " ms while the reload was held");
        assertTrue(reloading.isAlive(), "the reload was still held");
        holdReload.countDown();
        reloading.join(10_000);
        assertEquals(200, reload.getFirst().statusCode(), reload.getFirst().body());
    }

    private HttpResponse<String> put(final String yaml, final boolean validateOnly) throws Exception
    {
        return http.send(request("/config" + (validateOnly ? "?validate_only=true" : ""))
            .header("Content-Type", "application/yaml")
            .PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String path) throws Exception
    {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(final String path)
    {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path))
            .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + TOKEN);
    }

    private JsonNode body(final HttpResponse<String> response) throws Exception
    {
        return json.readTree(response.body());
    }

    private static List<String> lines(final JsonNode array)
    {
        final List<String> lines = new ArrayList<>();
        if (null != array && array.isArray())
        {
            array.forEach(line -> lines.add(line.asText()));
        }
        return lines;
    }

    private static String sha256(final String text) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
