package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DLP in the IPS stage on HTTP uploads: every value of the shared card-format and IBAN lists goes up in four
 * flows (plain, chunked, gzip'd and chunked, URL-encoded form), each request cut into three TCP segments.
 * The capture is written by scapy (src/test/resources/dlp/make-uploads.py); what must match is the lists'
 * own column, never the engine's opinion. A finding is an EVE {@code dlp} line, and no line carries a
 * matched value in clear.
 */
class DlpInHttpTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static List<String> eve;
    private static List<String[]> index;
    private static IpsCounters counters;

    @BeforeAll
    static void runUploads() throws Exception
    {
        final Path capture = dir.resolve("uploads.pcap");
        final Path indexFile = dir.resolve("uploads.csv");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dlp/make-uploads.py",
            capture.toString(), indexFile.toString(), DATA.resolve("dlp/cards/card-format-variants.csv").toString(),
            DATA.resolve("dlp/iban/iban-registry-examples.csv").toString()).inheritIO().start();
        assertEquals(0, python.waitFor(), "scapy wrote the uploads");
        index = new ArrayList<>();
        for (final String line : Files.readAllLines(indexFile).subList(1, Files.readAllLines(indexFile).size()))
        {
            index.add(line.split(",", 6));
        }
        final Path profiles = dir.resolve("profiles.yaml");
        Files.writeString(profiles, """
            profiles:
              - name: pci
                action: alert
                detectors:
                  - type: payment_card
              - name: banking
                action: alert
                detectors:
                  - type: iban
            """);
        final Path rules = dir.resolve("none.rules");
        Files.writeString(rules, "");
        final Path eveFile = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, eveFile, null, profiles)); EveFileSink sink = new EveFileSink(eveFile))
        {
            counters = IpsCaptureRun.run(policy, capture, sink);
        }
        eve = Files.readAllLines(eveFile);
    }

    @Test
    void everyListedValueIsFoundAndNoOtherInEveryEncoding() throws IOException
    {
        final Map<String, List<String>> detectorsByPort = new HashMap<>();
        for (final String line : eve)
        {
            final JsonNode event = JSON.readTree(line);
            if ("dlp".equals(event.path("event_type").asText()))
            {
                detectorsByPort.computeIfAbsent(event.path("src_port").asText(), p -> new ArrayList<>())
                    .add(event.path("dlp").path("detector").asText());
            }
        }
        final List<String> wrong = new ArrayList<>();
        for (final String[] flow : index)
        {
            final String detector = "cards".equals(flow[1]) ? "payment_card" : "iban";
            final boolean found = detectorsByPort.getOrDefault(flow[0], List.of()).contains(detector);
            if (found != Boolean.parseBoolean(flow[4]))
            {
                wrong.add(flow[1] + " row " + flow[2] + " (" + flow[5] + ") as " + flow[3] + ": expected "
                    + flow[4] + ", found " + found);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + index.size() + " flows wrong:\n"
            + String.join("\n", wrong));
    }

    /**
     * A blocking profile in IPS mode: each flow whose upload carries a valid IBAN is dropped from the packet
     * that completed the finding on (the server sees no FIN from the client), and the line says blocked.
     */
    @Test
    void blockingProfileDropsTheUploadsFlowInIpsMode() throws Exception
    {
        final Path profiles = dir.resolve("block.yaml");
        Files.writeString(profiles, "profiles:\n  - name: banking\n    action: block\n    detectors:\n"
            + "      - type: iban\n");
        final Path eveFile = dir.resolve("eve-block.json");
        final IpsCounters blocked;
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(dir.resolve("none.rules")), Map.of(),
            Map.of(), IpsMode.IPS, false, eveFile, null, profiles)); EveFileSink sink = new EveFileSink(eveFile))
        {
            blocked = IpsCaptureRun.run(policy, dir.resolve("uploads.pcap"), sink);
        }
        final long validIbanFlows = index.stream().filter(f -> "iban".equals(f[1]) && "true".equals(f[4])).count();
        final long blockedLines = Files.readAllLines(eveFile).stream()
            .filter(l -> l.contains("\"event_type\":\"dlp\"") && l.contains("\"action\":\"blocked\"")).count();
        assertEquals(validIbanFlows, blockedLines);
        assertEquals(validIbanFlows, blocked.drops(), "one packet per flow completes its finding");
        assertTrue(blocked.flowDrops() >= 3 * validIbanFlows, "the response and both FINs of each flow follow");
    }

    @Test
    void noLineCarriesAMatchedValueInClear()
    {
        for (final String[] flow : index)
        {
            final String digits = flow[5].replaceAll("[^0-9A-Za-z]", "");
            if (!Boolean.parseBoolean(flow[4]) || digits.length() < 12)
            {
                continue;
            }
            for (final String line : eve)
            {
                assertFalse(line.replaceAll("[^0-9A-Za-z]", "").contains(digits),
                    "an EVE line shows " + flow[5] + ": " + line);
            }
        }
        assertTrue(counters.packets() > 0);
    }
}
