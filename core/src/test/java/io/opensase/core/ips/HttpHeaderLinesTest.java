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
 * The stage splits a header block into {@code http.request_header} / {@code http.response_header} lines only
 * when a rule reads them; when one does, they are there. zeek-http-pipelined-requests.pcap, by tshark: 5
 * requests, each with {@code Host: www.mozilla.org}; 5 responses, 2 of them with {@code Content-Encoding: gzip}.
 */
class HttpHeaderLinesTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void headerLineRulesMatchEachLine() throws Exception
    {
        final Map<Long, Integer> alerts = alerts("""
            alert http any any -> any any (msg:"host line"; flow:to_server; http.request_header; \
            content:"Host|3a 20|www.mozilla.org"; startswith; endswith; sid:1;)
            alert http any any -> any any (msg:"gzip line"; flow:to_client; http.response_header; \
            content:"Content-Encoding|3a 20|gzip"; startswith; endswith; sid:2;)
            alert http any any -> any any (msg:"not a line"; flow:to_server; http.request_header; \
            content:"www.mozilla.org|0d 0a|"; sid:3;)
            """);
        assertEquals(Map.of(1L, 5, 2L, 2), alerts, "sid 3: a line has no line end");
    }

    private Map<Long, Integer> alerts(final String rules) throws Exception
    {
        final Path file = dir.resolve("lines.rules");
        Files.writeString(file, rules);
        final Path eve = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(file), Map.of(), Map.of(), IpsMode.IDS, false,
            eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, DATA.resolve("pcap/web-http/zeek-http-pipelined-requests.pcap"), sink);
        }
        final Map<Long, Integer> counts = new TreeMap<>();
        for (final String line : Files.readAllLines(eve))
        {
            final JsonNode node = JSON.readTree(line);
            if ("alert".equals(node.path("event_type").asText()))
            {
                counts.merge(node.at("/alert/signature_id").asLong(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
