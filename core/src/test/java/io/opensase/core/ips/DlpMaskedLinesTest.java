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
 * With DLP profiles, no EVE line of the IPS stage carries a matched value in clear: alert lines' payload,
 * payload_printable and packet have the value's digits masked, and the whole file holds the card in no form
 * (digits, dashed, spaced, base64 at each alignment, hex). Without profiles the lines carry the bytes as
 * sent. The capture and every expected value come from scapy and Python's base64
 * (src/test/resources/dlp/masked-alerts.py), with a card of the shared list.
 */
class DlpMaskedLinesTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULES = """
        alert udp any any -> any 9999 (msg:"udp exp"; content:"exp"; sid:1;)
        alert http any any -> any any (msg:"pay uri"; http.uri; content:"/pay"; sid:2;)
        alert tcp any any -> any 7000 (msg:"acct"; flow:to_server; content:"acct"; sid:3;)
        """;

    @TempDir
    static Path dir;

    private static JsonNode expected;
    private static String maskedFile;
    private static String clearFile;

    @BeforeAll
    static void runWithAndWithoutDlp() throws Exception
    {
        final Path capture = dir.resolve("cards.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dlp/masked-alerts.py",
            DATA.resolve("dlp/cards/published-test-card-numbers.csv").toString(), capture.toString())
            .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        final byte[] out = python.getInputStream().readAllBytes();
        assertEquals(0, python.waitFor(), "scapy wrote the capture");
        expected = JSON.readTree(out);
        final Path profiles = dir.resolve("profiles.yaml");
        Files.writeString(profiles, """
            profiles:
              - name: pci
                action: alert
                detectors:
                  - type: payment_card
            """);
        maskedFile = run(capture, profiles, "masked.json");
        clearFile = run(capture, null, "clear.json");
    }

    private static String run(final Path capture, final Path profiles, final String name) throws Exception
    {
        final Path rules = dir.resolve("cards.rules");
        Files.writeString(rules, RULES);
        final Path eveFile = dir.resolve(name);
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, eveFile, null, profiles)); EveFileSink sink = new EveFileSink(eveFile))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        return Files.readString(eveFile);
    }

    private static JsonNode alert(final String file, final int sid) throws Exception
    {
        final List<JsonNode> found = new ArrayList<>();
        for (final String line : file.split("\n"))
        {
            final JsonNode node = JSON.readTree(line);
            if ("alert".equals(node.path("event_type").asText()) && sid == node.at("/alert/signature_id").asInt())
            {
                found.add(node);
            }
        }
        assertEquals(1, found.size(), "alerts of sid " + sid + " in " + file);
        return found.get(0);
    }

    @Test
    void udpAlertHasTheCardMaskedInPayloadPrintableAndPacket() throws Exception
    {
        final JsonNode udp = alert(maskedFile, 1);
        assertEquals(expected.get("payload_masked").asText(), udp.get("payload").asText());
        assertEquals(expected.get("printable_masked").asText(), udp.get("payload_printable").asText());
        // Read with its headers the payload starts "55" + card: masked all the same, as the payload showed it.
        assertEquals(expected.get("packet_masked").asText(), udp.get("packet").asText());
    }

    @Test
    void withoutDlpTheUdpAlertCarriesTheBytesAsSent() throws Exception
    {
        final JsonNode udp = alert(clearFile, 1);
        assertEquals(expected.get("payload_clear").asText(), udp.get("payload").asText());
        assertEquals(expected.get("packet_clear").asText(), udp.get("packet").asText());
        assertTrue(udp.get("payload_printable").asText().startsWith(expected.get("card").asText() + " exp"));
    }

    @Test
    void noFormOfTheCardIsAnywhereInTheFileWithDlp() throws Exception
    {
        // Every flow alerted (sid 2 with its http object; sid 3 on stream bytes) and was masked.
        alert(maskedFile, 2);
        alert(maskedFile, 3);
        final List<JsonNode> needles = new ArrayList<>();
        expected.get("needles").forEach(needles::add);
        expected.get("hex_needles").forEach(needles::add);
        for (final JsonNode needle : needles)
        {
            assertFalse(maskedFile.contains(needle.asText()), needle.asText() + " in " + maskedFile);
        }
    }

    /**
     * The search would have found the card: without DLP, each flow's lines show it in clear, and its base64 at
     * the alignments the payload and packet put it (no EVE field is written in hex).
     */
    @Test
    void theSameSearchFindsTheCardWithoutDlp() throws Exception
    {
        final JsonNode needles = expected.get("needles");
        final JsonNode http = alert(clearFile, 2);
        assertTrue(http.at("/http/url").asText().contains(needles.get(1).asText()));
        final JsonNode stream = alert(clearFile, 3);
        assertTrue(stream.get("payload_printable").asText().contains(needles.get(2).asText()));
        int base64Found = 0;
        for (int i = 0; i < needles.size(); i++)
        {
            final boolean found = clearFile.contains(needles.get(i).asText());
            assertTrue(i >= 3 || found, needles.get(i).asText());
            base64Found += i >= 3 && found ? 1 : 0;
        }
        assertTrue(base64Found >= 1, "the card in base64 at some alignment");
    }
}
