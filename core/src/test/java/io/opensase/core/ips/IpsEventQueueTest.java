package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opensase.classifiers.testing.Tools;
import io.opensase.core.cli.MainAccess;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.RunFiles;
import io.opensase.core.control.LiveControl;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.events.EventStats;
import io.opensase.core.events.EventWriter;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's IPS events through the workers' record queues and the writer thread: the same lines as the
 * direct path of {@code opensase ips}, and a blocked writer that never holds a worker up.
 */
class IpsEventQueueTest
{
    private static final int PACKETS = 2_000;
    private static final int QUEUE_BYTES = 128 * 1024;

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * The shipped example (configs/ips-detect.yaml: HTTP, DNS and ICMP rules over the bundled capture) run by the
     * engine and by the direct path gives the same alert and application lines, field for field, in the same
     * order; only flow_id differs, as it names the flow's slot in each path's own table.
     */
    @Test
    void engineLinesCarryTheFieldsOfTheDirectPath() throws Exception
    {
        final EngineConfig example = ConfigLoader.load(Path.of("../configs/ips-detect.yaml"));
        final EngineConfig config = example.withIps(example.ips().withEve(dir.resolve("engine.json")))
            .withReport(null);
        final Engine engine = new Engine(config);
        engine.run();
        try (IpsPolicy policy = IpsPolicy.load(config.ips()); EveFileSink sink = new EveFileSink(dir.resolve("direct.json")))
        {
            IpsCaptureRun.run(policy, Path.of("../samples/pop-demo.pcap"), sink);
        }

        final List<JsonNode> queued = lines(dir.resolve("engine.json"));
        final List<JsonNode> direct = lines(dir.resolve("direct.json"));
        direct.removeIf(line -> "flow".equals(line.get("event_type").asText()));
        assertEquals(direct.size(), queued.size());
        assertTrue(queued.stream().filter(line -> "alert".equals(line.get("event_type").asText())).count() >= 3,
            "alerts of each example rule");
        for (int i = 0; i < direct.size(); i++)
        {
            assertTrue(queued.get(i).get("flow_id").asLong() > 0);
            ((ObjectNode)queued.get(i)).remove("flow_id");
            ((ObjectNode)direct.get(i)).remove("flow_id");
            assertEquals(direct.get(i), queued.get(i), "line " + i);
        }
        final EventStats stats = engine.ipsEventStats();
        assertEquals(direct.size(), stats.queuedTotal());
        assertEquals(direct.size(), stats.written());
        assertEquals(0, stats.droppedTotal() + stats.lost() + stats.writeErrors());
        final LiveControl control = new LiveControl(engine, "branch", null, null);
        final JsonNode shown = mapper.readTree(control.statsJson()).get("ips_events");
        assertEquals(direct.size(), shown.get("written").asLong());
        assertEquals(0, shown.get("workers").get(0).get("dropped").asLong());
        final Path metrics = Files.writeString(dir.resolve("metrics.txt"), control.metricsText());
        Tools.run("sh", "-c", "promtool check metrics < " + metrics);
        assertTrue(Files.readString(metrics).contains("opensase_ips_events_written_total " + direct.size() + "\n"));
        assertTrue(Files.readString(metrics).contains("opensase_ips_events_dropped_total{worker=\"0\"} 0\n"));
    }

    /**
     * The writer thread is blocked on purpose: eve.json, which it opens first, is a named pipe nobody reads yet.
     * Each of 2,000 UDP packets raises an alert; the worker fills its 128 KiB IPS queue and drops and counts the
     * rest, and gets through every packet. Once the pipe is read, the writer writes the alerts it held: the first
     * ones, in order, each counted once as queued or dropped.
     */
    @Test
    void blockedWriterNeverHoldsAWorkerAndEveryDropIsCounted() throws Exception
    {
        final Path in = Scenario.pcap(dir.resolve("in.pcap"), "*[Ether()/IP(src='10.0.0.1', dst='192.0.2.1')"
            + "/UDP(sport=4000, dport=9000)/Raw(b'attack-%04d' % k) for k in range(" + PACKETS + ")]");
        Files.writeString(dir.resolve("r.rules"),
            "alert udp any any -> any any (msg:\"attack\"; content:\"attack-\"; sid:7; rev:2;)\n");
        final Path eve = Files.createDirectories(dir.resolve("eve"));
        Tools.run("mkfifo", eve.resolve(EventWriter.FILE_NAME).toString());
        final EngineConfig config = Scenario.config(dir, in, dir.resolve("out.pcap"), """
            events:
              dir: eve
              record_queue_bytes: %d
            ips:
              mode: ids
              rules: [r.rules]
              eve: ips.json
            """.formatted(QUEUE_BYTES));
        final Engine engine = new Engine(config);

        final CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return engine.run();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (null == engine.ipsEventStats()
            || engine.ipsEventStats().queuedTotal() + engine.ipsEventStats().droppedTotal() < PACKETS)
        {
            assertTrue(System.nanoTime() < deadline, "the worker did not get through its packets");
            Thread.sleep(5);
        }
        final EventStats stalled = engine.ipsEventStats();
        final long queued = stalled.queued()[0];
        assertEquals(PACKETS, queued + stalled.dropped()[0], "each alert queued or dropped, once");
        assertTrue(stalled.dropped()[0] > 0 && queued > 100, stalled.toString());
        assertEquals(0, stalled.written(), "the writer is blocked");

        try (BufferedReader reader = Files.newBufferedReader(eve.resolve(EventWriter.FILE_NAME)))
        {
            while (null != reader.readLine())
            {
                // The flow line; what matters is that the writer gets going.
            }
        }
        final RunResult result = run.get(60, TimeUnit.SECONDS);
        assertEquals(PACKETS, result.counters().get(WorkerCounters.RX_PACKETS));
        while (engine.ipsEventStats().written() < queued)
        {
            assertTrue(System.nanoTime() < deadline, "the writer did not write what was queued");
            Thread.sleep(5);
        }

        final List<JsonNode> alerts = lines(dir.resolve("ips.json"));
        assertEquals(queued, alerts.size());
        for (int k = 0; k < alerts.size(); k++)
        {
            final JsonNode alert = alerts.get(k);
            assertEquals(7, alert.get("alert").get("signature_id").asLong());
            assertEquals(2, alert.get("alert").get("rev").asLong());
            assertEquals("attack", alert.get("alert").get("signature").asText());
            assertEquals(String.format("attack-%04d", k), alert.get("payload_printable").asText(), "in order");
        }
        final EventStats after = engine.ipsEventStats();
        assertEquals(queued, after.written());
        assertEquals(PACKETS - queued, after.droppedTotal());
        assertEquals(0, after.lost() + after.writeErrors());
    }

    /**
     * {@code opensase ips} renders on its own thread with the same renderer: its file holds the lines a sink
     * of the stage writes, and a second run replaces the file as before rather than appending to it.
     */
    @Test
    void ipsCommandWritesTheDirectPathsLinesAndReplacesItsFile() throws Exception
    {
        final Path rules = Path.of("../configs/rules/local.rules");
        final Path capture = Path.of("../samples/pop-demo.pcap");
        final Path eve = Files.writeString(dir.resolve("cli.json"), "a line of an earlier run\n");
        for (int run = 0; run < 2; run++)
        {
            assertEquals(0, MainAccess.execute("ips", "--rules", rules.toString(), "--pcap", capture.toString(),
                "--eve", eve.toString()));
        }
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, null, null, null)); EveFileSink sink = new EveFileSink(dir.resolve("direct.json")))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }

        final List<String> direct = Files.readAllLines(dir.resolve("direct.json"), StandardCharsets.UTF_8);
        assertTrue(direct.stream().anyMatch(line -> line.contains("\"event_type\":\"alert\"")));
        assertEquals(direct, Files.readAllLines(eve, StandardCharsets.UTF_8));
    }

    /** One file by two names would be written by two rotations: refused before the run starts. */
    @Test
    void ipsFileThatIsTheEventsFileIsRefused() throws Exception
    {
        final Path in = Scenario.pcap(dir.resolve("in.pcap"), "Ether()/IP()/UDP()");
        Files.writeString(dir.resolve("r.rules"), "");
        final EngineConfig same = Scenario.config(dir, in, dir.resolve("out.pcap"),
            "events:\n  dir: .\nips:\n  rules: [r.rules]\n  eve: eve.json\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RunFiles.check(same));
        assertTrue(ex.getMessage().contains("the IPS EVE file is events.dir's eve.json"), ex.getMessage());

        RunFiles.check(Scenario.config(dir, in, dir.resolve("out.pcap"),
            "events:\n  dir: .\nips:\n  rules: [r.rules]\n  eve: eve-ips.json\n"));
    }

    private List<JsonNode> lines(final Path file) throws Exception
    {
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            lines.add(mapper.readTree(line));
        }
        return lines;
    }
}
