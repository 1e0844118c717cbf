package io.opensase.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.classifiers.testing.Tools;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.control.LiveControl;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.report.RunReport;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine of two workers with a firewall, over a scapy capture: each worker's burst times in /stats and
 * /metrics (which promtool still accepts), and a stats file whose last update equals the run report.
 */
class EngineMetricsTest
{
    private static final String OUT = Scenario.ETHER;
    private static final String IN = "Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')";
    private static final String SECTIONS = """
        engine:
          workers: 2
          burst_size: 4
        firewall:
          tenants:
            - name: acme
              select: [{prefix: 10.0.0.0/8}]
              inside: [10.0.0.0/8]
              rules:
                - {name: web, action: allow, direction: outbound, protocol: tcp, destination_ports: 80}
                - {name: dns, action: reject, protocol: udp, destination_ports: 53}
        """;

    @TempDir
    Path temp;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldShowBurstTimesAndPublishTheReportsCounts() throws Exception
    {
        final StringBuilder packets = new StringBuilder();
        for (int host = 1; host <= 40; host++)
        {
            packets.append(OUT).append("/IP(src='10.0.0.").append(host).append("', dst='192.0.2.1')")
                .append("/TCP(sport=1000, dport=80, flags='S')").append(",\n")
                .append(IN).append("/IP(src='192.0.2.1', dst='10.0.0.").append(host).append("')")
                .append("/TCP(sport=80, dport=1000, flags='SA')").append(",\n")
                .append(OUT).append("/IP(src='10.0.0.").append(host).append("', dst='192.0.2.9')")
                .append("/UDP(sport=5000, dport=53)/Raw(b'q')").append(",\n")
                .append(OUT).append("/IP(src='10.0.0.").append(host).append("', dst='192.0.2.1')")
                .append("/TCP(sport=1001, dport=22, flags='S')").append(",\n");
        }
        packets.append(OUT).append("/IP(src='10.0.0.1', dst='192.0.2.1', ihl=3)");
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), packets.toString());
        final EngineConfig config = Scenario.config(temp, in, temp.resolve("out.pcap"), SECTIONS);
        final Engine engine = new Engine(config);
        final Path statsFile = temp.resolve("engine.stats");

        final RunResult result;
        try (StatsPublisher publisher = StatsPublisher.start(statsFile, engine::sample, config.workers(), true, false, 5))
        {
            result = engine.run();
        }

        final JsonNode report = mapper.readTree(RunReport.json(config, result));
        assertEquals(161, report.get("packets_in").asLong());
        assertTrue(report.get("firewall").get("rejected").asLong() > 0);
        try (StatsFileReader reader = StatsFileReader.open(statsFile))
        {
            final StatsSnapshot last = reader.read();
            assertEquals(StatsFile.STATE_STOPPED, last.state());
            assertTrue(ReportMatch.assertSameCounts(report, last) > 50);
            assertEquals(Math.max(last.value("worker.0.burst_max_ns"), last.value("worker.1.burst_max_ns")),
                last.value("bursts.max_ns"));
        }

        final LiveControl control = new LiveControl(engine, "branch", null, null);
        final JsonNode stats = mapper.readTree(control.statsJson());
        // Found by review: with a port thread, the workers' own receive counters stay 0; they show what each ran.
        long workersIn = 0;
        for (final JsonNode worker : stats.get("workers"))
        {
            assertTrue(worker.get("packets_in").asLong() > 0, worker.toString());
            workersIn += worker.get("packets_in").asLong();
        }
        assertEquals(161, workersIn, "the workers' packets add up to what the port received");
        long bursts = 0;
        try (StatsFileReader reader = StatsFileReader.open(statsFile))
        {
            final StatsSnapshot last = reader.read();
            for (final JsonNode worker : stats.get("workers"))
            {
                final String prefix = "worker." + worker.get("worker").asInt() + ".";
                assertEquals(worker.get("packets_in").asLong(), last.value(prefix + "packets_in"));
                assertEquals(worker.get("packets_out").asLong(), last.value(prefix + "packets_out"));
                assertEquals(worker.get("flows").get("active").asLong(), last.value(prefix + "flows_active"));
                assertEquals(worker.get("burst_ns").get("count").asLong(), last.value(prefix + "bursts"));
                assertEquals(worker.get("burst_ns").get("max").asLong(), last.value(prefix + "burst_max_ns"));
            }
        }
        for (final JsonNode worker : stats.get("workers"))
        {
            final JsonNode times = worker.get("burst_ns");
            assertTrue(times.get("count").asLong() > 0, worker.toString());
            assertTrue(times.get("p50").asLong() > 0);
            assertTrue(times.get("p50").asLong() <= times.get("p99").asLong());
            assertTrue(times.get("p99").asLong() <= times.get("p999").asLong());
            assertTrue(times.get("p999").asLong() <= times.get("max").asLong());
            bursts += times.get("count").asLong();
        }
        assertTrue(bursts >= 161 / 4, "bursts of at most 4 packets: " + bursts);

        final String metrics = control.metricsText();
        final Path metricsFile = Files.writeString(temp.resolve("metrics.txt"), metrics);
        Tools.run("sh", "-c", "promtool check metrics < " + metricsFile);
        assertTrue(metrics.contains("opensase_packets_received_total{port=\"branch\"} 161\n"), metrics);
        assertTrue(metrics.contains("# TYPE opensase_worker_burst_seconds histogram\n"), metrics);
        for (int w = 0; w < 2; w++)
        {
            final long count = metric(metrics, "opensase_worker_burst_seconds_count{worker=\"" + w + "\"}");
            assertEquals(count, metric(metrics, "opensase_worker_burst_seconds_bucket{worker=\"" + w
                + "\",le=\"+Inf\"}"));
            assertEquals(stats.get("workers").get(w).get("burst_ns").get("count").asLong(), count);
            assertTrue(metrics.contains("opensase_worker_burst_seconds_bucket{worker=\"" + w + "\",le=\"0.000001\"} "));
            assertTrue(metrics.contains("opensase_worker_burst_max_seconds{worker=\"" + w + "\"} 0."), metrics);
        }
        assertEquals(2 * (BurstSummary.bucketCount() + 3) + 2 + 2 + 2,
            metrics.lines().filter(l -> l.contains("opensase_worker_burst_")).count(),
            "buckets, +Inf, sum and count per worker, the max per worker, two HELP and two TYPE lines");
    }

    private static long metric(final String text, final String series)
    {
        final Matcher value = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)$").matcher(text);
        assertTrue(value.find(), series + " in\n" + text);
        return Long.parseLong(value.group(1));
    }
}
