package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP defects a tester found in the IPS stage's DLP and HTTP lines, each with its failing input
 * (src/test/resources/dlp/http-defects.py writes the flows with scapy and prints the expected values): a file
 * name logged in clear when the card in it was percent-encoded, pipelined requests' lines without their
 * request fields, bodies in codings the parser cannot decode let through unreported, a card %u-encoded in the
 * URI unseen. The capture runs once in IDS mode with an alerting profile and once in IPS mode with a blocking
 * one whose {@code unscanned_body} is {@code block}.
 */
class DlpHttpDefectsTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static JsonNode expected;
    private static String idsFile;
    private static List<JsonNode> ids;
    private static List<JsonNode> ips;

    @BeforeAll
    static void runIdsAndIps() throws Exception
    {
        final Path capture = dir.resolve("http-defects.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dlp/http-defects.py",
            capture.toString()).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        final byte[] out = python.getInputStream().readAllBytes();
        assertEquals(0, python.waitFor(), "scapy wrote the capture");
        expected = JSON.readTree(out);
        final Path alerting = dir.resolve("alert.yaml");
        Files.writeString(alerting, """
            profiles:
              - name: pci
                action: alert
                detectors:
                  - type: payment_card
            """);
        final Path blocking = dir.resolve("block.yaml");
        Files.writeString(blocking, """
            profiles:
              - name: pci
                action: block
                unscanned_body: block
                detectors:
                  - type: payment_card
            """);
        idsFile = run(capture, alerting, IpsMode.IDS, "ids.json");
        ids = lines(idsFile);
        ips = lines(run(capture, blocking, IpsMode.IPS, "ips.json"));
    }

    private static String run(final Path capture, final Path profiles, final IpsMode mode, final String name)
        throws Exception
    {
        final Path rules = dir.resolve("none.rules");
        Files.writeString(rules, "alert http any any -> any any (msg:\"req\"; http.method; content:\"Q\"; sid:1;)\n");
        final Path eveFile = dir.resolve(name);
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), mode, false,
            eveFile, null, profiles)); EveFileSink sink = new EveFileSink(eveFile))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        return Files.readString(eveFile);
    }

    private static List<JsonNode> lines(final String file) throws Exception
    {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : file.split("\n"))
        {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static List<JsonNode> of(final List<JsonNode> lines, final String type, final int clientPort)
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

    /** D4: a path segment whose card is percent-encoded was masked in the url but not as the file name. */
    @Test
    void percentEncodedCardInThePathIsMaskedAsTheFileName()
    {
        final List<JsonNode> files = of(ids, "fileinfo", 41001);
        assertEquals(1, files.size());
        assertEquals(expected.get("path_file_name").asText(), files.get(0).at("/fileinfo/filename").asText());
        assertEquals(1, of(ids, "dlp", 41001).size(), "DLP found the card in the decoded URI");
    }

    @Test
    void percentEncodedCardInContentDispositionIsMasked()
    {
        final List<JsonNode> files = of(ids, "fileinfo", 41002);
        assertEquals(1, files.size());
        assertEquals(expected.get("disposition_file_name").asText(), files.get(0).at("/fileinfo/filename").asText());
    }

    @Test
    void theCardIsNowhereInClear()
    {
        final String card = expected.get("card").asText();
        assertFalse(idsFile.contains(card.substring(1)), idsFile);
    }

    /** D9: each pipelined response's line carries its own request's fields. */
    @Test
    void pipelinedResponsesPairWithTheirOwnRequests()
    {
        final List<JsonNode> http = of(ids, "http", 41003);
        assertEquals(2, http.size());
        for (int i = 0; i < 2; i++)
        {
            final JsonNode want = expected.get("pipelined").get(i);
            final JsonNode got = http.get(i).get("http");
            want.fieldNames().forEachRemaining(field -> assertEquals(want.get(field), got.get(field), field));
            assertEquals(i, http.get(i).get("tx_id").asInt());
        }
    }

    /** D6: br, zstd and corrupt gzip bodies are reported unscanned, and a blocking profile drops them. */
    @Test
    void undecodableBodiesAreReportedAndBlocked()
    {
        for (final JsonNode port : expected.get("undecodable_ports"))
        {
            final List<JsonNode> dlp = of(ips, "dlp", port.asInt());
            assertEquals(1, dlp.size(), "port " + port);
            assertEquals("content_coding", dlp.get(0).at("/dlp/unscanned").asText());
            assertEquals("blocked", dlp.get(0).at("/dlp/action").asText());
            assertTrue(of(ips, "http", port.asInt()).isEmpty(), "no response got through on " + port);
            assertEquals("content_coding", of(ids, "dlp", port.asInt()).get(0).at("/dlp/unscanned").asText());
            assertEquals("allowed", of(ids, "dlp", port.asInt()).get(0).at("/dlp/action").asText());
        }
    }

    /** An identity coding is the body as it stands: scanned, the card found and blocked, nothing unscanned. */
    @Test
    void identityBodyIsScanned()
    {
        final List<JsonNode> dlp = of(ips, "dlp", 41007);
        assertEquals(1, dlp.size());
        assertEquals("payment_card", dlp.get(0).at("/dlp/detector").asText());
        assertEquals("blocked", dlp.get(0).at("/dlp/action").asText());
    }

    /** D5: the URI is decoded for DLP as the normalised URI decodes it, %uXXXX included. */
    @Test
    void percentUEncodedCardInTheUriIsFoundAndBlocked()
    {
        final List<JsonNode> dlp = of(ips, "dlp", 41008);
        assertEquals(1, dlp.size());
        assertEquals("payment_card", dlp.get(0).at("/dlp/detector").asText());
        assertEquals("blocked", dlp.get(0).at("/dlp/action").asText());
        assertTrue(of(ips, "http", 41008).isEmpty());
    }

    /**
     * A request by a method no list names is HTTP: its flow was left unidentified, and the card in its body was
     * neither reported nor blocked.
     */
    @Test
    void uploadByAnUnlistedMethodIsScannedAndBlocked()
    {
        final List<JsonNode> alerted = of(ids, "dlp", 41009);
        assertEquals(1, alerted.size(), idsFile);
        assertEquals("FOO", alerted.get(0).at("/http/http_method").asText());
        assertEquals("allowed", alerted.get(0).at("/dlp/action").asText());
        final List<JsonNode> blocked = of(ips, "dlp", 41009);
        assertEquals(1, blocked.size());
        assertEquals("payment_card", blocked.get(0).at("/dlp/detector").asText());
        assertEquals("blocked", blocked.get(0).at("/dlp/action").asText());
    }

    /**
     * A line that is no request line, sent after a complete request: the parser passed it over up to the next
     * request, so the card in it was neither scanned nor reported; now it is reported unscanned, and blocked by
     * a profile whose unscanned_body is block. No well-formed flow of the capture is reported so.
     */
    @Test
    void bytesPassedOverAfterALineThatIsNoRequestLineAreReportedAndBlocked()
    {
        final List<JsonNode> alerted = of(ids, "dlp", 41010);
        assertEquals(1, alerted.size(), idsFile);
        assertEquals("unparsed", alerted.get(0).at("/dlp/unscanned").asText());
        assertEquals("allowed", alerted.get(0).at("/dlp/action").asText());
        assertTrue(alerted.get(0).path("http").isMissingNode());
        final List<JsonNode> blocked = of(ips, "dlp", 41010);
        assertEquals(1, blocked.size());
        assertEquals("blocked", blocked.get(0).at("/dlp/action").asText());
        for (final JsonNode line : ids)
        {
            if ("unparsed".equals(line.at("/dlp/unscanned").asText()))
            {
                assertEquals(41010, line.path("src_port").asInt(), line.toString());
            }
        }
    }

    /**
     * A Content-Length that is no number left the request without a body here, while a server may read what
     * follows its headers as one: the card after them was neither scanned nor reported. Now the request is
     * reported unscanned, content_length, and blocked by a profile whose unscanned_body is block.
     */
    @Test
    void aRequestWhoseContentLengthIsNoNumberIsReportedAndBlocked()
    {
        final List<JsonNode> alerted = of(ids, "dlp", 41011);
        assertEquals(1, alerted.size(), idsFile);
        assertEquals("content_length", alerted.get(0).at("/dlp/unscanned").asText());
        assertEquals("POST", alerted.get(0).at("/http/http_method").asText());
        final List<JsonNode> blocked = of(ips, "dlp", 41011);
        assertEquals(1, blocked.size());
        assertEquals("blocked", blocked.get(0).at("/dlp/action").asText());
    }
}
