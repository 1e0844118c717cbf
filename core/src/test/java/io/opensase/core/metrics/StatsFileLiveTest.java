package io.opensase.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stats file read by another process during a live run: a child JVM runs the engine on a DPDK
 * {@code net_null} device (packets without end) for 6 seconds with {@code --stats-file}, and a second child
 * JVM runs {@code opensase stats FILE --json --watch 1} beside it. The watcher sees the counters grow while
 * the engine runs, ends by itself when the engine stops, and its last update equals the run report.
 */
@EnabledIf(value = "io.opensase.core.testing.DpdkInstalled#installed",
    disabledReason = "pkg-config finds no libdpdk: install dpdk, dpdk-dev and libdpdk-dev to run the live stats test")
class StatsFileLiveTest
{
    private static final String CONFIG = """
        engine:
          workers: 1
        ports:
          - name: wire
            type: dpdk
            devargs: net_null_stats0
        firewall:
          unmatched: allow
          tenants:
            - name: acme
              select: [{prefix: 10.0.0.0/8}]
        """;

    @TempDir
    Path temp;

    @Test
    void shouldShowAnotherProcessTheCountersGrowingAndEndAtTheReport() throws Exception
    {
        final Path config = Files.writeString(temp.resolve("opensase.yaml"), CONFIG);
        final Path statsFile = temp.resolve("engine.stats");
        final Path report = temp.resolve("report.json");
        final Process engine = java(temp.resolve("engine"), "run", "--config", config.toString(), "--report",
            report.toString(), "--seconds", "6", "--stats-file", statsFile.toString());
        Process watcher = null;
        try
        {
            for (int wait = 0; wait < 300 && Files.notExists(statsFile) && engine.isAlive(); wait++)
            {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(statsFile), "the engine made its stats file: " + stderr(temp.resolve("engine")));
            watcher = java(temp.resolve("watcher"), "stats", statsFile.toString(), "--json", "--watch", "1");
            assertTrue(watcher.waitFor(60, TimeUnit.SECONDS), "the watcher ends when the engine stops");
            assertTrue(engine.waitFor(60, TimeUnit.SECONDS));
        }
        finally
        {
            engine.destroyForcibly();
            if (null != watcher)
            {
                watcher.destroyForcibly();
            }
        }
        assertEquals(0, engine.exitValue(), stderr(temp.resolve("engine")));
        assertEquals(0, watcher.exitValue(), stderr(temp.resolve("watcher")));

        final ObjectMapper mapper = new ObjectMapper();
        final List<JsonNode> updates = new ArrayList<>();
        for (final String line : Files.readAllLines(temp.resolve("watcher.out")))
        {
            updates.add(mapper.readTree(line));
        }
        final List<Long> packets = new ArrayList<>();
        for (final JsonNode update : updates)
        {
            if ("running".equals(update.get("state").asText()))
            {
                packets.add(update.get("counters").get("port.packets_in").asLong());
                assertTrue(update.get("counters").get("worker.0.bursts").asLong() > 0, update.toString());
            }
        }
        assertTrue(packets.size() >= 3, "updates while running: " + packets);
        for (int i = 1; i < packets.size(); i++)
        {
            assertTrue(packets.get(i) > packets.get(i - 1), "the count grows: " + packets);
        }
        assertTrue(updates.stream().anyMatch(update -> null != update.get("rates")
            && update.get("rates").get("port.packets_in").asDouble() > 0), "rates once two updates are in: " + updates);
        final JsonNode last = updates.get(updates.size() - 1);
        assertEquals("stopped", last.get("state").asText());

        try (StatsFileReader reader = StatsFileReader.open(statsFile))
        {
            final StatsSnapshot end = reader.read();
            final JsonNode counts = mapper.readTree(report.toFile());
            assertTrue(ReportMatch.assertSameCounts(counts, end) > 50);
            assertEquals(end.value("port.packets_in"), last.get("counters").get("port.packets_in").asLong(),
                "the watcher's last update is the file's last");
            assertTrue(end.value("port.packets_in") > packets.get(packets.size() - 1));
            assertEquals(engine.pid(), end.pid());
        }
    }

    private static String stderr(final Path prefix) throws IOException
    {
        final Path err = prefix.resolveSibling(prefix.getFileName() + ".err");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    /** Starts {@code opensase ARGS} in a JVM of its own, its output in PREFIX.out and PREFIX.err. */
    private static Process java(final Path prefix, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
            "-Dopensase.dpdk.shim=" + Path.of("..", "dpdk-bindings", "target", "native", "libopensase_dpdk.so")
                .toAbsolutePath().normalize(),
            "-cp", System.getProperty("java.class.path"), "io.opensase.core.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
            .redirectOutput(prefix.resolveSibling(prefix.getFileName() + ".out").toFile())
            .redirectError(prefix.resolveSibling(prefix.getFileName() + ".err").toFile())
            .start();
    }
}
