package io.opensase.core.ips;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.report.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defects found by testers in the IPS stage, each with the input that showed it. */
class IpsHardeningTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Writes one client-to-server TCP stream of {@code bytes} bytes of {@code fill} (scapy). */
    private Path oneStream(final String name, final int bytes, final String fill) throws Exception
    {
        final Path capture = dir.resolve(name);
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/ips/one-stream.py",
            capture.toString(), Integer.toString(bytes), "1448", fill).inheritIO().start();
        assertEquals(0, python.waitFor(), "scapy wrote the capture");
        return capture;
    }

    private RunResult runEngine(final Path capture, final String rules, final String extra) throws Exception
    {
        Files.writeString(dir.resolve("test.rules"), rules);
        final Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "ports:\n  - name: in\n    type: pcap\n    rx: " + capture.toAbsolutePath()
            + "\n    tx: " + dir.resolve("out.pcap") + "\n\nips:\n  rules: [test.rules]\n  eve: eve.json\n" + extra);
        final EngineConfig config = ConfigLoader.load(file);
        final RunResult result = new Engine(config).run();
        Files.writeString(dir.resolve("report.json"), RunReport.json(config, result));
        return result;
    }

    private List<String> eve() throws Exception
    {
        return Files.exists(dir.resolve("eve.json")) ? Files.readAllLines(dir.resolve("eve.json")) : List.of();
    }

    /**
     * Found by a tester: {@code (a+)+b} over 60 KB of one stream held a worker about 7.5 s. Now each
     * inspection's pcre is aborted at the step budget, counted in the run report, and the rule does not alert.
     */
    @Test
    void backtrackingPcreOverALongStreamIsAbortedAndCounted() throws Exception
    {
        final Path capture = oneStream("aaa.pcap", 60_000, "a");
        final RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> runEngine(capture,
            "alert tcp any any -> any any (pcre:\"/(a+)+b/\"; sid:1;)\n", ""));
        assertTrue(result.ips().pcreAborted() >= 1, "aborted: " + result.ips().pcreAborted());
        final JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        assertEquals(result.ips().pcreAborted(), report.at("/ips/pcre_aborted").asLong());
        assertEquals(0, report.at("/ips/alerts").asLong());
        assertTrue(eve().stream().noneMatch(l -> l.contains("\"event_type\":\"alert\"")));
    }

    /** The same rule on a stream where it can match quickly still alerts, and nothing is aborted. */
    @Test
    void thatPcreStillAlertsWhereItMatches() throws Exception
    {
        final Path capture = oneStream("ab.pcap", 3000, "aab");
        final RunResult result = runEngine(capture, "alert tcp any any -> any any (pcre:\"/(a+)+b/\"; sid:1;)\n", "");
        assertEquals(0, result.ips().pcreAborted());
        assertEquals(1, eve().stream().filter(l -> l.contains("\"signature_id\":1,")).count());
    }

    /** Runs the cut uploads (scapy, src/test/resources/dlp/cut-uploads.py) past one payment-card profile. */
    private IpsCounters cutUploads(final IpsMode mode, final String profileExtra) throws Exception
    {
        return uploads("cut-uploads.py", mode, profileExtra);
    }

    /**
     * Found by a tester: a request body with a hole was reported to DLP only when a RST ended its flow. The
     * uploads of src/test/resources/dlp/gap-uploads.py (scapy) lose the segment before the card: ended by FIN
     * (43001), idle timeout (43002), RST (43003) or shutdown (43005), each is reported not scanned whole (by
     * the gap; the RST gives the hole up on its packet, so the bytes after it, the card, are scanned too); the
     * upload without a hole (43004) is a finding only. In IDS mode nothing is blocked.
     */
    @Test
    void aBodyCutByAHoleIsReportedHoweverItsFlowEnds() throws Exception
    {
        final IpsCounters counters = uploads("gap-uploads.py", IpsMode.IDS, "");
        final List<String> gap = List.of("unscanned gap allowed");
        assertEquals(Map.of(
            43001, gap,
            43002, gap,
            43003, List.of("unscanned gap allowed", "finding payment_card allowed"),
            43004, List.of("finding payment_card allowed"),
            43005, gap), dlpByPort());
        assertEquals(4, counters.dlpUnscanned());
        assertEquals(0, counters.drops());
    }

    /**
     * Found by a tester: a request whose start line and headers pass the HTTP parser's 16 KiB was not parsed, so
     * DLP never scanned its URI and headers and a block profile let it through. It is now counted and, like a body
     * DLP cannot scan whole, reported {@code unscanned: "header_limit"} (no {@code http} object: nothing was
     * parsed) and, by default for a block profile in IPS mode, blocked (src/test/resources/dlp/long-head-uploads.py:
     * 44001 sends a card in the URI of a request with 20,072 bytes of start line and headers, then a short one;
     * 44002 the short one alone). Before, 44001 was blocked only at its second request, the first one passed.
     */
    @Test
    void aRequestWithHeadersPastTheLimitFailsClosed() throws Exception
    {
        final IpsCounters ips = uploads("long-head-uploads.py", IpsMode.IPS, "");
        assertEquals(Map.of(
            44001, List.of("unscanned header_limit blocked"),
            44002, List.of("finding payment_card blocked")), dlpByPort());
        assertEquals(1, ips.httpHeadersTooLong());
        assertEquals(1, ips.dlpUnscanned());
        assertEquals(2, ips.drops(), "the packet that crossed the limit, and the one completing the finding");

        Files.delete(dir.resolve("eve.json"));
        final IpsCounters ids = uploads("long-head-uploads.py", IpsMode.IDS, "");
        assertEquals(Map.of(
            44001, List.of("unscanned header_limit allowed", "finding payment_card allowed"),
            44002, List.of("finding payment_card allowed")), dlpByPort());
        assertEquals(1, ids.httpHeadersTooLong());
        assertEquals(0, ids.drops());
        for (final String line : eve())
        {
            final JsonNode event = JSON.readTree(line);
            if (event.at("/dlp/unscanned").isTextual())
            {
                assertTrue(event.path("http").isMissingNode(), line);
            }
        }
        assertTrue(eve().stream().noneMatch(l -> l.contains("4111111111111111")), "no line holds the card in clear");
    }

    private IpsCounters uploads(final String script, final IpsMode mode, final String profileExtra) throws Exception
    {
        final Path capture = dir.resolve("cut.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dlp/" + script,
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor(), "scapy wrote the uploads");
        final Path profiles = dir.resolve("profiles.yaml");
        Files.writeString(profiles, """
            profiles:
              - name: pci
                action: block
            """ + profileExtra + """
                detectors:
                  - type: payment_card
            """);
        final Path rules = dir.resolve("none.rules");
        Files.writeString(rules, "");
        final Path eveFile = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), mode, false,
            eveFile, null, profiles)); EveFileSink sink = new EveFileSink(eveFile))
        {
            return IpsCaptureRun.run(policy, capture, sink);
        }
    }

    /** The dlp lines of the last run by client port ({@link IpsCaptureTesting#dlpByPort}). */
    private Map<Integer, List<String>> dlpByPort() throws Exception
    {
        return IpsCaptureTesting.dlpByPort(dir.resolve("eve.json"));
    }

    /**
     * Found by a tester: a block profile let an upload padded past the HTTP parser's 1 MiB body limit through.
     * A body cut at the body limit (41001) or at a decompression cap (41002) is now reported, counted and, by
     * default for a block profile, blocked; the card alone (41003) is a finding as before; 41004 is clean.
     */
    @Test
    void bodiesDlpCannotScanWholeFailClosedForABlockProfile() throws Exception
    {
        final IpsCounters counters = cutUploads(IpsMode.IPS, "");
        assertEquals(Map.of(
            41001, List.of("unscanned body_limit blocked"),
            41002, List.of("unscanned decompression_limit blocked"),
            41003, List.of("finding payment_card blocked")), dlpByPort());
        assertEquals(2, counters.dlpUnscanned());
        assertEquals(3, counters.drops(), "the packet that crossed each cut, and the one completing the finding");
        assertTrue(counters.flowDrops() > 0, "the rest of those flows");
        assertTrue(eve().stream().noneMatch(l -> l.contains("4111 1111") || l.contains("4111111111111111")),
            "no line holds the card in clear");
    }

    @Test
    void aProfileMayLetBodiesItCannotScanWholeThrough() throws Exception
    {
        final IpsCounters counters = cutUploads(IpsMode.IPS, "    unscanned_body: alert\n");
        assertEquals(Map.of(
            41001, List.of("unscanned body_limit allowed"),
            41002, List.of("unscanned decompression_limit allowed"),
            41003, List.of("finding payment_card blocked")), dlpByPort());
        assertEquals(2, counters.dlpUnscanned());
        assertEquals(1, counters.drops(), "only the packet completing the finding; the rest of its flow follows");
    }

    /**
     * Found by a tester: URIs and request headers were not scanned by DLP, and {@code http.url} was logged as
     * sent. A card in the query (plain or URL-encoded), in a header, the User-Agent or the Cookie is now a
     * finding, and no EVE line holds it in clear: the echoed url and User-Agent are masked.
     */
    @Test
    void uriAndHeadersAreScannedAndTheirValuesMaskedInLogs() throws Exception
    {
        final Path capture = dir.resolve("head.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dlp/head-uploads.py",
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor(), "scapy wrote the requests");
        final Path profiles = dir.resolve("profiles.yaml");
        Files.writeString(profiles, "profiles:\n  - name: pci\n    detectors:\n      - type: payment_card\n");
        final Path rules = dir.resolve("none.rules");
        Files.writeString(rules, "");
        final Path eveFile = dir.resolve("eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false,
            eveFile, null, profiles)); EveFileSink sink = new EveFileSink(eveFile))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        final List<String> finding = List.of("finding payment_card allowed");
        assertEquals(Map.of(42001, finding, 42002, finding, 42003, finding, 42004, finding, 42005, finding),
            dlpByPort());
        for (final String line : eve())
        {
            for (final String clear : List.of("4111111111111111", "4111 1111", "4111%201111", "4111-1111"))
            {
                assertFalse(line.contains(clear), line);
            }
        }
        final Map<Integer, JsonNode> http = new TreeMap<>();
        for (final String line : eve())
        {
            final JsonNode event = JSON.readTree(line);
            if ("http".equals(event.path("event_type").asText()))
            {
                http.put(event.path("src_port").asInt(), event.path("http"));
            }
        }
        assertEquals(6, http.size(), "one http line per request: " + http.keySet());
        assertEquals("/***?****=****************", http.get(42001).path("url").asText());
        assertEquals("/***?****=****%******%******%******", http.get(42002).path("url").asText());
        assertEquals("/x", http.get(42003).path("url").asText());
        assertEquals("***** **** **** **** ****", http.get(42004).path("http_user_agent").asText());
        assertEquals("/clean?page=2", http.get(42006).path("url").asText(), "nothing found: logged as sent");
        assertEquals("curl/8.5", http.get(42006).path("http_user_agent").asText());
    }

    /**
     * Found by a tester: past 4,096 flows at once per worker no new flow got application inspection, and
     * nothing counted it. 4,099 open flows and then an HTTP request: the request's flow gets no stream, its
     * rule does not alert, and the four flows past 4,096 are counted in the report; with 4,096 flows in all
     * the request is inspected and nothing is counted.
     */
    @Test
    void flowsPastTheWorkersStreamsAreCounted() throws Exception
    {
        final String rule = "alert http any any -> any any (http.host; content:\"last.example\"; sid:5;)\n";
        final RunResult over = runEngine(manyFlows(4100), rule, "");
        final JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
        assertEquals(4, report.at("/ips/app_flows_uninspected").asLong());
        assertEquals(0, over.ips().alerts());

        Files.deleteIfExists(dir.resolve("eve.json"));
        final RunResult within = runEngine(manyFlows(4096), rule, "");
        assertEquals(0, within.ips().appFlowsUninspected());
        assertEquals(1, within.ips().alerts());
    }

    private Path manyFlows(final int count) throws Exception
    {
        final Path capture = dir.resolve("many-" + count + ".pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/ips/many-flows.py",
            capture.toString(), Integer.toString(count)).inheritIO().start();
        assertEquals(0, python.waitFor(), "scapy wrote the flows");
        return capture;
    }

    /**
     * Found by a tester: a bad {@code address_vars} value skipped every rule using it, each blamed on its own
     * line. Now the configuration is refused with the variable's file, line, field and why.
     */
    @Test
    void badVariablesRefuseTheConfigurationWithTheirLine() throws Exception
    {
        Files.writeString(dir.resolve("r.rules"), "");
        final Path file = dir.resolve("engine.yaml");
        final String head = "ports:\n  - name: in\n    type: pcap\n    rx: in.pcap\n    tx: out.pcap\n"
            + "ips:\n  rules: [r.rules]\n";
        assertEquals(file + ":10: ips.address_vars.HOME_NET: not an address list: '10.0.0.300' is not an IPv4 address",
            refused(file, head + "  address_vars:\n    EXTERNAL_NET: \"!$HOME_NET\"\n    HOME_NET: \"[10.0.0.300/8]\"\n"));
        assertEquals(file + ":9: ips.address_vars.HOME_NET: not an address list: no address group $INTRANET is defined",
            refused(file, head + "  address_vars:\n    HOME_NET: \"[$INTRANET, 10.0.0.0/8]\"\n"));
        assertEquals(file + ":9: ips.address_vars.A: not an address list: variable $A refers to itself through $B, $A",
            refused(file, head + "  address_vars:\n    A: $B\n    B: $A\n"));
        assertEquals(file + ":9: ips.port_vars.HTTP_PORTS: not a port list: 99999 is above 65535",
            refused(file, head + "  port_vars:\n    HTTP_PORTS: \"[80,99999]\"\n"));
        final EngineConfig good = ConfigLoader.parse(file, head
            + "  address_vars:\n    HOME_NET: \"[10.0.0.0/8]\"\n    EXTERNAL_NET: \"!$HOME_NET\"\n"
            + "  port_vars:\n    HTTP_PORTS: \"[80,8080:8090]\"\n");
        assertEquals("!$HOME_NET", good.ips().addressVars().get("EXTERNAL_NET"));
    }

    private static String refused(final Path file, final String yaml)
    {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(file, yaml)).getMessage();
    }

    /**
     * Found by a tester: a literal too long for Hyperscan, or more than 1,024 flowbit names, refused the whole
     * rule set. Now the 8,000-byte literal's rule loads, and only the six rules setting names past the 1,024th
     * are skipped, named in the load report by file and line.
     */
    @Test
    void matcherLimitsSkipOnlyTheirRulesInTheLoadReport() throws Exception
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1_030; i++)
        {
            text.append("alert tcp any any -> any any (content:\"set").append(i).append("\"; flowbits:set,name")
                .append(i).append("; flowbits:noalert; sid:").append(100 + i).append(";)\n");
        }
        text.append("alert tcp any any -> any any (content:\"").append("A".repeat(8_000)).append("\"; sid:1;)\n");
        final Path rules = dir.resolve("limits.rules");
        Files.writeString(rules, text);
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false,
            null, null, null)))
        {
            final String report = policy.loadReport();
            assertTrue(report.startsWith("loaded 1025 of 1031 rules (99.4%), skipped 6"), report);
            assertTrue(report.contains("     6  beyond a matcher limit: flowbits  (first: limits.rules:1025: flowbit "
                + "name 'name1024' is past the 1024 distinct names a rule set may use)"), report);
            assertTrue(report.contains("1025 of 1031 loaded rules enforced"), report);
        }
    }

    /**
     * Found by a tester: EVE dns lines gave most rrtypes as numbers, and answers were not logged. Queries of 17
     * types (scapy, src/test/resources/dns/rrtypes.py): each line's rrtype is the name tshark gives the type (its
     * number when tshark knows none); the answer to www.example.org carries Suricata's version 2 answer fields
     * and its three records as tshark decodes them (AAAA written out in full, as Suricata does).
     */
    @Test
    void dnsLinesNameTheirTypesAndLogAnswers() throws Exception
    {
        final Path capture = dir.resolve("dns.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/dns/rrtypes.py",
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor(), "scapy wrote the capture");
        final Map<Integer, String> tsharkType = new TreeMap<>();
        final Process tshark = new ProcessBuilder("tshark", "-n", "-r", capture.toString(), "-Y",
            "dns.flags.response == 0", "-T", "fields", "-e", "udp.srcport", "-e", "_ws.col.Info")
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        for (final String line : new String(tshark.getInputStream().readAllBytes()).split("\n"))
        {
            // "20001\tStandard query 0x0065 SOA t6.example.org" or "... Unknown (65280) t65280.example.org"
            final String[] words = line.split("\t")[1].split(" ");
            final String name = "Unknown".equals(words[3]) ? words[4].replaceAll("[()]", "") : words[3];
            tsharkType.put(Integer.parseInt(line.split("\t")[0]), name);
        }
        assertEquals(0, tshark.waitFor());
        assertEquals(18, tsharkType.size());

        final Path eveFile = dir.resolve("eve.json");
        final Path rules = dir.resolve("none.rules");
        Files.writeString(rules, "");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS, false,
            eveFile, null, null)); EveFileSink sink = new EveFileSink(eveFile))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        final Map<Integer, String> logged = new TreeMap<>();
        JsonNode answer = null;
        for (final String line : eve())
        {
            final JsonNode event = JSON.readTree(line);
            if (!"dns".equals(event.path("event_type").asText()))
            {
                continue;
            }
            final JsonNode dns = event.path("dns");
            if ("query".equals(dns.path("type").asText()))
            {
                logged.put(event.path("src_port").asInt(), dns.path("rrtype").asText());
            }
            else if (7 == dns.path("id").asInt())
            {
                answer = dns;
            }
        }
        assertEquals(tsharkType, logged);
        assertEquals(JSON.readTree("""
            {"version":2,"type":"answer","id":7,"flags":"8580","qr":true,"aa":true,"rd":true,"ra":true,
             "opcode":0,"rrname":"www.example.org","rrtype":"A","rcode":"NOERROR","answers":[
             {"rrname":"www.example.org","rrtype":"CNAME","ttl":3600,"rdata":"web.example.org"},
             {"rrname":"web.example.org","rrtype":"A","ttl":300,"rdata":"192.0.2.80"},
             {"rrname":"web.example.org","rrtype":"AAAA","ttl":300,"rdata":"2001:0db8:0000:0000:0000:0000:0000:0080"}]}
            """), answer);
    }
}
