package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An HTTP line's {@code length} is the response body as sent (libhtp's message length, which Suricata logs),
 * while fileinfo's {@code size} is the body as decoded. zeek-http-pipelined-requests.pcap has two gzip
 * responses; tshark reports their bodies as "Content-encoded entity body (gzip): 946 bytes -> 2675 bytes" and
 * "6716 bytes -> 21421 bytes", and a PNG sent as is with Content-Length 2349. Before, the line said the decoded
 * size.
 */
class HttpLengthTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void lengthIsTheBodyAsSentAndSizeTheBodyAsDecoded() throws Exception
    {
        final Path rules = dir.resolve("none.rules");
        Files.writeString(rules, "alert tcp any any -> any any (msg:\"never\"; content:\"opensase-not-there\"; sid:1;)\n");
        final Path eve = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false,
            eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, DATA.resolve("pcap/web-http/zeek-http-pipelined-requests.pcap"), sink);
        }
        final Map<String, Long> length = new HashMap<>();
        final Map<String, Long> size = new HashMap<>();
        for (final String line : Files.readAllLines(eve))
        {
            final JsonNode node = JSON.readTree(line);
            final String url = node.at("/http/url").asText();
            switch (node.path("event_type").asText())
            {
                case "http" -> length.put(url, node.at("/http/length").asLong());
                case "fileinfo" -> size.put(url, node.at("/fileinfo/size").asLong());
                default -> { }
            }
        }
        assertEquals(946L, length.get("/style/enhanced.css"));
        assertEquals(2675L, size.get("/style/enhanced.css"));
        assertEquals(6716L, length.get("/script/urchin.js"));
        assertEquals(21421L, size.get("/script/urchin.js"));
        assertEquals(2349L, length.get("/images/template/screen/key-point-top.png"));
        assertEquals(2349L, size.get("/images/template/screen/key-point-top.png"));
    }
}
