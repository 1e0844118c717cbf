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

    private static final String VXLAN = MACS + "/IP(src='192.0.2.1', dst='192.0.2.2')/UDP(sport=49152, dport=4789)"
        + "/VXLAN(vni=7)/" + MACS + "/IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=1000, dport=2000)"
        + "/Raw(b'INNERMARK')";
    private static final String GRE = MACS + "/IP(src='192.0.2.3', dst='192.0.2.4')/GRE()"
        + "/IP(src='10.0.0.3', dst='10.0.0.4')/UDP(sport=1000, dport=2000)/Raw(b'INNERMARK')";

    @TempDir
    Path dir;

    @Test
    void shouldInspectWhatATunnelCarriesOnceAndTheTunnelPacketByItsHeaders() throws Exception
    {
        final String teredo = MACS + "/IP(src='192.0.2.5', dst='192.0.2.6')/UDP(sport=3544, dport=3544)"
            + "/IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=1000, dport=2000)/Raw(b'INNERMARK')";

        final List<String> alerts = alerts(List.of(VXLAN, GRE, teredo), """
            alert udp any any -> any any (msg:"udp content"; content:"INNERMARK"; sid:1;)
            alert ip any any -> any any (msg:"ip content"; content:"INNERMARK"; sid:2;)
            alert udp any any -> any 4789 (msg:"vxlan header"; sid:3;)
            """);

        assertEquals(List.of(
            "3 192.0.2.1", "1 10.0.0.1", "2 10.0.0.1",
            "1 10.0.0.3", "2 10.0.0.3",
            "1 2001:db8::1", "2 2001:db8::1"), alerts);
    }

    /**
     * {@code dsize} on a GRE or IP-in-IP tunnel's own packet saw what follows its IP header. In Suricata neither
     * {@code DecodeGRE} nor the IPv4 decoder's IPv6-in-IPv4 case sets the tunnel packet's payload, so its
     * {@code dsize} is 0; a tunnel over UDP (VXLAN) keeps the UDP payload, which {@code DecodeUDP} sets before the
     * tunnel is decoded. VXLAN's UDP payload, by hand: its 8-byte header, 14 bytes of Ethernet, 20 of IPv4, 8 of
     * UDP and 9 of data, 59.
     */
    @Test
    void shouldGiveATunnelPacketThePayloadSuricataGivesIt() throws Exception
    {
        final String sixInFour = MACS + "/IP(src='192.0.2.7', dst='192.0.2.8', proto=41)"
            + "/IPv6(src='2001:db8::3', dst='2001:db8::4')/UDP(sport=1000, dport=2000)/Raw(b'INNERMARK')";

        final List<String> alerts = alerts(List.of(VXLAN, GRE, sixInFour), """
            alert udp any any -> any 4789 (msg:"vxlan packet of 59"; dsize:59; sid:4;)
            alert udp any any -> any 4789 (msg:"vxlan packet of another size"; dsize:!59; sid:5;)
            alert ip any any -> any any (msg:"gre packet without payload"; ip_proto:47; dsize:0; sid:6;)
            alert ip any any -> any any (msg:"gre packet with payload"; ip_proto:47; dsize:>0; sid:7;)
            alert ip any any -> any any (msg:"6in4 packet without payload"; ip_proto:41; dsize:0; sid:8;)
            alert ip any any -> any any (msg:"6in4 packet with payload"; ip_proto:41; dsize:>0; sid:9;)
            """);

        assertEquals(List.of("4 192.0.2.1", "6 192.0.2.3", "8 192.0.2.7"), alerts);
    }

    /** Runs {@code rules} over the packets (scapy expressions) and returns each alert as its sid and source. */
    private List<String> alerts(final List<String> packets, final String ruleText) throws Exception
    {
        final Path capture = Scenario.pcap(dir.resolve("tunnels.pcap"), String.join(",\n", packets));
        final Path rules = dir.resolve("tunnel.rules");
        Files.writeString(rules, ruleText);
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
        return alerts;
    }
}
