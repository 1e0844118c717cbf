package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: {@code tls.alpn} saw at most 16 names, and the 17th was copied over the memory the first
 * still used, so a rule for the first name never matched and a client could hide a name from rules past the
 * 16th. A ClientHello offering 70 names, p00 to p69 (scapy, src/test/resources/tls/many-alpn.py; tshark reads
 * 70), and a ServerHello selecting h2: the first 64 names and h2 are inspected and logged; the line says it was
 * cut.
 */
class TlsAlpnLimitTest
{
    private static final String RULES = """
        alert tls any any -> any any (msg:"first"; tls.alpn; content:"p00"; sid:1;)
        alert tls any any -> any any (msg:"17th"; tls.alpn; content:"p16"; sid:2;)
        alert tls any any -> any any (msg:"64th"; tls.alpn; content:"p63"; sid:3;)
        alert tls any any -> any any (msg:"65th, past the limit"; tls.alpn; content:"p64"; sid:4;)
        alert tls any any -> any any (msg:"server's"; tls.alpn; content:"h2"; sid:5;)
        """;

    @TempDir
    Path dir;

    @Test
    void everyNameUpToTheLimitIsInspectedAndLogged() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("tls/many-alpn.py", dir.resolve("many-alpn.pcap"));

        final List<JsonNode> lines = IpsCaptureTesting.events(RULES, capture, dir.resolve("eve.json"), true);
        final Set<Integer> sids = IpsCaptureTesting.alertsBySid(lines).keySet();
        final List<JsonNode> tls = lines.stream().filter(l -> "tls".equals(l.path("event_type").asText()))
            .toList();

        assertEquals(Set.of(1, 2, 3, 5), sids);
        assertEquals(1, tls.size(), tls.toString());
        final JsonNode names = tls.getFirst().at("/tls/client_alpns");
        assertEquals(64, names.size(), names.toString());
        assertEquals("p00", names.get(0).asText());
        assertEquals("p63", names.get(63).asText());
        assertEquals("[\"h2\"]", tls.getFirst().at("/tls/server_alpns").toString());
        assertTrue(tls.getFirst().path("truncated").asBoolean(), tls.getFirst().toString());
    }
}
