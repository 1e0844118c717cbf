package io.opensase.core.ips;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rules are left out before verification when they cannot hold for a match (header, ports, kind of match), and
 * that changes no verdict. Over the shared capture zeek-bro.org.pcap: 13 TCP connections to port 80, 31 HTTP
 * requests, each in one client segment with PSH+ACK, 141 server segments with PSH (counts from tshark, e.g.
 * {@code tshark -r zeek-bro.org.pcap -Y 'tcp.flags==0x018 && tcp.dstport==80'}).
 */
class RulePreselectionTest
{
    private static final String RULES = """
        alert tcp any any -> any 80 (msg:"syn to 80"; flow:to_server; flags:S; sid:31;)
        alert tcp any any -> any 8080 (msg:"syn to 8080"; flags:S; sid:32;)
        alert tcp any 80 -> any any (msg:"syn-ack from 80"; flags:SA; sid:33;)
        alert tcp any any -> any 5800:5820 (msg:"syn to a range"; flags:S; sid:34;)
        alert tcp any any -> any 80 (msg:"client push"; flow:to_server,established; flags:PA; sid:35;)
        alert tcp any 80 -> any any (msg:"server push"; flow:to_client,established; flags:+P; sid:36;)
        alert http any any -> any any (msg:"request"; flow:to_server; http.method; content:"GET"; sid:37;)
        alert tcp any any -> any 8080 (msg:"request elsewhere"; http.method; content:"GET"; sid:38;)
        alert tcp-stream any any -> any 80 (msg:"stream rule, packet tests"; flow:to_server,established; flags:PA; sid:39;)
        alert tcp-pkt any any -> any 80 (msg:"packet rule, packet tests"; flow:to_server,established; flags:PA; sid:40;)
        """;

    @TempDir
    Path dir;

    /**
     * Rules without a prefilter literal are picked by port (31-34): a SYN rule alerts for each SYN to its port,
     * never for another port.
     */
    @Test
    void rulesWithoutALiteralAlertOnlyForTheirPorts() throws Exception
    {
        final Map<Integer, Integer> alerts = alertsBySid();

        assertEquals(13, alerts.getOrDefault(31, 0), alerts.toString());
        assertEquals(0, alerts.getOrDefault(32, 0), alerts.toString());
        assertEquals(13, alerts.getOrDefault(33, 0), alerts.toString());
        assertEquals(0, alerts.getOrDefault(34, 0), alerts.toString());
    }

    /**
     * Found when the header test moved before verification: a rule testing only the packet (35, 36) was also
     * matched with each stream chunk and HTTP message the packet completed, and alerted more than once for one
     * packet. It now alerts once per packet: 31 client segments, 141 server segments with PSH.
     */
    @Test
    void aRuleOfPacketTestsOnlyAlertsOncePerPacket() throws Exception
    {
        final Map<Integer, Integer> alerts = alertsBySid();

        assertEquals(31, alerts.getOrDefault(35, 0), alerts.toString());
        assertEquals(141, alerts.getOrDefault(36, 0), alerts.toString());
    }

    /**
     * Found by a tester: a {@code tcp-stream} rule without payload keywords never alerted once rules of packet
     * tests only were kept out of stream matches. As in Suricata, {@code tcp-stream} and {@code tcp-pkt} only
     * choose where payload keywords look: without them the rule matches each packet as a {@code tcp} rule.
     */
    @Test
    void streamAndPacketRulesWithoutPayloadKeywordsMatchPackets() throws Exception
    {
        final Map<Integer, Integer> alerts = alertsBySid();

        assertEquals(31, alerts.getOrDefault(39, 0), alerts.toString());
        assertEquals(31, alerts.getOrDefault(40, 0), alerts.toString());
    }

    @Test
    void aBufferRuleAlertsOncePerMessageOnItsPortsOnly() throws Exception
    {
        final Map<Integer, Integer> alerts = alertsBySid();

        assertEquals(31, alerts.getOrDefault(37, 0), alerts.toString());
        assertEquals(0, alerts.getOrDefault(38, 0), alerts.toString());
    }

    private Map<Integer, Integer> alertsBySid() throws Exception
    {
        return IpsCaptureTesting.alertsBySid(IpsCaptureTesting.events(RULES,
            SharedData.root().resolve("pcap/web-http/zeek-bro.org.pcap"), dir.resolve("eve.json"), false));
    }
}
