package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a tester: the payload of a tunnel's own packet (the VXLAN header and the frame it carries, GRE's, a
 * Teredo datagram's) was inspected as a payload, so that a content rule on {@code udp} or {@code ip} alerted
 * twice on one tunnelled packet, once with the outer addresses. Suricata inspects the tunnel packet's headers
 * only: {@code PacketTunnelPktSetup} sets no-payload-inspection on it, since what it carries is inspected as a
 * packet of its own. A header rule on the tunnel's port still alerts on the tunnel packet.
 */
class TunnelOuterPayloadTest
{
    private static final String MACS = Scenario.ETHER;

    @TempDir
    Path dir;

    @Test
    void shouldInspectWhatATunnelCarriesOnceAndTheTunnelPacketByItsHeaders() throws Exception
    {
        final Path capture = Scenario.pcap(dir.resolve("tunnels.pcap"), String.join(",\n",
            MACS + "/IP(src='192.0.2.1', dst='192.0.2.2')/UDP(sport=49152, dport=4789)/VXLAN(vni=7)/" + MACS
                + "/IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=1000, dport=2000)/Raw(b'INNERMARK')",
            MACS + "/IP(src='192.0.2.3', dst='192.0.2.4')/GRE()/IP(src='10.0.0.3', dst='10.0.0.4')"
                + "/UDP(sport=1000, dport=2000)/Raw(b'INNERMARK')",
            MACS + "/IP(src='192.0.2.5', dst='192.0.2.6')/UDP(sport=3544, dport=3544)"
                + "/IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=1000, dport=2000)/Raw(b'INNERMARK')"));
        final Path rules = dir.resolve("tunnel.rules");
        Files.writeString(rules, """
            alert udp any any -> any any (msg:"udp content"; content:"INNERMARK"; sid:1;)
            alert ip any any -> any any (msg:"ip content"; content:"INNERMARK"; sid:2;)
            alert udp any any -> any 4789 (msg:"vxlan header"; sid:3;)
            """);
        final Path eve = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }

        final List<String> alerts = new ArrayList<>();
        for (final String line : Files.readAllLines(eve))
        {
            final JsonNode json = new ObjectMapper().readTree(line);
            if ("alert".equals(json.path("event_type").asText()))
            {
                alerts.add(json.at("/alert/signature_id").asInt() + " " + json.path("src_ip").asText());
            }
        }
        assertEquals(List.of(
            "3 192.0.2.1", "1 10.0.0.1", "2 10.0.0.1",
            "1 10.0.0.3", "2 10.0.0.3",
            "1 2001:db8::1", "2 2001:db8::1"), alerts);
    }
}
