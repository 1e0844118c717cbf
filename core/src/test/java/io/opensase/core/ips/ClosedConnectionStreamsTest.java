package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found while sizing an engine benchmark: a closed connection kept its stream until its flow timed out (an hour
 * for TCP), so after 4,096 connections a worker had no stream left and every later flow went without
 * reassembly, HTTP parsing or DLP (904 of 5,000 short connections in one capture). Now a connection closed by
 * both FINs, acknowledged, lets its stream go on that packet. The capture (scapy,
 * src/test/resources/ips/closed-connections.py; tshark reads its 4,200 requests) holds 4,200 connections one
 * after the other, each with "SPLIT-" cut across two segments of its request: only reassembly finds it.
 */
class ClosedConnectionStreamsTest
{
    private static final int CONNECTIONS = 4_200;
    private static final String RULES = """
        alert tcp any any -> any 80 (msg:"across segments"; flow:established,to_server; content:"SPLIT-"; sid:1;)
        alert http any any -> any any (msg:"header across segments"; http.header; content:"X-Mark|3a 20|SPLIT-"; sid:2;)
        """;

    /** Made once for the class: scapy takes about 15 s to write it. */
    @TempDir
    static Path shared;
    private static Path closed;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeTheConnections() throws Exception
    {
        closed = IpsCaptureTesting.scapy("ips/closed-connections.py", shared.resolve("closed.pcap"));
    }

    @Test
    void everyClosedConnectionIsReassembledPastTheWorkersStreamCount() throws Exception
    {
        final Path capture = closed;
        final Path eve = dir.resolve("eve.json");
        final IpsCounters counters = IpsCaptureTesting.run(RULES, capture, eve, false);
        final List<JsonNode> lines = IpsCaptureTesting.lines(eve);

        assertEquals(0, counters.appFlowsUninspected());
        assertEquals(Map.of(1, CONNECTIONS, 2, CONNECTIONS), IpsCaptureTesting.alertsBySid(lines));
        assertEquals(CONNECTIONS, IpsCaptureTesting.ofType(lines, "http").size());
        final JsonNode last = IpsCaptureTesting.ofType(lines, "http").getLast();
        assertEquals("/c4199", last.at("/http/url").asText(), last.toString());
        assertEquals("10.80.16.103", last.path("src_ip").asText(), last.toString());
    }

    /**
     * What comes after the close is inspected as before the streams were let go: a retransmission after both FINs
     * is not inspected again by stream rules (one alert, from the stream, on the closing acknowledgement), and
     * data after a RST, which nothing reassembles, is inspected as a packet
     * (src/test/resources/ips/closed-then-more.py).
     */
    @Test
    void packetsAfterTheCloseAreInspectedAsTheClosedStreamWouldHaveThem() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("ips/closed-then-more.py", dir.resolve("more.pcap"));
        final List<JsonNode> lines = IpsCaptureTesting.events("""
            alert tcp any any -> any any (msg:"retransmitted"; content:"RETRANS-MARK"; sid:1;)
            alert tcp any any -> any any (msg:"after reset"; content:"AFTER-RST"; sid:2;)
            """, capture, dir.resolve("eve.json"), false);

        assertEquals(Map.of(1, 1, 2, 1), IpsCaptureTesting.alertsBySid(lines));
        for (final JsonNode alert : IpsCaptureTesting.ofType(lines, "alert"))
        {
            final int sid = alert.at("/alert/signature_id").asInt();
            assertEquals(1 == sid ? 1 : 0, alert.path("stream").asInt(), alert.toString());
        }
    }

    /**
     * In IPS mode a dropped connection is not inspected any more, and its later packets, its close among them,
     * never reach the stream: it lets its stream go on the packet that dropped it. Every one of the 4,200
     * requests is dropped on its second segment, where "SPLIT-" completes.
     */
    @Test
    void everyDroppedConnectionLetsItsStreamGo() throws Exception
    {
        final Path capture = closed;
        final Path rules = dir.resolve("drop.rules");
        Files.writeString(rules, "drop tcp any any -> any 80 (msg:\"across segments\"; flow:established,to_server; "
            + "content:\"SPLIT-\"; sid:1;)\n");
        final Path eve = dir.resolve("eve.json");
        final IpsCounters counters = IpsCaptureTesting.run(new IpsSettings(List.of(rules), Map.of(), Map.of(),
            IpsMode.IPS, false, eve, null, null), capture);

        assertEquals(0, counters.appFlowsUninspected());
        assertEquals(CONNECTIONS, counters.drops());
        final List<JsonNode> alerts = IpsCaptureTesting.ofType(IpsCaptureTesting.lines(eve), "alert");
        assertEquals(CONNECTIONS, alerts.size());
        assertEquals("blocked", alerts.getLast().at("/alert/action").asText(), alerts.getLast().toString());
        assertEquals("10.80.16.103", alerts.getLast().path("src_ip").asText(), alerts.getLast().toString());
    }
}
