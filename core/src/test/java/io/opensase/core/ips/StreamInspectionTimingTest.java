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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When stream rules see a direction's bytes. In IDS mode, as Suricata's raw stream inspection: acknowledged bytes,
 * on the next packet going their way, once 2,560 of them wait, an HTTP message among them is complete, or the
 * session is closed; what is left when the flow ends on a pseudo packet ({@code pkt_src} "stream (flow
 * timeout)"). Inline, with the packet that brought them. Captures and the packets the alerts must carry are built
 * by scapy (src/test/resources/stream/ack-timing.py); frame times are 2026-01-01T00:00:00 plus 1 ms per frame.
 */
class StreamInspectionTimingTest
{
    private static final String RULES = """
        alert tcp any any -> any any (msg:"client marker"; flow:to_server; content:"STREAM-MARKER"; sid:11;)
        alert tcp any any -> any any (msg:"split marker"; content:"ATTACK-MARKER"; sid:12;)
        alert tcp any any -> any any (msg:"server marker"; flow:to_client; content:"RESPONSE-MARKER"; sid:13;)
        alert tcp any any -> any any (msg:"bulk marker"; content:"BULK-MARKER"; sid:14;)
        alert tcp any any -> any any (msg:"absent"; content:"NOT-IN-ANY-STREAM"; sid:15;)
        """;
    private static final String FLOW_TIMEOUT = "stream (flow timeout)";

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private IpsCounters counters;

    @Test
    void neverAcknowledgedBytesAreInspectedOnThePseudoPacketWhenTheFlowEnds() throws Exception
    {
        final List<JsonNode> alerts = run("unacked", IpsMode.IDS);

        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(11, alert.at("/alert/signature_id").asInt());
        assertEquals(FLOW_TIMEOUT, alert.get("pkt_src").asText());
        assertEquals(expected("unacked", "pseudo"), alert.get("packet").asText());
        assertEquals("10.30.0.2", alert.get("src_ip").asText());
        assertEquals(30000, alert.get("src_port").asInt());
        assertEquals("192.0.2.30", alert.get("dest_ip").asText());
        assertEquals(80, alert.get("dest_port").asInt());
        assertEquals("[77]", alert.get("vlan").toString());
        assertEquals("xx STREAM-MARKER yy", alert.get("payload_printable").asText());
        assertEquals(1, alert.get("stream").asInt());
        // The time of the last packet seen, when the flow ended.
        assertEquals("2026-01-01T00:00:00.003000+0000", alert.get("timestamp").asText());
    }

    /** 19 acknowledged bytes of no known application are fewer than a chunk: they wait for the flow's end. */
    @Test
    void fewAcknowledgedBytesWaitForTheFlowToEnd() throws Exception
    {
        final List<JsonNode> alerts = run("acked", IpsMode.IDS);

        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(FLOW_TIMEOUT, alert.get("pkt_src").asText());
        assertEquals(expected("acked", "pseudo"), alert.get("packet").asText());
        assertEquals("2026-01-01T00:00:00.005000+0000", alert.get("timestamp").asText());
    }

    @Test
    void aChunkOfAcknowledgedBytesIsInspectedOnTheSendersNextPacket() throws Exception
    {
        assertInspectedOnFrame("acked-chunk", "2026-01-01T00:00:00.007000+0000");
    }

    @Test
    void closedSessionIsInspectedOnItsLastPacket() throws Exception
    {
        assertInspectedOnFrame("closed", "2026-01-01T00:00:00.007000+0000");
    }

    @Test
    void completeHttpRequestIsInspectedOnceAcknowledged() throws Exception
    {
        assertInspectedOnFrame("http", "2026-01-01T00:00:00.005000+0000");
    }

    private void assertInspectedOnFrame(final String scenario, final String time) throws Exception
    {
        final List<JsonNode> alerts = run(scenario, IpsMode.IDS);

        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(11, alert.at("/alert/signature_id").asInt());
        assertEquals("wire/pcap", alert.get("pkt_src").asText());
        assertEquals(expected(scenario, "frame"), alert.get("packet").asText());
        assertEquals(time, alert.get("timestamp").asText());
        assertEquals("10.30.0.2", alert.get("src_ip").asText());
    }

    @Test
    void inlineModeInspectsTheBytesWithThePacketThatBroughtThem() throws Exception
    {
        final List<JsonNode> alerts = run("unacked", IpsMode.IPS);

        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals("wire/pcap", alerts.getFirst().get("pkt_src").asText());
        assertEquals("2026-01-01T00:00:00.003000+0000", alerts.getFirst().get("timestamp").asText());
    }

    @Test
    void serverBytesNeverAcknowledgedEndOnAPseudoPacketFromTheServer() throws Exception
    {
        final List<JsonNode> alerts = run("server-unacked", IpsMode.IDS);

        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(13, alert.at("/alert/signature_id").asInt());
        assertEquals(FLOW_TIMEOUT, alert.get("pkt_src").asText());
        assertEquals(expected("server-unacked", "pseudo"), alert.get("packet").asText());
        assertEquals("192.0.2.30", alert.get("src_ip").asText());
        assertEquals(80, alert.get("src_port").asInt());
        assertEquals("10.30.0.2", alert.get("dest_ip").asText());
        assertEquals(30000, alert.get("dest_port").asInt());
        assertTrue(alert.path("vlan").isMissingNode(), alert.toString());
    }

    /** "...ATTA" is inspected when acknowledged; at the end "CK-MARKER" is, after the bytes inspected before it. */
    @Test
    void patternAcrossTheAcknowledgedBoundaryMatchesOnce() throws Exception
    {
        final List<JsonNode> alerts = run("split", IpsMode.IDS);

        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(12, alert.at("/alert/signature_id").asInt());
        assertEquals(FLOW_TIMEOUT, alert.get("pkt_src").asText());
        assertEquals(expected("split", "pseudo"), alert.get("packet").asText());
    }

    /**
     * A direction holds 32 KiB: the 33rd unacknowledged 1,000-byte segment finds no room, so the 32,000 bytes
     * before it are inspected on it, before any acknowledgement (counted once).
     */
    @Test
    void bytesWithoutRoomToWaitAreInspectedAtOnce() throws Exception
    {
        final List<JsonNode> alerts = run("bulk", IpsMode.IDS);

        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(14, alert.at("/alert/signature_id").asInt());
        assertEquals("wire/pcap", alert.get("pkt_src").asText());
        assertEquals(expected("bulk", "frame"), alert.get("packet").asText());
        assertEquals(1, counters.streamEarly());
    }

    /** The engine's workers end their flows when it shuts down: bytes still waiting are inspected then. */
    @Test
    void engineShutdownInspectsWhatIsStillWaiting() throws Exception
    {
        final Path capture = capture("unacked");
        final Path config = dir.resolve("engine.yaml");
        Files.writeString(config, "ports:\n  - name: in\n    type: pcap\n    rx: " + capture + "\n    tx: "
            + dir.resolve("out.pcap") + "\n\nips:\n  mode: ids\n  rules: [timing.rules]\n  eve: engine-eve.json\n");

        new Engine(ConfigLoader.load(config)).run();

        final List<JsonNode> alerts = alerts(dir.resolve("engine-eve.json"));
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals(FLOW_TIMEOUT, alerts.getFirst().get("pkt_src").asText());
        assertEquals(expected("unacked", "pseudo"), alerts.getFirst().get("packet").asText());
    }

    /**
     * Found by a tester: a content longer than the 2,048 bytes kept in front of new stream bytes was missed
     * across an inspection boundary. 2,800 bytes of "A" are inspected, then 400 more at the flow's end: 3,000
     * "A" in a row end in those 400, so only bytes kept from before complete them. The overlap now follows the
     * longest stream content of the rules; a content of 2,999 "A" and a "B" is still nowhere.
     */
    @Test
    void aContentLongerThanTheDefaultOverlapIsFoundAcrossAnInspectionBoundary() throws Exception
    {
        capture("long");
        Files.writeString(dir.resolve("timing.rules"),
            "alert tcp any any -> any any (msg:\"long\"; content:\"" + "A".repeat(3000) + "\"; sid:21;)\n"
            + "alert tcp any any -> any any (msg:\"long miss\"; content:\"" + "A".repeat(2999) + "B\"; sid:22;)\n");
        final Path eve = dir.resolve("long.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(dir.resolve("timing.rules")), Map.of(),
            Map.of(), IpsMode.IDS, false, eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, dir.resolve("long.pcap"), sink);
        }

        final List<JsonNode> alerts = alerts(eve);
        assertEquals(1, alerts.size(), alerts.toString());
        assertEquals(21, alerts.getFirst().at("/alert/signature_id").asInt());
        assertEquals(FLOW_TIMEOUT, alerts.getFirst().get("pkt_src").asText());
        assertEquals(expected("long", "pseudo"), alerts.getFirst().get("packet").asText());
    }

    /**
     * The marker flow times out while a flow 7,200 s later is looked up in the same burst, before the stage saw
     * the marker: its bytes are still inspected on its own pseudo packet, stamped with the later packet's time.
     */
    @Test
    void aFlowEndingByIdleTimeoutHasItsWaitingBytesInspected() throws Exception
    {
        final List<JsonNode> alerts = run("idle", IpsMode.IDS);

        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(FLOW_TIMEOUT, alert.get("pkt_src").asText());
        assertEquals(expected("idle", "pseudo"), alert.get("packet").asText());
        assertEquals("10.30.0.2", alert.get("src_ip").asText());
        assertEquals("2026-01-01T02:00:00.004000+0000", alert.get("timestamp").asText());
    }

    /** A 16-flow table evicts the marker flow for a UDP flow of the same burst: the alert is the marker flow's. */
    @Test
    void anEvictedFlowsPseudoPacketCarriesItsOwnAddresses() throws Exception
    {
        final Path capture = capture("evicted");
        final Path config = dir.resolve("engine.yaml");
        Files.writeString(config, "ports:\n  - name: in\n    type: pcap\n    rx: " + capture + "\n    tx: "
            + dir.resolve("out.pcap") + "\n\nflows:\n  capacity: 16\n\nips:\n  mode: ids\n  rules: [timing.rules]\n"
            + "  eve: engine-eve.json\n");

        new Engine(ConfigLoader.load(config)).run();

        final List<JsonNode> alerts = alerts(dir.resolve("engine-eve.json"));
        assertEquals(1, alerts.size(), alerts.toString());
        final JsonNode alert = alerts.getFirst();
        assertEquals(FLOW_TIMEOUT, alert.get("pkt_src").asText());
        assertEquals(expected("evicted", "pseudo"), alert.get("packet").asText());
        assertEquals("10.30.0.2", alert.get("src_ip").asText());
        assertEquals(30000, alert.get("src_port").asInt());
        assertEquals("192.0.2.30", alert.get("dest_ip").asText());
        assertEquals(80, alert.get("dest_port").asInt());
        assertEquals("TCP", alert.get("proto").asText());
        assertEquals("xx STREAM-MARKER yy", alert.get("payload_printable").asText());
    }

    private List<JsonNode> run(final String scenario, final IpsMode mode) throws Exception
    {
        final Path capture = capture(scenario);
        final Path eve = dir.resolve(scenario + "-" + mode + ".json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(dir.resolve("timing.rules")), Map.of(),
            Map.of(), mode, false, eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            counters = IpsCaptureRun.run(policy, capture, sink);
        }
        return alerts(eve);
    }

    /** Writes the scenario's capture (and what scapy expects beside it) and the rules. */
    private Path capture(final String scenario) throws Exception
    {
        final Path capture = dir.resolve(scenario + ".pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/stream/ack-timing.py",
            capture.toString(), scenario).inheritIO().start();
        assertEquals(0, python.waitFor());
        Files.writeString(dir.resolve("timing.rules"), RULES);
        return capture;
    }

    private List<JsonNode> alerts(final Path eve) throws Exception
    {
        final List<JsonNode> alerts = new ArrayList<>();
        for (final String line : Files.readAllLines(eve))
        {
            final JsonNode event = json.readTree(line);
            if ("alert".equals(event.get("event_type").asText()))
            {
                alerts.add(event);
            }
        }
        return alerts;
    }

    private String expected(final String scenario, final String packet) throws Exception
    {
        return json.readTree(dir.resolve(scenario + ".pcap.expect.json").toFile()).get(packet).asText();
    }
}
