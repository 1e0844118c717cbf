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
 * Found by a tester: a {@code tls.sni} rule alerted twice per TLS session, on the ClientHello ({@code to_server})
 * and again on the server's Certificate packet ({@code to_client}); Suricata inspects {@code tls.sni} to the
 * server only ({@code detect-tls-sni.c}), as it does {@code ja3.hash}, and {@code ja3s.hash} and
 * {@code tls.cert_*} to the client. The tester's capture, the shared zeek-chrome-34-google.pcap, one session;
 * tshark 4.0 reads: ClientHello at 1398362902.704084 from 192.168.4.149 with server name google.de, ALPN
 * spdy/3, spdy/3.1, http/1.1 and JA3 a607f3a5c94c2ee592af1456f36c8367; ServerHello with ALPN spdy/3.1 and JA3S
 * 9f5e2e0d84076af5475bbe44debdb03e; Certificate at 1398362902.712109, subject CN *.google.de, O Google Inc.
 */
class TlsBufferDirectionTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final Path CAPTURE = DATA.resolve("pcap/tls/zeek-chrome-34-google.pcap");
    private static final String RULES = """
        alert tls any any -> any any (msg:"sni"; tls.sni; content:"google"; sid:1;)
        alert tls any any -> any any (msg:"ja3"; ja3.hash; content:"a607f3a5c94c2ee592af1456f36c8367"; sid:2;)
        alert tls any any -> any any (msg:"ja3s"; ja3s.hash; content:"9f5e2e0d84076af5475bbe44debdb03e"; sid:3;)
        alert tls any any -> any any (msg:"subject"; tls.cert_subject; content:"Google Inc"; sid:4;)
        alert tls any any -> any any (msg:"sni and alpn"; tls.sni; content:"google.de"; tls.alpn; \
        content:"spdy/3.1"; sid:5;)
        alert tls any any -> any any (msg:"other sni"; tls.sni; content:"example"; sid:7;)
        """;

    @TempDir
    Path dir;

    @Test
    void eachTlsBufferAlertsOnceTheWaySuricataInspectsIt() throws Exception
    {
        final List<JsonNode> lines = IpsCaptureTesting.events(RULES, CAPTURE, dir.resolve("eve.json"), false);

        final Map<Integer, String> where = new TreeMap<>();
        for (final JsonNode line : lines)
        {
            if ("alert".equals(line.get("event_type").asText()))
            {
                final String seen = line.get("timestamp").asText() + " " + line.get("direction").asText();
                where.merge(line.at("/alert/signature_id").asInt(), seen, (a, b) -> a + " | " + b);
            }
        }
        final String clientHello = "2014-04-24T18:08:22.704084+0000 to_server";
        final String certificate = "2014-04-24T18:08:22.712109+0000 to_client";
        // 5: the client's name with the server's ALPN, once both are known. 7: another name, no alert.
        assertEquals(Map.of(1, clientHello, 2, clientHello, 3, certificate, 4, certificate, 5, certificate), where);
    }
}
