package io.opensase.core.ips;

import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.Engine;
import io.opensase.core.engine.RunResult;
import io.opensase.core.packet.DropReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IPS stage inside the engine, configured by an {@code ips:} section. The capture is suricata-verify's
 * alert-testmyids-midstream: five packets of one TCP flow (tshark: frame 1 is the server's 259-byte answer
 * holding "uid=0(root)", frames 2..5 the ACKs and FINs that follow).
 */
class IpsEngineTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));
    private static final Path CAPTURE = DATA.resolve("ids-verify/alert-testmyids-midstream/input.pcap");

    @TempDir
    Path dir;

    @Test
    void idsModeAlertsAndForwardsEverything() throws Exception
    {
        final RunResult result = run("ids", "drop");
        assertEquals(0, result.counters().drops(DropReason.IPS_DROP));
        final List<String> eve = Files.readAllLines(dir.resolve("eve.json"));
        assertEquals(1, eve.size());
        assertTrue(eve.get(0).contains("\"signature_id\":2100498"), eve.get(0));
        assertTrue(eve.get(0).contains("\"action\":\"allowed\""), eve.get(0));
        assertTrue(eve.get(0).contains("\"src_ip\":\"82.165.177.154\",\"src_port\":80"), eve.get(0));
    }

    @Test
    void ipsModeDropsTheMatchingPacketAndTheRestOfItsFlow() throws Exception
    {
        final RunResult result = run("ips", "drop");
        assertEquals(5, result.counters().drops(DropReason.IPS_DROP));
        final List<String> eve = Files.readAllLines(dir.resolve("eve.json"));
        assertEquals(1, eve.size());
        assertTrue(eve.get(0).contains("\"action\":\"blocked\""), eve.get(0));
    }

    @Test
    void alertRulesNeverDropInIpsMode() throws Exception
    {
        final RunResult result = run("ips", "alert");
        assertEquals(0, result.counters().drops(DropReason.IPS_DROP));
    }

    /**
     * The shipped example, configs/ips-detect.yaml, on the bundled capture: alerts per rule equal what tshark
     * counts with the same conditions (an HTTP request to host intranet.example, a DNS query for pop.example,
     * an ICMP echo request).
     */
    @Test
    void shippedExampleAlertsAsTsharkCounts() throws Exception
    {
        final EngineConfig config = ConfigLoader.load(Path.of("../configs/ips-detect.yaml")).withIps(
            ConfigLoader.load(Path.of("../configs/ips-detect.yaml")).ips().withEve(dir.resolve("eve.json")));
        new Engine(config).run();
        final List<String> eve = Files.readAllLines(dir.resolve("eve.json"));
        final Path capture = Path.of("../samples/pop-demo.pcap");
        assertEquals(tsharkCount(capture, "http.request && http.host == \"intranet.example\""),
            alerts(eve, 1000001));
        assertEquals(tsharkCount(capture, "dns.flags.response == 0 && dns.qry.name == \"pop.example\""),
            alerts(eve, 1000002));
        assertEquals(tsharkCount(capture, "icmp.type == 8"), alerts(eve, 1000003));
        assertTrue(alerts(eve, 1000001) > 0, "the example's HTTP rule alerts on the bundled capture");
    }

    private static long alerts(final List<String> eve, final long sid)
    {
        return eve.stream().filter(l -> l.contains("\"event_type\":\"alert\"")
            && l.contains("\"signature_id\":" + sid + ",")).count();
    }

    private static long tsharkCount(final Path capture, final String filter) throws Exception
    {
        final Process p = new ProcessBuilder("tshark", "-n", "-r", capture.toString(), "-Y", filter)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final long lines = new String(p.getInputStream().readAllBytes()).lines().count();
        assertEquals(0, p.waitFor());
        return lines;
    }

    /**
     * A response body that ends when the server closes the connection (HTTP/1.0, no Content-Length) is
     * inspected when the FIN comes: the file.data rule on its last bytes alerts once. Capture by scapy
     * (src/test/resources/http/close-delimited.py).
     */
    @Test
    void bodyEndedByTheConnectionIsInspected() throws Exception
    {
        final Path capture = dir.resolve("close.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/http/close-delimited.py",
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor());
        final Path rules = dir.resolve("close.rules");
        Files.writeString(rules, "alert http any any -> any any (file.data; content:\"CLOSE-MARKER\"; sid:7;)\n");
        final Path eve = dir.resolve("close-eve.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), java.util.Map.of(), java.util.Map.of(),
            IpsMode.IDS, false, eve, null, null)); EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        assertEquals(1, alerts(Files.readAllLines(eve), 7));
    }

    /**
     * Dataset sets outlive a reload when the policies share a registry, as the engine's do: the first policy's
     * DNS rule puts the queried names in a set, the second policy's HTTP rule finds the request's host there.
     * Capture: suricata-verify's datasets-04-http-dns (tshark: one DNS query and one HTTP request for the same
     * name; the request's flow has no handshake in the capture, so it is taken up midstream).
     */
    @Test
    void datasetSetsSurviveAReloadWithTheEngineRegistry() throws Exception
    {
        final Path capture = DATA.resolve("ids-verify/datasets-04-http-dns/input.pcap");
        final Path setter = dir.resolve("set.rules");
        Files.writeString(setter, "alert dns any any -> any any (dns.query; dataset:set,seen, type string; sid:1;)\n");
        final Path tester = dir.resolve("isset.rules");
        Files.writeString(tester,
            "alert http any any -> any any (http.host; dataset:isset,seen, type string; sid:2;)\n");
        try (io.opensase.ips.dataset.Datasets shared = new io.opensase.ips.dataset.Datasets(null))
        {
            assertEquals(1, alertsOf(IpsPolicy.load(settings(setter, "set.json"), shared), capture, "set.json", 1));
            assertEquals(1, alertsOf(IpsPolicy.load(settings(tester, "isset.json"), shared), capture, "isset.json", 2));
        }
        assertEquals(0, alertsOf(IpsPolicy.load(settings(tester, "alone.json")), capture, "alone.json", 2),
            "a policy with sets of its own starts them empty");
    }

    private IpsSettings settings(final Path rules, final String eve)
    {
        return new IpsSettings(List.of(rules), java.util.Map.of(), java.util.Map.of(), IpsMode.IDS, true,
            dir.resolve(eve), null, null);
    }

    private long alertsOf(final IpsPolicy policy, final Path capture, final String eve, final long sid)
        throws Exception
    {
        try (policy; EveFileSink sink = new EveFileSink(dir.resolve(eve)))
        {
            IpsCaptureRun.run(policy, capture, sink);
        }
        return alerts(Files.readAllLines(dir.resolve(eve)), sid);
    }

    @Test
    void missingRuleFileIsRefusedWithItsLine()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
            dir.resolve("engine.yaml"), ports() + "ips:\n  rules: [absent.rules]\n"));
        assertTrue(ex.getMessage().contains("engine.yaml:8: ips.rules[0]") && ex.getMessage().contains("absent.rules"), ex.getMessage());
    }

    /** Found by a tester: an EVE file naming the input capture was appended to, destroying the capture. */
    @Test
    void eveFileNamingAnInputIsRefused() throws Exception
    {
        Files.writeString(dir.resolve("r.rules"), "");
        final Path engine = dir.resolve("engine.yaml");
        Files.writeString(engine, ports() + "ips:\n  rules: [r.rules]\n  eve: " + CAPTURE.toAbsolutePath() + "\n");
        final EngineConfig config = ConfigLoader.load(engine);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> io.opensase.core.config.RunFiles.check(config));
        assertTrue(ex.getMessage().contains("the IPS EVE file is the input capture"), ex.getMessage());
        final long size = Files.size(CAPTURE);
        assertEquals(2, io.opensase.core.cli.MainAccess.execute("ips", "--rules", dir.resolve("r.rules").toString(),
            "--pcap", CAPTURE.toString(), "--eve", CAPTURE.toString()));
        assertEquals(size, Files.size(CAPTURE), "the capture is untouched");
    }

    /**
     * Found by a tester: mDNS answers sent to a multicast group (no query in their flow) were logged with the
     * group as their source. DNS lines now carry each message's own direction: no source is a group address
     * (tshark: zeek-wikipedia.pcap holds mDNS answers to 224.0.0.251 and ff02::fb).
     */
    @Test
    void dnsLinesCarryTheMessagesOwnDirection() throws Exception
    {
        final Path eve = dir.resolve("dns.json");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(Path.of("../configs/rules/local.rules")),
            java.util.Map.of(), java.util.Map.of(), IpsMode.IDS, false, eve, null, null));
            EveFileSink sink = new EveFileSink(eve))
        {
            IpsCaptureRun.run(policy, DATA.resolve("pcap/mixed/zeek-wikipedia.pcap"), sink);
        }
        final List<String> dns = Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"dns\""))
            .toList();
        assertTrue(dns.stream().anyMatch(l -> l.contains("\"type\":\"answer\"")), "answers are logged");
        assertTrue(dns.stream().noneMatch(l -> l.contains("\"src_ip\":\"224.0.0.251\"")
            || l.contains("\"src_ip\":\"ff02::fb\"")), String.join("\n", dns));
    }

    /** Found by a tester: a FIFO as a rule file hung the load. */
    @Test
    void ruleFileThatIsNotARegularFileIsRefused() throws Exception
    {
        final Path fifo = dir.resolve("fifo.rules");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        final java.io.IOException ex = assertThrows(java.io.IOException.class, () -> IpsPolicy.load(
            new IpsSettings(List.of(fifo), java.util.Map.of(), java.util.Map.of(), IpsMode.IDS, false, null, null,
                null)));
        assertTrue(ex.getMessage().contains("not a regular file"), ex.getMessage());
    }

    @Test
    void unknownModeIsRefused() throws Exception
    {
        Files.writeString(dir.resolve("r.rules"), "");
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
            dir.resolve("engine.yaml"), ports() + "ips:\n  mode: prevent\n  rules: [r.rules]\n"));
        assertTrue(ex.getMessage().contains("expected ids or ips"), ex.getMessage());
    }

    private RunResult run(final String mode, final String action) throws Exception
    {
        Files.writeString(dir.resolve("test.rules"), action + " tcp any any -> any any (msg:\"GPL ATTACK_RESPONSE id"
            + " check returned root\"; content:\"uid=0|28|root|29|\"; sid:2100498; rev:7;)\n");
        final Path file = dir.resolve("engine.yaml");
        Files.writeString(file, ports() + "ips:\n  mode: " + mode + "\n  rules: [test.rules]\n  eve: eve.json\n");
        final EngineConfig config = ConfigLoader.load(file);
        return new Engine(config).run();
    }

    private String ports()
    {
        return "ports:\n  - name: in\n    type: pcap\n    rx: " + CAPTURE.toAbsolutePath() + "\n    tx: "
            + dir.resolve("out.pcap") + "\n\n";
    }
}
