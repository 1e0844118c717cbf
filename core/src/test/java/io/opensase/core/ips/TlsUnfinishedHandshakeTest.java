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
        final Path capture = dir.resolve("unfinished.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/tls/unfinished.py",
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor());
        final Path rules = dir.resolve("tls.rules");
        Files.writeString(rules, RULES);
        final Path eve = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        final ObjectMapper json = new ObjectMapper();
        final Map<Integer, Integer> alerts = new TreeMap<>();
        final Map<String, JsonNode> tlsBySni = new TreeMap<>();
        for (final String line : Files.readAllLines(eve))
        {
            final JsonNode event = json.readTree(line);
            switch (event.path("event_type").asText())
            {
                case "alert" -> alerts.merge(event.at("/alert/signature_id").asInt(), 1, Integer::sum);
                case "tls" -> tlsBySni.put(event.at("/tls/sni").asText(), event.get("tls"));
                default -> { }
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
