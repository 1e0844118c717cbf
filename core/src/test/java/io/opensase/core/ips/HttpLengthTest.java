package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path dir;

    @Test
    void lengthIsTheBodyAsSentAndSizeTheBodyAsDecoded() throws Exception
    {
        final List<JsonNode> lines = IpsCaptureTesting.events(
            "alert tcp any any -> any any (msg:\"never\"; content:\"opensase-not-there\"; sid:1;)\n",
            DATA.resolve("pcap/web-http/zeek-http-pipelined-requests.pcap"), dir.resolve("eve.json"), false);
        final Map<String, Long> length = byUrl(IpsCaptureTesting.ofType(lines, "http"), "/http/length");
        final Map<String, Long> size = byUrl(IpsCaptureTesting.ofType(lines, "fileinfo"), "/fileinfo/size");
        assertEquals(946L, length.get("/style/enhanced.css"));
        assertEquals(2675L, size.get("/style/enhanced.css"));
        assertEquals(6716L, length.get("/script/urchin.js"));
        assertEquals(21421L, size.get("/script/urchin.js"));
        assertEquals(2349L, length.get("/images/template/screen/key-point-top.png"));
        assertEquals(2349L, size.get("/images/template/screen/key-point-top.png"));
    }

    private static Map<String, Long> byUrl(final List<JsonNode> lines, final String field)
    {
        final Map<String, Long> values = new HashMap<>();
        for (final JsonNode line : lines)
        {
            values.put(line.at("/http/url").asText(), line.at(field).asLong());
        }
        return values;
    }
}
