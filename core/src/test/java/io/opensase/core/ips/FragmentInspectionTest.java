package io.opensase.core.ips;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a tester: a first IPv4 fragment was inspected as a TCP or UDP packet (the parser reads its transport
 * header for the flow), and its datagram again once rebuilt, so port, {@code flags} and {@code dsize} rules alerted
 * twice, and once for a datagram that never completed. As in Suricata, a fragment is an IP packet only; its
 * transport header and payload are the rebuilt datagram's. Fragments from scapy (src/test/resources/frag/
 * fragments.py; tshark reads 6 fragments: a UDP datagram to port 53 in 2, a TCP SYN to port 80 in 3, and a
 * first fragment to port 53 whose datagram never completes).
 */
class FragmentInspectionTest
{
    private static final String RULES = """
        alert udp any any -> any 53 (msg:"udp to 53"; sid:1;)
        alert tcp any any -> any 80 (msg:"syn to 80"; flags:S; sid:2;)
        alert udp any any -> any any (msg:"big datagram"; dsize:>100; sid:3;)
        alert ip any any -> any any (msg:"udp fragments and datagram"; ip_proto:17; sid:4;)
        """;

    @TempDir
    Path dir;

    @Test
    void transportRulesSeeTheRebuiltDatagramOnlyAndIpRulesEveryFragment() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("frag/fragments.py", dir.resolve("fragments.pcap"));

        final Map<Integer, Integer> bySid = IpsCaptureTesting.alertsBySid(
            IpsCaptureTesting.events(RULES, capture, dir.resolve("eve.json"), false));

        // 3 UDP fragments and the one UDP datagram rebuilt for ip_proto; one datagram for each transport rule.
        assertEquals(Map.of(1, 1, 2, 1, 3, 1, 4, 4), bySid);
    }

    /**
     * The same for IPv6 (src/test/resources/frag/fragments6.py; tshark reads 6 packets: the UDP datagram in 2
     * fragments, the SYN in 2, the lone first fragment, and an atomic fragment, a whole UDP datagram to port 53
     * with 8 payload bytes). Before, each first fragment was a UDP or TCP packet too: 4, 2, 1, 4 and 2 alerts
     * for sids 1 to 5, the lone first fragment alerting on port 53. As in Suricata, a fragment's protocol is the
     * fragment header's (44); the atomic fragment is inspected as the UDP packet it is.
     */
    @Test
    void ipv6FragmentsAreIpPacketsOnly() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("frag/fragments6.py", dir.resolve("fragments6.pcap"));

        final Map<Integer, Integer> bySid = IpsCaptureTesting.alertsBySid(IpsCaptureTesting.events(
            RULES + "alert ip any any -> any any (msg:\"fragments\"; ip_proto:44; sid:5;)\n", capture,
            dir.resolve("eve6.json"), false));

        // Rebuilt UDP datagram and the atomic fragment; the rebuilt SYN; the 120-byte datagram; the same two as
        // sid 1; the five fragments (2 UDP, 2 TCP, the lone one).
        assertEquals(Map.of(1, 2, 2, 1, 3, 1, 4, 2, 5, 5), bySid);
    }
}
