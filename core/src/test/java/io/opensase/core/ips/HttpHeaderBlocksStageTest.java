package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code ips.http_header_blocks}: the HTTP messages in progress at once per worker. The capture
 * (src/test/resources/dlp/heads-in-flight.py) has 17 connections each send the first part of a request head
 * (a card in its URI) one after the other, so that 17 heads are in flight at once, then end them; then a late
 * connection sends a whole request. With 16 blocks the 17th head (client port 45016) finds none: it is handled
 * as a head past the parser's limit and counted apart; the late request, after the blocks came back, is parsed.
 */
class HttpHeaderBlocksStageTest
{
    private static final String HEAD = "ports:\n  - name: in\n    type: pcap\n    rx: in.pcap\n    tx: out.pcap\n"
        + "ips:\n  rules: [r.rules]\n";

    @TempDir
    Path dir;

    @Test
    void theConfigurationSetsTheBlocksAndRefusesABadCountWithItsLine() throws Exception
    {
        Files.writeString(dir.resolve("r.rules"), "");
        final Path file = dir.resolve("engine.yaml");

        assertEquals(1_024, ConfigLoader.parse(file, HEAD).ips().httpHeaderBlocks());
        assertEquals(5_000, ConfigLoader.parse(file, HEAD + "  max_streams: 20000\n").ips().httpHeaderBlocks());
        assertEquals(16, ConfigLoader.parse(file, HEAD + "  max_streams: 16\n").ips().httpHeaderBlocks());
        assertEquals(300, ConfigLoader.parse(file, HEAD + "  http_header_blocks: 300\n").ips().httpHeaderBlocks());
        assertEquals(131_070, ConfigLoader.parse(file, HEAD + "  http_header_blocks: 131070\n").ips()
            .httpHeaderBlocks());
        assertEquals(file + ":8: ips.http_header_blocks: must be 16..131070, got 15",
            assertThrows(ConfigException.class, () -> ConfigLoader.parse(file, HEAD + "  http_header_blocks: 15\n"))
                .getMessage());
        assertEquals(file + ":9: ips.http_header_blocks: must be 16..131070, got 131071",
            assertThrows(ConfigException.class, () -> ConfigLoader.parse(file,
                HEAD + "  max_streams: 100\n  http_header_blocks: 131071\n")).getMessage());
    }

    @Test
    void theHeadPastTheBlocksIsHandledAsOnePastTheLimitAndCounted() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("dlp/heads-in-flight.py", dir.resolve("heads.pcap"), "17");

        final IpsCounters ips = run(capture, IpsMode.IPS, 16, "");
        final List<String> finding = List.of("finding payment_card blocked");
        final Map<Integer, List<String>> expected = new TreeMap<>();
        for (int port = 45000; port < 45016; port++)
        {
            expected.put(port, finding);
        }
        expected.put(45016, List.of("unscanned header_limit blocked"));
        expected.put(46000, finding);
        assertEquals(expected, dlpByPort());
        assertEquals(1, ips.httpNoHeaderBlock());
        assertEquals(0, ips.httpHeadersTooLong());
        assertEquals(1, ips.dlpUnscanned());

        final IpsCounters enough = run(capture, IpsMode.IPS, 17, "");
        expected.put(45016, finding);
        assertEquals(expected, dlpByPort());
        assertEquals(0, enough.httpNoHeaderBlock());
        assertEquals(0, enough.dlpUnscanned());
    }

    /** Without DLP: the 17th request has no {@code http.uri}, the late one has. */
    @Test
    void theHeadPastTheBlocksIsNotParsedAndALaterOneIs() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("dlp/heads-in-flight.py", dir.resolve("heads.pcap"), "17");
        final String rules = "alert http any any -> any any (msg:\"card\"; http.uri; content:\"card=\"; sid:1;)\n";

        final IpsCounters ids = run(capture, IpsMode.IDS, 16, rules);

        final List<Integer> expected = new ArrayList<>();
        for (int port = 45000; port < 45016; port++)
        {
            expected.add(port);
        }
        expected.add(46000);
        assertEquals(expected, alertPorts());
        assertEquals(1, ids.httpNoHeaderBlock());
    }

    /**
     * A flow dropped in the middle of its head gives its block back: with a drop rule on the second segment of
     * 45003's head (its request line took a block), the 17th head finds the block 45003 held.
     */
    @Test
    void aFlowDroppedInTheMiddleOfItsHeadGivesItsBlockBack() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("dlp/heads-in-flight.py", dir.resolve("heads.pcap"), "17");
        final String rules = "drop tcp any 45003 -> any any (msg:\"f3\"; content:\"Host: shop\"; sid:2;)\n"
            + "alert http any any -> any any (msg:\"card\"; http.uri; content:\"card=\"; sid:1;)\n";

        final IpsCounters ips = run(capture, IpsMode.IPS, 16, rules);

        final List<Integer> expected = new ArrayList<>();
        for (int port = 45000; port <= 45016; port++)
        {
            if (45003 != port)
            {
                expected.add(port);
            }
        }
        expected.add(46000);
        assertEquals(expected, alertPorts());
        assertEquals(0, ips.httpNoHeaderBlock());
    }

    /**
     * Found by a tester: a keep-alive response that found every block held was skipped to the next line starting
     * "HTTP/1."; its body ended without a line feed, so the next response, glued to it, was never seen (no
     * {@code http} line, no http rule). Now the first response is framed without its head kept and the second,
     * with a block back, is parsed: the 404 rule fires on it and its {@code http} line pairs it with /two.txt
     * (src/test/resources/dlp/unkept-response.py).
     */
    @Test
    void theResponseAfterOneWithoutABlockIsInspected() throws Exception
    {
        final Path capture = IpsCaptureTesting.scapy("dlp/unkept-response.py", dir.resolve("unkept.pcap"), "16");
        final String rules = "alert http any any -> any any (msg:\"404\"; http.stat_code; content:\"404\"; sid:1;)\n";

        final IpsCounters ids = run(capture, IpsMode.IDS, 16, rules);

        assertEquals(1, ids.httpNoHeaderBlock());
        final List<JsonNode> eve = IpsCaptureTesting.lines(dir.resolve("eve.json"));
        // The alert is on the 404's packet, from the server.
        assertEquals(List.of("80 -> 47000"), eve.stream()
            .filter(e -> "alert".equals(e.path("event_type").asText()) && 1 == e.at("/alert/signature_id").asInt())
            .map(e -> e.path("src_port").asInt() + " -> " + e.path("dest_port").asInt()).toList());
        // The http line of the second transaction (tx_id 1), keyed by the flow's client port.
        assertEquals(List.of("1 /two.txt 404 4"), eve.stream()
            .filter(e -> "http".equals(e.path("event_type").asText()) && 47000 == e.path("src_port").asInt())
            .map(e -> e.path("tx_id").asInt() + " " + e.at("/http/url").asText() + " " + e.at("/http/status").asInt()
                + " " + e.at("/http/length").asInt())
            .toList());
    }

    private IpsCounters run(final Path capture, final IpsMode mode, final int blocks, final String rules)
        throws Exception
    {
        final Path rulesFile = dir.resolve("test.rules");
        Files.writeString(rulesFile, rules);
        Path profiles = null;
        if (rules.isEmpty())
        {
            profiles = dir.resolve("profiles.yaml");
            Files.writeString(profiles, "profiles:\n  - name: pci\n    action: block\n    detectors:\n"
                + "      - type: payment_card\n");
        }
        final Path eve = dir.resolve("eve.json");
        Files.deleteIfExists(eve);
        return IpsCaptureTesting.run(new IpsSettings(List.of(rulesFile), Map.of(), Map.of(), mode, false, eve, null,
            profiles, 64, blocks), capture);
    }

    /** The dlp lines of the last run by client port ({@link IpsCaptureTesting#dlpByPort}). */
    private Map<Integer, List<String>> dlpByPort() throws Exception
    {
        return IpsCaptureTesting.dlpByPort(dir.resolve("eve.json"));
    }

    /** The client ports of the last run's alerts of sid 1, in order. */
    private List<Integer> alertPorts() throws Exception
    {
        return IpsCaptureTesting.lines(dir.resolve("eve.json")).stream()
            .filter(e -> "alert".equals(e.path("event_type").asText()) && 1 == e.at("/alert/signature_id").asInt())
            .map(e -> e.path("src_port").asInt()).toList();
    }
}
