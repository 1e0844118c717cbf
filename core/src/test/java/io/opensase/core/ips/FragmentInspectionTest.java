package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        final Path capture = dir.resolve("fragments.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/frag/fragments.py",
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor());
        final Path rules = dir.resolve("fragments.rules");
        Files.writeString(rules, RULES);
        final Path eve = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        final ObjectMapper json = new ObjectMapper();
        final Map<Integer, Integer> bySid = new TreeMap<>();
        for (final String line : Files.readAllLines(eve))
        {
            final JsonNode event = json.readTree(line);
            if ("alert".equals(event.path("event_type").asText()))
            {
                bySid.merge(event.at("/alert/signature_id").asInt(), 1, Integer::sum);
            }
        }

        // 3 UDP fragments and the one UDP datagram rebuilt for ip_proto; one datagram for each transport rule.
        assertEquals(Map.of(1, 1, 2, 1, 3, 1, 4, 4), bySid);
    }
}
