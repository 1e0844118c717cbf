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
 * Found by a tester: alert lines had no {@code direction}, which Suricata 7 writes on every alert of a packet with
 * a flow: {@code to_server} from the side that sent the flow's first packet, {@code to_client} back. Flows both
 * ways (src/test/resources/flow/directions.py; tshark: two TCP sessions from 10.51.0.2 and 10.51.0.3 to
 * 192.0.2.51:80, the first with an HTTP request and response and the unacknowledged start of a second request at
 * the end, the second with unacknowledged server bytes; a UDP query and answer), on packets, on streams and on the
 * pseudo packets that inspect each flow's last bytes when it ends (the response too: no server packet follows the
 * client's acknowledgement of it).
 */
class AlertDirectionTest
{
    private static final String RULES = """
        alert tcp any any -> any any (msg:"client stream"; content:"ping-request"; sid:1;)
        alert tcp any any -> any any (msg:"server stream"; content:"pong-reply"; sid:2;)
        alert tcp any any -> any any (msg:"syn"; flags:S; sid:3;)
        alert tcp any any -> any any (msg:"syn ack"; flags:SA; sid:4;)
        alert tcp any any -> any any (msg:"client last bytes"; content:"tail-bytes"; sid:5;)
        alert tcp any any -> any any (msg:"server last bytes"; content:"server-tail"; sid:6;)
        alert udp any any -> any any (msg:"query"; content:"udp-ask"; sid:7;)
        alert udp any any -> any any (msg:"answer"; content:"udp-say"; sid:8;)
        """;

    @TempDir
    Path dir;

    @Test
    void alertsSayWhichWayTheirPacketGoesInItsFlow() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("flow/directions.py", dir.resolve("directions.pcap"));
        final Map<Integer, List<String>> bySid = new TreeMap<>();
        for (final JsonNode event : IpsCaptureTesting.events(RULES, capture, dir.resolve("eve.json"), false))
        {
            if ("alert".equals(event.path("event_type").asText()))
            {
                bySid.computeIfAbsent(event.at("/alert/signature_id").asInt(), s -> new ArrayList<>())
                    .add(event.path("direction").asText("absent") + " " + event.path("src_ip").asText() + " "
                        + event.path("pkt_src").asText());
            }
        }

        final String client = "to_server 10.51.0.2 wire/pcap";
        final String server = "to_client 192.0.2.51 wire/pcap";
        assertEquals(Map.of(
            1, List.of(client),
            2, List.of("to_client 192.0.2.51 stream (flow timeout)"),
            3, List.of(client, "to_server 10.51.0.3 wire/pcap"),
            4, List.of(server, server),
            5, List.of("to_server 10.51.0.2 stream (flow timeout)"),
            6, List.of("to_client 192.0.2.51 stream (flow timeout)"),
            7, List.of(client),
            8, List.of(server)), bySid);
    }
}
