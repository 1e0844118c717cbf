package io.opensase.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.classifiers.testing.Tools;
import io.opensase.core.audit.AuditKey;
import io.opensase.core.audit.AuditLog;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.testing.RawPcap;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control views of an engine that has run a scapy-written capture through a firewall: counts that match
 * the traffic, a capture of what a filter took, the flows it left, Prometheus text that promtool accepts, and
 * changes recorded in the audit log.
 */
class LiveControlTest
{
    private static final String OUT = Scenario.ETHER;
    private static final String IN = "Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')";
    private static final String FIREWALL = """
        firewall:
          tenants:
            - name: acme
              select: [{prefix: 10.0.0.0/8}]
              inside: [10.0.0.0/8]
              rules:
                - {name: web, action: allow, direction: outbound, protocol: tcp, destination_ports: 80}
            - name: "globex"
              select: [{prefix: 172.16.0.0/12}]
              default: allow
        """;

    @TempDir
    Path temp;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldShowWhatTheEngineCountedAndRecordReloads() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), String.join(",\n",
            OUT + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='S', seq=100)",
            IN + "/IP(src='192.0.2.1', dst='10.0.0.1')/TCP(sport=80, dport=1000, flags='SA', seq=500, ack=101)",
            OUT + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='A', seq=101, ack=501)"
                + "/Raw(b'x' * 100)",
            OUT + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1001, dport=22, flags='S')",
            OUT + "/IP(src='172.16.0.9', dst='192.0.2.7')/UDP(sport=5000, dport=53)/Raw(b'q')"));
        final EngineConfig config = Scenario.config(temp, in, temp.resolve("out.pcap"), FIREWALL);
        final Engine engine = new Engine(config);
        final ConfigReloader reloader = new ConfigReloader(config.source(), c -> c, engine, config,
            Files.readString(config.source()));
        final Path secrets = Files.createDirectories(temp.resolve("secrets"));
        AuditKey.generate(secrets.resolve("audit.key"));
        final Path logs = Files.createDirectories(temp.resolve("logs"));
        try (AuditLog audit = AuditLog.open(logs.resolve("audit.log"), secrets.resolve("audit.anchor"),
            secrets.resolve("audit.key")))
        {
            final LiveControl control = new LiveControl(engine, "branch", reloader, audit);
            final JsonNode capture = mapper.readTree(control.startCapture(new FlowFilter("acme", null, 80, 6), 3, 30,
                "ops"));
            assertEquals("running", capture.get("state").asText());
            control.startTrace(new TraceFilter(null, "10.0.0.1", null, "192.0.2.1", null, 6), 10, 30, "ops");
            engine.run();
            for (int wait = 0; wait < 100 && !"done".equals(mapper.readTree(control.captureJson()).get("state")
                .asText()); wait++)
            {
                Thread.sleep(50);
            }
            final JsonNode captured = mapper.readTree(control.captureJson());
            assertEquals("done", captured.get("state").asText(), "three packets reach the limit");
            assertEquals(3, captured.get("packets").asLong());
            assertEquals(RawPcap.frames(in).subList(0, 3), RawPcap.frames(Path.of(captured.get("file").asText())),
                "acme's port-80 packets, byte for byte, and not the SSH SYN or globex's DNS");

            final JsonNode traced = mapper.readTree(control.traceJson()).get("packets");
            assertEquals(4, traced.size(), "acme's web connection and the SSH SYN, not globex's DNS: " + traced);
            final List<String> steps = new java.util.ArrayList<>();
            traced.forEach(p -> steps.add(p.get("tenant").asText() + " " + p.get("flow").asText() + " "
                + p.get("direction").asText() + " " + p.get("verdict").asText() + " " + p.get("decided_by").asText()));
            assertEquals(List.of(
                "acme new forward pass rule web (allow, line 12)",
                "acme existing reverse pass rule web (allow, line 12)",
                "acme existing forward pass rule web (allow, line 12)",
                "acme new forward firewall_deny default deny"), steps);

            final JsonNode stats = mapper.readTree(control.statsJson());
            assertEquals(5, stats.get("port").get("packets_in").asLong());
            assertEquals(4, stats.get("port").get("packets_out").asLong());
            assertEquals(1, stats.get("port").get("drops").get("firewall_deny").asLong(), "the SSH SYN");
            assertEquals(4, stats.get("stages").get("firewall").get("allowed").asLong(),
                "three packets of acme's web flow, one of globex's");
            assertEquals(0, stats.get("stages").get("firewall").get("invalid").get("total").asLong());
            assertEquals(2, stats.get("workers").get(0).get("flows").get("active").asLong());

            final JsonNode flows = mapper.readTree(control.flowsJson(FlowFilter.ANY, 10));
            assertEquals(2, flows.get("matched").asLong());
            final JsonNode web = flows.get("flows").get(0);
            assertEquals("acme", web.get("tenant").asText());
            assertEquals(6, web.get("protocol").asInt());
            assertEquals(3, web.get("packets_a_to_b").asLong() + web.get("packets_b_to_a").asLong());
            assertEquals(List.of("10.0.0.1", "192.0.2.1"), List.of(web.get("a").asText(), web.get("b").asText()));
            final JsonNode dns = mapper.readTree(control.flowsJson(new FlowFilter(null, "192.0.2.7", 53, 17), 10));
            assertEquals(1, dns.get("matched").asLong());
            assertEquals("globex", dns.get("flows").get(0).get("tenant").asText());
            assertEquals(0, mapper.readTree(control.flowsJson(new FlowFilter("nobody", null, null, null), 10))
                .get("matched").asLong());

            final JsonNode tenants = mapper.readTree(control.tenantsJson()).get("tenants");
            assertEquals("acme", tenants.get(0).get("name").asText());
            assertEquals(1, tenants.get(0).get("flows_active").asLong());
            assertEquals("10.0.0.0/8", tenants.get(0).get("select").get(0).get("prefix").asText());

            final JsonNode rules = mapper.readTree(control.rulesJson()).get("tenants");
            assertEquals(3, rules.get(0).get("rules").get(0).get("packets").asLong(), "web");
            assertEquals(1, rules.get(0).get("default").get("packets").asLong(), "acme's default: the SSH SYN");

            final Path metrics = Files.writeString(temp.resolve("metrics.txt"), control.metricsText());
            Tools.run("sh", "-c", "promtool check metrics < " + metrics);
            assertTrue(Files.readString(metrics).contains(
                "opensase_firewall_tenant_packets_total{tenant=\"acme\",action=\"allow\"} 3\n"));

            Files.writeString(config.source(), Files.readString(config.source()).replace("destination_ports: 80",
                "destination_ports: 443"));
            assertEquals(ReloadOutcome.Status.APPLIED, control.reload("ops").status());
            assertEquals(ReloadOutcome.Status.INVALID, control.putConfig("firewall: [", false, "ops").status());
            final List<String> entries = Files.readAllLines(logs.resolve("audit.log"), StandardCharsets.UTF_8);
            assertEquals(4, entries.size());
            assertEquals("capture", mapper.readTree(entries.get(0)).get("action").asText());
            assertEquals("trace", mapper.readTree(entries.get(1)).get("action").asText());
            final JsonNode applied = mapper.readTree(entries.get(2));
            assertEquals("ops", applied.get("principal").asText());
            assertEquals("reload", applied.get("action").asText());
            assertEquals("applied", applied.get("result").asText());
            assertEquals(ConfigReloader.digest(Files.readString(config.source())), applied.get("config_digest").asText());
            assertEquals("invalid", mapper.readTree(entries.get(3)).get("result").asText());
            final JsonNode health = mapper.readTree(control.healthJson());
            assertEquals(2, health.get("policy_generation").asLong());
            assertEquals(4, health.get("audit").get("seq").asLong());
        }
    }
}
