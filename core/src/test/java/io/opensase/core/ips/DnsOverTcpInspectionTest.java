package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS over TCP goes through the stage's DNS inspection as DNS over UDP does (found by a tester: a TCP DNS flow
 * had no dns lines, no app_proto and its dns.query rule stayed silent): every message framed from the stream,
 * a length prefix alone in its segment included, is a dns line, the flow's app_proto is dns, and a query's name
 * is what dns.query inspects. The capture comes from scapy (src/test/resources/dns/dns-over-tcp.py) and the
 * expected messages from tshark's reading of it.
 */
class DnsOverTcpInspectionTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static JsonNode expected;
    private static List<JsonNode> lines;

    @BeforeAll
    static void run() throws Exception
    {
        final Path capture = dir.resolve("dns-tcp.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dns/dns-over-tcp.py",
            capture.toString()).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        final byte[] out = python.getInputStream().readAllBytes();
        assertEquals(0, python.waitFor(), "scapy wrote the capture");
        expected = JSON.readTree(out);
        final Path rules = dir.resolve("dns.rules");
        Files.writeString(rules, """
            alert dns any any -> any any (msg:"tcp1 query"; dns.query; content:"tcp1.example"; sid:1;)
            alert dns any any -> any any (msg:"three query"; dns.query; content:"three"; sid:2;)
            alert dns any any -> any any (msg:"no such name"; dns.query; content:"four"; sid:3;)
            """);
        final Path eveFile = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, eveFile, null, null)); EveFileSink sink = new EveFileSink(eveFile))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        lines = new ArrayList<>();
        for (final String line : Files.readAllLines(eveFile))
        {
            lines.add(JSON.readTree(line));
        }
    }

    private static List<JsonNode> of(final String type)
    {
        return lines.stream().filter(l -> type.equals(l.path("event_type").asText())).toList();
    }

    @Test
    void everyMessageIsADnsLineAsTsharkReadsIt()
    {
        final List<JsonNode> dns = of("dns");
        final JsonNode messages = expected.get("messages");
        assertEquals(messages.size(), dns.size(), dns.toString());
        for (int i = 0; i < dns.size(); i++)
        {
            final JsonNode want = messages.get(i);
            final JsonNode got = dns.get(i).get("dns");
            assertEquals(want.get("id").asInt(), got.get("id").asInt());
            assertEquals(want.get("response").asBoolean() ? "answer" : "query", got.get("type").asText());
            assertEquals(want.get("rrname").asText(), got.get("rrname").asText());
        }
    }

    @Test
    void dnsQueryRulesMatchTheirNamesOnly()
    {
        final List<JsonNode> alerts = of("alert");
        assertEquals(1, alerts.stream().filter(a -> 1 == a.at("/alert/signature_id").asInt()).count());
        assertEquals(1, alerts.stream().filter(a -> 2 == a.at("/alert/signature_id").asInt()).count());
        assertEquals(0, alerts.stream().filter(a -> 3 == a.at("/alert/signature_id").asInt()).count());
        assertEquals(2, alerts.size());
    }

    @Test
    void theFlowsAreDns()
    {
        final List<JsonNode> flows = of("flow");
        assertEquals(2, flows.size());
        assertTrue(flows.stream().allMatch(f -> "dns".equals(f.path("app_proto").asText())), flows.toString());
    }
}
