package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a tester: {@code flow:established} read the flow's state after the whole burst, so a handshake's SYN
 * and SYN/ACK counted as established when the rest of the session came in the same burst. As in Suricata, a TCP
 * session is established from the packet completing the handshake; a UDP flow once packets went both ways, the
 * current one included. One burst (src/test/resources/flow/established.py): SYN, SYN/ACK, ACK, client data,
 * server ACK, FIN, FIN, ACK; a UDP query and answer.
 */
class FlowEstablishedTest
{
    private static final String RULES = """
        alert tcp any any -> any any (msg:"tcp established"; flow:established; sid:1;)
        alert tcp any any -> any any (msg:"tcp not established"; flow:not_established; sid:2;)
        alert udp any any -> any any (msg:"udp established"; flow:established; sid:3;)
        alert udp any any -> any any (msg:"udp not established"; flow:not_established; sid:4;)
        """;

    @TempDir
    Path dir;

    @Test
    void aSessionIsEstablishedFromThePacketCompletingTheHandshake() throws Exception
    {
        final Map<Integer, List<String>> alerts = alerts(false);

        assertEquals(List.of("00.002", "00.003", "00.004", "00.005", "00.006", "00.007"), alerts.get(1));
        assertEquals(List.of("00.000", "00.001"), alerts.get(2));
        assertEquals(List.of("00.009"), alerts.get(3));
        assertEquals(List.of("00.008"), alerts.get(4));
    }

    /** Picked up midstream, a session is established from its first packet without SYN, as Suricata's. */
    @Test
    void midstreamPickupKeepsTheHandshakeRule() throws Exception
    {
        final Map<Integer, List<String>> alerts = alerts(true);

        assertEquals(List.of("00.002", "00.003", "00.004", "00.005", "00.006", "00.007"), alerts.get(1));
        assertEquals(List.of("00.000", "00.001"), alerts.get(2));
    }

    /** Per sid, the seconds and milliseconds of the packets it alerted on, in order. */
    private Map<Integer, List<String>> alerts(final boolean midstream) throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("flow/established.py", dir.resolve("established.pcap"));
        final Map<Integer, List<String>> bySid = new TreeMap<>();
        for (final JsonNode event : IpsCaptureTesting.events(RULES, capture, dir.resolve("eve.json"), midstream))
        {
            if ("alert".equals(event.path("event_type").asText()))
            {
                // 2026-01-01T00:00:00.004000+0000 -> "00.004"
                final String time = event.get("timestamp").asText().substring(17, 23);
                bySid.computeIfAbsent(event.at("/alert/signature_id").asInt(), s -> new ArrayList<>()).add(time);
            }
        }
        return bySid;
    }
}
