package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.report.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defects found by testers in the IPS stage, each with the input that showed it. */
class IpsHardeningTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Writes one client-to-server TCP stream of {@code bytes} bytes of {@code fill} (scapy). */
    private Path oneStream(final String name, final int bytes, final String fill) throws Exception
    {
        final Path capture = dir.resolve(name);
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/ips/one-stream.py",
            capture.toString(), Integer.toString(bytes), "1448", fill).inheritIO().start();
        assertEquals(0, python.waitFor(), "scapy wrote the capture");
        return capture;
    }

    private RunResult runEngine(final Path capture, final String rules, final String extra) throws Exception
    {
        Files.writeString(dir.resolve("test.rules"), rules);
        final Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "ports:\n  - name: in\n    type: pcap\n    rx: " + capture.toAbsolutePath()
            + "\n    tx: " + dir.resolve("out.pcap") + "\n\nips:\n  rules: [test.rules]\n  eve: eve.json\n" + extra);
        final EngineConfig config = ConfigLoader.load(file);
        final RunResult result = new Engine(config).run();
        Files.writeString(dir.resolve("report.json"), RunReport.json(config, result));
        return result;
    }

    private List<String> eve() throws Exception
    {
        return Files.exists(dir.resolve("eve.json")) ? Files.readAllLines(dir.resolve("eve.json")) : List.of();
    }

    /**
     * Found by a tester: {@code (a+)+b} over 60 KB of one stream held a worker about 7.5 s. Now each
     * inspection's pcre is aborted at the step budget, counted in the run report, and the rule does not alert.
     */
    @Test
    void backtrackingPcreOverALongStreamIsAbortedAndCounted() throws Exception
    {
        final Path capture = oneStream("aaa.pcap", 60_000, "a");
        final RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> runEngine(capture,
            "alert tcp any any -> any any (pcre:\"/(a+)+b/\"; sid:1;)\n", ""));
        assertTrue(result.ips().pcreAborted() >= 1, "aborted: " + result.ips().pcreAborted());
        final JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        assertEquals(result.ips().pcreAborted(), report.at("/ips/pcre_aborted").asLong());
        assertEquals(0, report.at("/ips/alerts").asLong());
        assertTrue(eve().stream().noneMatch(l -> l.contains("\"event_type\":\"alert\"")));
    }

    /** The same rule on a stream where it can match quickly still alerts, and nothing is aborted. */
    @Test
    void thatPcreStillAlertsWhereItMatches() throws Exception
    {
        final Path capture = oneStream("ab.pcap", 3000, "aab");
        final RunResult result = runEngine(capture, "alert tcp any any -> any any (pcre:\"/(a+)+b/\"; sid:1;)\n", "");
        assertEquals(0, result.ips().pcreAborted());
        assertEquals(1, eve().stream().filter(l -> l.contains("\"signature_id\":1,")).count());
    }
}
