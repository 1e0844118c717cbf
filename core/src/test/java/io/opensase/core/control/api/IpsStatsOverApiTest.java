package io.opensase.core.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.control.LiveControl;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.report.RunReport;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a tester: {@code GET /stats} had no IPS counters, while the stats file and /metrics had them. A
 * scapy-written capture of three pings and a telnet SYN runs through an IPS that alerts on ICMP and drops
 * telnet; /stats, read over a real socket, shows the IPS stage's counts as the run report does.
 */
@Timeout(60)
class IpsStatsOverApiTest
{
    private static final String TOKEN = "ops-0123456789abcdef0123456789abcdef";
    private static final String ETHER = Scenario.ETHER;

    @TempDir
    Path temp;

    @Test
    void shouldShowTheIpsStageCountsAsTheRunReportDoes() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), String.join(",\n",
            ETHER + "/IP(src='10.0.0.1', dst='192.0.2.1')/ICMP(type=8, id=1, seq=1)",
            ETHER + "/IP(src='10.0.0.1', dst='192.0.2.1')/ICMP(type=8, id=1, seq=2)",
            ETHER + "/IP(src='10.0.0.1', dst='192.0.2.1')/ICMP(type=8, id=1, seq=3)",
            ETHER + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=40000, dport=23, flags='S')"));
        Files.writeString(temp.resolve("local.rules"), """
            alert icmp any any -> any any (msg:"ping"; sid:1;)
            drop tcp any any -> any 23 (msg:"telnet"; sid:2;)
            """);
        Files.writeString(temp.resolve("tokens"), "ops: " + TOKEN + "\n");
        Files.setPosixFilePermissions(temp.resolve("tokens"), PosixFilePermissions.fromString("rw-------"));
        final EngineConfig config = Scenario.config(temp, in, temp.resolve("out.pcap"), """
            ips:
              mode: ips
              rules: [local.rules]
            """);
        final Engine engine = new Engine(config);
        final RunResult result = engine.run();
        final JsonNode report = new ObjectMapper().readTree(RunReport.json(config, result)).get("ips");

        final JsonNode stats;
        try (ControlApiServer server = ControlApiServer.start(ControlApiConfig.defaults(temp.resolve("tokens"))
            .withListen("127.0.0.1", 0), new LiveControl(engine, "branch", null, null));
            HttpClient http = HttpClient.newHttpClient())
        {
            final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.localAddress().getPort() + "/stats")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            stats = new ObjectMapper().readTree(response.body()).get("stages").get("ips");
        }

        assertEquals(4, stats.get("packets").asLong(), stats.toString());
        assertEquals(4, stats.get("alerts").asLong(), "three pings and the telnet drop's alert: " + stats);
        assertEquals(1, stats.get("drops").asLong(), stats.toString());
        assertEquals(names(report), names(stats), "the same names, in the same order, as the run report's ips");
        assertEquals(report, stats);
    }

    private static List<String> names(final JsonNode node)
    {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
