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

/**
 * A flow dropped in IPS mode in the middle of an HTTP request body has its body rules run on the body collected
 * up to the dropping packet (found by a tester: a blocking DLP finding in a chunked upload that only the flow's
 * end closes left the request's {@code http.request_body} rules unrun, while IDS mode alerted). The capture,
 * written by src/test/resources/dlp/dropped-uploads.py, has two uploads with a chunk size of twenty F's: on
 * client port 41001 the card 4111111111111111 in the second body segment (frame 6), on 41002 a drop rule's
 * content there (frame 17); a third segment follows in each. On 41003 a download of /report.txt (Content-Length
 * 60) whose server sends a drop rule's content in the second body segment (frame 30), after 26 body bytes: 34
 * sent when it drops, 60 in all (tshark reassembles the 60). tshark reads frame 6 at 1767225600.000499, frame 17
 * at 1767225600.001598 and frame 30 at 1767225600.002897 (scapy's float times).
 */
class DroppedFlowBodyRulesTest
{
    private static final String RULES = """
        alert http any any -> any any (msg:"early body"; http.request_body; content:"exfil-marker-one"; sid:11;)
        alert http any any -> any any (msg:"late body"; http.request_body; content:"late-marker"; sid:12;)
        alert http any any -> any any (msg:"card field"; file.data; content:"card="; sid:13;)
        drop tcp any any -> any 80 (msg:"drop now"; content:"DROPNOW"; sid:20;)
        alert http any any -> any any (msg:"response body"; file.data; content:"exfil-marker-two"; sid:14;)
        drop tcp any 80 -> any any (msg:"drop reply"; content:"DROPNOW"; sid:21;)
        """;

    @TempDir
    static Path dir;

    private static List<JsonNode> ids;
    private static List<JsonNode> ips;
    private static IpsCounters ipsCounters;

    @BeforeAll
    static void runIdsAndIps() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("dlp/dropped-uploads.py", dir.resolve("dropped.pcap"));
        final Path profiles = dir.resolve("block.yaml");
        Files.writeString(profiles, """
            profiles:
              - name: pci
                action: block
                detectors:
                  - type: payment_card
            """);
        final Path rules = dir.resolve("body.rules");
        Files.writeString(rules, RULES);
        run(capture, rules, profiles, IpsMode.IDS, dir.resolve("ids.json"));
        ids = lines(dir.resolve("ids.json"));
        ipsCounters = run(capture, rules, profiles, IpsMode.IPS, dir.resolve("ips.json"));
        ips = lines(dir.resolve("ips.json"));
    }

    private static IpsCounters run(final Path capture, final Path rules, final Path profiles, final IpsMode mode,
        final Path eve) throws Exception
    {
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), mode, false, eve,
            null, profiles)); EveFileSink sink = new EveFileSink(eve))
        {
            return IpsCaptureRun.run(policy, capture, sink);
        }
    }

    private static List<JsonNode> lines(final Path eve) throws Exception
    {
        final ObjectMapper json = new ObjectMapper();
        final List<JsonNode> lines = new ArrayList<>();
        for (final String line : Files.readAllLines(eve))
        {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    /** The alerts of signature {@code sid} on the flow of client port {@code port}. */
    private static List<JsonNode> alerts(final List<JsonNode> lines, final int sid, final int port)
    {
        final List<JsonNode> found = new ArrayList<>();
        for (final JsonNode line : IpsCaptureTesting.ofType(lines, "alert"))
        {
            if (sid == line.at("/alert/signature_id").asInt()
                && (port == line.path("src_port").asInt() || port == line.path("dest_port").asInt()))
            {
                found.add(line);
            }
        }
        return found;
    }

    @Test
    void shouldRunBodyRulesOnTheBodySoFarWhenDlpDropsTheFlow()
    {
        final JsonNode dlp = IpsCaptureTesting.only(ips, "dlp");
        assertEquals("blocked", dlp.at("/dlp/action").asText());
        assertEquals(41001, dlp.path("src_port").asInt());

        final List<JsonNode> early = alerts(ips, 11, 41001);
        assertEquals(1, early.size(), () -> "early body alert in IPS mode: " + ips);
        assertEquals("2026-01-01T00:00:00.000499+0000", early.get(0).path("timestamp").asText(),
            "on the packet DLP dropped (frame 6)");
        assertEquals(1, alerts(ips, 13, 41001).size(), "the dropping packet's own bytes are in the body");
        assertEquals(0, alerts(ips, 12, 41001).size(), "bytes after the drop never reached the server");
    }

    @Test
    void shouldRunBodyRulesOnTheBodySoFarWhenADropRuleDropsTheFlow()
    {
        final List<JsonNode> drop = alerts(ips, 20, 41002);
        assertEquals(1, drop.size());
        assertEquals("blocked", drop.get(0).at("/alert/action").asText());

        final List<JsonNode> early = alerts(ips, 11, 41002);
        assertEquals(1, early.size(), () -> "early body alert in IPS mode: " + ips);
        assertEquals("2026-01-01T00:00:00.001598+0000", early.get(0).path("timestamp").asText(),
            "on the packet the rule dropped (frame 17)");
        assertEquals(0, alerts(ips, 12, 41002).size());
    }

    /** A response dropped mid-body: its file.data rules run on the 34 bytes sent, its file is logged truncated. */
    @Test
    void shouldRunResponseBodyRulesAndLogTheFileTruncatedWhenTheFlowIsDropped()
    {
        assertEquals("blocked", alerts(ips, 21, 41003).get(0).at("/alert/action").asText());
        final List<JsonNode> body = alerts(ips, 14, 41003);
        assertEquals(1, body.size(), () -> "response body alert in IPS mode: " + ips);
        assertEquals("2026-01-01T00:00:00.002897+0000", body.get(0).path("timestamp").asText(),
            "on the packet the rule dropped (frame 30)");

        final JsonNode file = IpsCaptureTesting.only(ips, "fileinfo");
        assertEquals("report.txt", file.at("/fileinfo/filename").asText());
        assertEquals("TRUNCATED", file.at("/fileinfo/state").asText());
        assertEquals(34, file.at("/fileinfo/size").asInt());

        final JsonNode whole = IpsCaptureTesting.only(ids, "fileinfo");
        assertEquals("CLOSED", whole.at("/fileinfo/state").asText());
        assertEquals(60, whole.at("/fileinfo/size").asInt());
        assertEquals(1, alerts(ids, 14, 41003).size());
    }

    @Test
    void shouldDropTheRestOfEachFlow()
    {
        assertEquals(3, ipsCounters.drops(), "frames 6, 17 and 30");
        // After each: the other side's ACK, the third segment, its ACK, both FINs.
        assertEquals(15, ipsCounters.flowDrops());
    }

    @Test
    void shouldAlertOnTheWholeBodyInIdsModeWhenTheFlowEnds()
    {
        for (final int port : new int[] {41001, 41002})
        {
            assertEquals(1, alerts(ids, 11, port).size(), "port " + port);
            assertEquals(1, alerts(ids, 12, port).size(), "port " + port);
        }
        assertEquals(1, alerts(ids, 13, 41001).size());
        assertEquals(0, alerts(ids, 13, 41002).size());
        assertEquals("allowed", alerts(ids, 20, 41002).get(0).at("/alert/action").asText());
        assertEquals("allowed", IpsCaptureTesting.only(ids, "dlp").at("/dlp/action").asText());
    }
}
