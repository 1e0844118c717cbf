package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three HTTP defects a tester found, end to end through the IPS stage with rules and a DLP profile
 * (src/test/resources/dlp/http-identify-frame-decode.py writes the flows with scapy): D6, a request after empty lines
 * (CRLF, a bare LF) in the same segment was never identified as HTTP, so no HTTP rule ran and DLP never saw it;
 * D7, a folded {@code Transfer-Encoding:} CRLF {@code " chunked"} showed chunked in {@code http.header} while
 * the body was not de-chunked, so {@code http.request_body} rules missed the card split over two chunks (and
 * DLP reported the request unscanned); D8, the bytes after the end of a zlib or raw deflate body were dropped
 * unseen. Each flow's request carries the card 4111111111111111 in its body.
 */
class HttpIdentifyFrameDecodeTest
{
    @TempDir
    static Path dir;

    private static List<JsonNode> lines;

    @BeforeAll
    static void run() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("dlp/http-identify-frame-decode.py",
            dir.resolve("identify-frame-decode.pcap"));
        final Path profiles = dir.resolve("dlp.yaml");
        Files.writeString(profiles, """
            profiles:
              - name: pci
                action: alert
                detectors:
                  - type: payment_card
            """);
        final Path rules = dir.resolve("http.rules");
        Files.writeString(rules, """
            alert http any any -> any any (msg:"card in body"; http.request_body; content:"4111111111111111"; sid:2001;)
            alert http any any -> any any (msg:"chunked"; http.header; content:"Transfer-Encoding|3a 20|chunked"; \
            sid:3001;)
            alert http any any -> any any (msg:"post"; http.method; content:"POST"; sid:4001;)
            """);
        final Path eve = dir.resolve("eve.json");
        IpsCaptureTesting.run(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false, eve, null,
            profiles), capture);
        lines = IpsCaptureTesting.lines(eve);
    }

    private static List<JsonNode> of(final String type, final int clientPort)
    {
        final List<JsonNode> found = new ArrayList<>();
        for (final JsonNode line : lines)
        {
            if (type.equals(line.path("event_type").asText()) && (clientPort == line.path("src_port").asInt()
                || clientPort == line.path("dest_port").asInt()))
            {
                found.add(line);
            }
        }
        return found;
    }

    /**
     * D8: the bytes after the stream are taken as after a gzip member: they fail to inflate, so they are passed
     * through (the body rule sees the card, DLP finds it) and the body is reported left in its coding.
     */
    @ParameterizedTest
    @CsvSource({"42007", "42008"})
    void shouldScanAndReportTheBytesAfterADeflateStream(final int port)
    {
        final TreeSet<Integer> alerted = new TreeSet<>();
        for (final JsonNode alert : of("alert", port))
        {
            alerted.add(alert.at("/alert/signature_id").asInt());
        }
        assertEquals("[2001, 4001]", alerted.toString());
        final List<String> dlp = new ArrayList<>();
        for (final JsonNode line : of("dlp", port))
        {
            dlp.add(line.at("/dlp/detector").asText() + "/" + line.at("/dlp/unscanned").asText());
        }
        assertEquals(List.of("payment_card/", "/content_coding"), dlp);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "42001; 2001,4001",
        "42002; 2001,4001",
        "42003; 2001,3001,4001",
        "42004; 2001,3001,4001",
        "42005; 2001,4001",
        "42006; 2001,4001"})
    void shouldIdentifyFrameAndScanEachRequest(final int port, final String sids)
    {
        final TreeSet<Integer> alerted = new TreeSet<>();
        for (final JsonNode alert : of("alert", port))
        {
            assertEquals("http", alert.path("app_proto").asText(), alert.toString());
            alerted.add(alert.at("/alert/signature_id").asInt());
        }
        assertEquals(sids, String.join(",", alerted.stream().map(String::valueOf).toList()), "sids of " + port);

        final List<JsonNode> http = of("http", port);
        assertEquals(1, http.size(), "http lines of " + port);
        assertEquals("POST", http.get(0).at("/http/http_method").asText());
        assertEquals("/up", http.get(0).at("/http/url").asText());

        final List<JsonNode> dlp = of("dlp", port);
        assertEquals(1, dlp.size(), "dlp lines of " + port + ": " + dlp);
        assertEquals("payment_card", dlp.get(0).at("/dlp/detector").asText());
        assertEquals("", dlp.get(0).at("/dlp/unscanned").asText(), "the body was scanned");
    }
}
