package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.engine.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: with the firewall giving a flow a tenant, its flow record had {@code "tenant_id":"acme"}
 * and the IPS lines of the same {@code flow_id} had no {@code tenant_id} (issue 5, item 6, lists it). The
 * tester's capture, the shared zeek-chrome-34-google.pcap: one TLS session, client 192.168.4.149 (tshark:
 * ClientHello with server name www.google.com, ServerHello and Certificate from 74.125.239.152).
 */
class IpsTenantIdTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final Path CAPTURE = DATA.resolve("pcap/tls/zeek-chrome-34-google.pcap");
    private static final String RULES = """
        alert tls any any -> any any (msg:"google cert"; tls.cert_subject; content:"Google"; sid:2000002;)
        """;

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void everyIpsLineOfATenantsFlowCarriesTheTenantOfItsFlowRecord() throws Exception
    {
        run("""
            firewall:
              unmatched: allow
              tenants:
                - name: acme
                  select:
                    - {prefix: 192.168.4.0/24}
                  default: allow
            """);

        final Map<Long, String> flowTenants = tenantsByFlow(lines(dir.resolve("events/eve.json")));
        final List<JsonNode> ips = lines(dir.resolve("eve-ips.json"));
        assertEquals(Map.of(1212869809108537L, "acme"), flowTenants);
        assertEquals(List.of("alert", "tls"), types(ips));
        for (final JsonNode line : ips)
        {
            assertEquals("acme", line.path("tenant_id").asText(null), line.toString());
            assertEquals(flowTenants.get(line.get("flow_id").asLong()), line.get("tenant_id").asText());
        }
        final String first = Files.readAllLines(dir.resolve("eve-ips.json")).getFirst();
        assertTrue(first.contains("\"event_type\":\"alert\",\"tenant_id\":\"acme\",\"src_ip\""),
            "placed as in the flow record: " + first);
    }

    @Test
    void withoutAFirewallNoLineHasATenant() throws Exception
    {
        run("");

        final List<JsonNode> flows = lines(dir.resolve("events/eve.json"));
        final List<JsonNode> ips = lines(dir.resolve("eve-ips.json"));
        assertEquals(1, flows.size());
        assertFalse(flows.getFirst().has("tenant_id"), flows.toString());
        assertEquals(List.of("alert", "tls"), types(ips));
        for (final JsonNode line : ips)
        {
            assertFalse(line.has("tenant_id"), line.toString());
        }
    }

    /** The capture through the engine with {@code firewall}, a firewall section or none. */
    private void run(final String firewall) throws Exception
    {
        Files.writeString(dir.resolve("t.rules"), RULES);
        final Path config = Files.writeString(dir.resolve("engine.yaml"), """
            ports:
              - name: branch
                type: pcap
                rx: %s
            %sips:
              mode: ips
              rules: [%s]
              eve: %s
            events:
              dir: %s
            """.formatted(CAPTURE.toAbsolutePath(), firewall, dir.resolve("t.rules"), dir.resolve("eve-ips.json"),
            dir.resolve("events")));
        new Engine(ConfigLoader.load(config)).run();
    }

    private static List<String> types(final List<JsonNode> lines)
    {
        return lines.stream().map(l -> l.get("event_type").asText()).sorted().toList();
    }

    private static Map<Long, String> tenantsByFlow(final List<JsonNode> records)
    {
        final Map<Long, String> tenants = new TreeMap<>();
        for (final JsonNode record : records)
        {
            tenants.put(record.get("flow_id").asLong(), record.path("tenant_id").asText(null));
        }
        return tenants;
    }

    private List<JsonNode> lines(final Path file) throws Exception
    {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            nodes.add(mapper.readTree(line));
        }
        return nodes;
    }
}
