package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Found by a tester: a TLS handshake without the server's Certificate wrote no {@code tls} line, and its
 * server-side keywords were never inspected. Now, when the flow ends, such a handshake is inspected on the
 * server's pseudo packet and logged, as Suricata logs an unfinished handshake. Two flows from scapy
 * (src/test/resources/tls/unfinished.py; tshark reads them): a resumed TLS 1.2 session (ServerHello with the
 * client's session id and ALPN h2, then ChangeCipherSpec and encrypted records) and a ClientHello never answered.
 */
class TlsUnfinishedHandshakeTest
{
    private static final String RULES = """
        alert tls any any -> any any (msg:"server alpn"; flow:to_client; tls.alpn; content:"h2"; sid:1;)
        alert tls any any -> any any (msg:"unanswered sni"; tls.sni; content:"nobody"; sid:2;)
        """;

    @TempDir
    Path dir;

    @Test
    void aHandshakeWithoutACertificateIsInspectedAndLoggedWhenItsFlowEnds() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("tls/unfinished.py", dir.resolve("unfinished.pcap"));

        final List<JsonNode> lines = IpsCaptureTesting.events(RULES, capture, dir.resolve("eve.json"), false);
        final Map<Integer, Integer> alerts = IpsCaptureTesting.alertsBySid(lines);
        final Map<String, JsonNode> tlsBySni = new TreeMap<>();
        for (final JsonNode line : lines)
        {
            if ("tls".equals(line.path("event_type").asText()))
            {
                tlsBySni.put(line.at("/tls/sni").asText(), line.get("tls"));
            }
        }

        assertEquals(Map.of(1, 1, 2, 1), alerts);
        assertEquals(List.of("nobody.example", "resumed.example"), List.copyOf(tlsBySni.keySet()));
        final JsonNode resumed = tlsBySni.get("resumed.example");
        assertEquals("TLS 1.2", resumed.path("version").asText(), resumed.toString());
        assertEquals("[\"h2\"]", resumed.path("server_alpns").toString());
        assertEquals("[\"h2\",\"http/1.1\"]", resumed.path("client_alpns").toString());
    }
}
