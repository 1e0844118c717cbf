package io.opensase.core.ips;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stage splits a header block into {@code http.request_header} / {@code http.response_header} lines only
 * when a rule reads them; when one does, they are there. zeek-http-pipelined-requests.pcap, by tshark: 5
 * requests, each with {@code Host: www.mozilla.org}; 5 responses, 2 of them with {@code Content-Encoding: gzip}.
 */
class HttpHeaderLinesTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));

    @TempDir
    Path dir;

    @Test
    void headerLineRulesMatchEachLine() throws Exception
    {
        final String rules = """
            alert http any any -> any any (msg:"host line"; flow:to_server; http.request_header; \
            content:"Host|3a 20|www.mozilla.org"; startswith; endswith; sid:1;)
            alert http any any -> any any (msg:"gzip line"; flow:to_client; http.response_header; \
            content:"Content-Encoding|3a 20|gzip"; startswith; endswith; sid:2;)
            alert http any any -> any any (msg:"not a line"; flow:to_server; http.request_header; \
            content:"www.mozilla.org|0d 0a|"; sid:3;)
            """;
        final Map<Integer, Integer> alerts = IpsCaptureTesting.alertsBySid(IpsCaptureTesting.events(rules,
            DATA.resolve("pcap/web-http/zeek-http-pipelined-requests.pcap"), dir.resolve("eve.json"), false));
        assertEquals(Map.of(1, 5, 2, 2), alerts, "sid 3: a line has no line end");
    }
}
