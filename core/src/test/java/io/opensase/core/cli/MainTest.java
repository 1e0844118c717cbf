package io.opensase.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.core.metrics.StatsFileReader;
import io.opensase.core.metrics.StatsSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as an operator meets it: exit status, the one-line errors, and the report file.
 */
class MainTest
{
    private static final Path MIXED = SharedData.resolve("pcap/mixed/tcpreplay-test.pcap");

    @TempDir
    Path temp;

    private String out;
    private String err;

    @Test
    void shouldWriteTheReportWithEveryDocumentedKey() throws IOException
    {
        final Path report = temp.resolve("report.json");
        final int status = run("run", "--pcap-in", MIXED.toString(), "--report", report.toString());

        assertEquals(0, status, err);
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        final Set<String> keys = new TreeSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertTrue(keys.containsAll(List.of("packets_in", "packets_out", "bytes_in", "bytes_out", "drops", "malformed",
            "snap_truncated", "flows", "elapsed_s", "mpps", "protocols")), keys.toString());
        assertEquals(179, json.get("packets_in").asLong());
        assertEquals(179, json.get("packets_out").asLong());
        final Set<String> flowKeys = new TreeSet<>();
        json.get("flows").fieldNames().forEachRemaining(flowKeys::add);
        assertEquals(Set.of("created", "expired", "evicted", "refused", "active"), flowKeys);
        final Set<String> protocols = new TreeSet<>();
        json.get("protocols").fieldNames().forEachRemaining(protocols::add);
        assertEquals(new TreeSet<>(List.of("eth", "vlan", "qinq", "mpls", "arp", "ipv4", "ipv6", "ipv6_ext",
            "fragment", "ipip", "tcp", "udp", "icmp", "icmpv6", "sctp", "gre", "vxlan", "geneve", "teredo")),
            protocols);
        assertTrue(out.startsWith("opensase run: " + MIXED), out);
    }

    @Test
    void shouldNameFileAndOffsetOfACaptureCutShortAndStillReportWhatCameBefore() throws IOException
    {
        final byte[] whole = Files.readAllBytes(MIXED);
        final Path cut = temp.resolve("cut.pcap");
        // The first three records of tcpreplay-test.pcap are 24 + (16 + 60) + (16 + 62) + (16 + 60) bytes long;
        // cutting 10 bytes into the fourth record's header leaves three whole packets.
        final int fourthRecord = recordOffset(whole, 3);
        Files.write(cut, Arrays.copyOf(whole, fourthRecord + 10));
        final Path report = temp.resolve("report.json");

        final int status = run("run", "--pcap-in", cut.toString(), "--report", report.toString());

        assertEquals(1, status);
        assertEquals("opensase: " + cut + ": at byte " + fourthRecord
            + ": packet record header cut short: 10 of 16 bytes\n", err);
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(3, json.get("packets_in").asLong());
        assertEquals(3, json.get("packets_out").asLong());
        assertTrue(json.get("error").asText().contains("at byte " + fourthRecord), json.toString());
    }

    @Test
    void shouldRejectAFileThatIsNotACapture() throws IOException
    {
        final Path text = temp.resolve("notes.txt");
        Files.writeString(text, "these are not packets\n");

        final int status = run("run", "--pcap-in", text.toString());

        assertEquals(1, status);
        assertEquals("opensase: " + text + ": at byte 0: not a capture: magic number 0x73656874 is neither pcap "
            + "nor pcapng\n", err);
    }

    @Test
    void shouldRejectUsageErrorsWithStatusTwo()
    {
        assertEquals(2, run("run"));
        assertTrue(err.startsWith("opensase: run needs --config FILE or --pcap-in FILE\n"), err);
        assertEquals(2, run("run", "--pcap-in", MIXED.toString(), "--workers", "0"));
        assertTrue(err.startsWith("opensase: --workers must be 1..64, got 0\n"), err);
        assertEquals(2, run("run", "--pcap-in"));
        assertTrue(err.startsWith("opensase: --pcap-in needs a value\n"), err);
        assertEquals(2, run("run", "--pcapin", "x"));
        assertTrue(err.startsWith("opensase: unknown option '--pcapin'"), err);
        assertEquals(2, run("fly"));
        assertTrue(err.startsWith("opensase: unknown command 'fly'\n"), err);
        assertEquals(2, run("run", "--pcap-in", MIXED.toString(), "--pcap-out", MIXED.toString()));
        assertTrue(err.startsWith("opensase: " + MIXED + ": the output capture is the input capture"), err);
    }

    @Test
    void shouldRejectBenchIpsUsageErrorsBeforeStartingDpdk()
    {
        assertEquals(2, run("bench", "--mode", "ips"));
        assertTrue(err.startsWith("opensase: --mode ips needs --ips-rules FILE or DIR (for ET Open: "), err);
        assertEquals(2, run("bench", "--mode", "flow", "--ips-rules", MIXED.toString()));
        assertTrue(err.startsWith("opensase: --ips-rules needs --mode ips\n"), err);
        assertEquals(2, run("bench", "--mode", "ips", "--ips-rules", "/nonexistent/local.rules"));
        assertTrue(err.startsWith("opensase: /nonexistent/local.rules: no such rule file or folder\n"), err);
        assertEquals(2, run("bench", "--mode", "ips", "--ips-rules", MIXED.toString(), "--rules", MIXED.toString()));
        assertTrue(err.startsWith("opensase: --mode ips runs no firewall: --rules goes with --mode flow or "
            + "established\n"), err);
    }

    @Test
    void shouldRejectABenchCaptureFolderWithoutEthernetPackets() throws IOException
    {
        final Path folder = Files.createDirectories(temp.resolve("raw"));
        // A pcap of link type 101 (raw IP) holding one 20-byte IPv4 header: hand-built, little-endian.
        final ByteBuffer pcap = ByteBuffer.allocate(24 + 16 + 20).order(ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(101);
        pcap.putInt(0).putInt(0).putInt(20).putInt(20);
        pcap.put(new byte[] {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2});
        Files.write(folder.resolve("raw.pcap"), pcap.array());

        assertEquals(2, run("bench", "--mode", "ips", "--ips-rules", MIXED.toString(), "--capture", folder.toString()));
        assertTrue(err.startsWith("opensase: " + folder + ": no Ethernet packet in its captures\n"), err);
        final Path empty = Files.createDirectories(temp.resolve("empty"));
        assertEquals(2, run("bench", "--mode", "ips", "--ips-rules", MIXED.toString(), "--capture", empty.toString()));
        assertTrue(err.startsWith("opensase: " + empty + " holds no .pcap or .pcapng file\n"), err);
    }

    @Test
    void shouldReportAMissingInputAndABadConfigInOneLine() throws IOException
    {
        assertEquals(2, run("run", "--pcap-in", temp.resolve("absent.pcap").toString()));
        assertEquals("opensase: " + temp.resolve("absent.pcap") + ": no such file (the input capture)\n", err);

        final Path config = temp.resolve("bad.yaml");
        Files.writeString(config, "ports:\n  - name: a\n    type: pcap\n    rx: x.pcap\n    speed: 10G\n");
        assertEquals(2, run("run", "--config", config.toString()));
        assertEquals("opensase: " + config + ":5: ports[0].speed: unknown field; allowed here: name, rx, tx, type\n", err);
    }

    @Test
    void shouldRefuseToWriteOverTheInputThroughALinkOrWithTheReport() throws IOException
    {
        final Path input = temp.resolve("in.pcap");
        Files.copy(MIXED, input);
        final Path link = temp.resolve("link.pcap");
        Files.createSymbolicLink(link, input);
        final byte[] before = Files.readAllBytes(input);

        assertEquals(2, run("run", "--pcap-in", input.toString(), "--pcap-out", link.toString()));
        assertEquals("opensase: " + link + ": the output capture is the input capture (" + input + ") under another "
            + "name; writing it would destroy what is there: give another file\n", err);
        assertEquals(2, run("run", "--pcap-in", input.toString(), "--report", input.toString()));
        assertTrue(err.startsWith("opensase: " + input + ": the report is the input capture"), err);
        assertEquals(2, run("run", "--pcap-in", input.toString(), "--pcap-out", temp.resolve("o.pcap").toString(),
            "--report", temp.resolve("o.pcap").toString()));
        assertTrue(err.startsWith("opensase: " + temp.resolve("o.pcap") + ": the report is the output capture"), err);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(input)), "the input is untouched");
    }

    @Test
    void shouldCheckWhereOutputsGoBeforeTheRunStarts()
    {
        final Path nowhere = temp.resolve("missing").resolve("report.json");

        assertEquals(2, run("run", "--pcap-in", MIXED.toString(), "--report", nowhere.toString()));

        assertEquals("opensase: " + nowhere + ": folder " + nowhere.getParent() + " does not exist (the report)\n",
            err);
        assertEquals("", out, "nothing ran");
        assertEquals(2, run("run", "--pcap-in", temp.toString()));
        assertEquals("opensase: " + temp + ": the input capture is a directory, not a capture file\n", err);
    }

    @Test
    void shouldKeepQueuesAndWorkersInStepWhenTheCommandLineChangesWorkers() throws IOException
    {
        final Path config = temp.resolve("rss.yaml");
        Files.writeString(config, "engine:\n  workers: 2\nports:\n  - {name: a, type: dpdk, devargs: net_null0, queues: 2}\n");

        assertEquals(2, run("run", "--config", config.toString(), "--workers", "3"));

        assertEquals("opensase: port a has 2 queues, each owned by one worker, so it needs 2 workers, not 3\n",
            err.lines().findFirst().orElse("") + "\n");
    }

    @Test
    void shouldSayWhichOutputCouldNotBeWritten()
    {
        assertEquals(2, run("run", "--pcap-in", MIXED.toString(), "--pcap-out", "/dev/full"));

        assertEquals("opensase: cannot write /dev/full: No space left on device\n", err);
    }

    @Test
    void shouldRefuseFlowTablesTheHeapCannotHold() throws IOException
    {
        final Path config = temp.resolve("huge.yaml");
        Files.writeString(config, "ports:\n  - {name: a, type: pcap, rx: " + MIXED + "}\nflows:\n  capacity: 134217726\n");

        assertEquals(2, run("run", "--config", config.toString()));

        // 134,217,726 flows of 128 bytes (16 GiB), an index of 2^28 buckets of 8 bytes (2 GiB) and a free-slot
        // stack of 4-byte slots (0.5 GiB).
        assertTrue(err.startsWith("opensase: flows.capacity 134217726 for 1 worker(s) needs 18.5 GiB of Java heap for "
            + "flow tables, and the heap is "), err);
    }

    /**
     * Found by a tester: HTTP header blocks at their bound (two per stream, 65,535 streams) on more workers than
     * the heap holds ended the engine with an OutOfMemoryError and its stack trace while the IPS stage was built.
     */
    @Test
    void shouldRefuseHttpHeaderBlocksTheHeapCannotHold() throws IOException
    {
        Files.writeString(temp.resolve("local.rules"), "alert udp any any -> any 53 (content:\"x\"; sid:1;)\n");
        final Path config = temp.resolve("blocks.yaml");
        Files.writeString(config, "engine:\n  workers: 64\nports:\n  - {name: a, type: pcap, rx: " + MIXED + "}\n"
            + "ips:\n  rules: [local.rules]\n  max_streams: 65535\n  http_header_blocks: 131070\n");

        assertEquals(2, run("run", "--config", config.toString()));

        // 131,070 blocks of 16 KiB (2.0 GiB) per worker; 64 flow tables of 262,144 slots (2.3 GiB together).
        assertTrue(err.startsWith("opensase: ips.http_header_blocks 131070 for 64 worker(s) needs 128.0 GiB of Java "
            + "heap for HTTP header blocks (130.3 GiB with the flow tables), and the heap is "), err);
    }

    private static int recordOffset(final byte[] pcap, final int record)
    {
        int at = 24;
        for (int r = 0; r < record; r++)
        {
            final int captured = (pcap[at + 8] & 0xFF) | (pcap[at + 9] & 0xFF) << 8 | (pcap[at + 10] & 0xFF) << 16
                | (pcap[at + 11] & 0xFF) << 24;
            at += 16 + captured;
        }
        return at;
    }

    /**
     * The bundled firewall example on the bundled capture, whose packets samples/make-demo-pcap.py lists: the
     * expected counts are worked out from that list and the example's rules (see the comments).
     */
    @Test
    void shouldReportTheFirewallOfTheBundledExample() throws IOException
    {
        final Path report = temp.resolve("report.json");
        final Path config = temp.resolve("firewall-tenants.yaml");
        Files.writeString(config, Files.readString(Path.of("../configs/firewall-tenants.yaml"))
            .replace("rx: ../samples/pop-demo.pcap", "rx: " + Path.of("../samples/pop-demo.pcap").toAbsolutePath())
            .replace("tx: /tmp/opensase-firewall.pcap", "tx: " + temp.resolve("out.pcap")));
        final int status = run("run", "--config", config.toString(), "--report", report.toString());

        assertEquals(0, status, err);
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(52, json.get("packets_in").asLong());
        // 29 allowed, the ARP frame, and 4 resets answering globex's client in its session to a blocked site.
        assertEquals(34, json.get("packets_out").asLong());
        assertEquals(4, json.get("generated").asLong());
        final JsonNode drops = json.get("drops");
        // globex's session: rejected flows keep no state, so each of the client's 4 packets is rejected anew, the
        // server's SYN-ACK opens no connection (invalid) and its 2 later packets fall to globex's default.
        assertEquals(4, drops.get("firewall_reject").asLong(), "globex's client");
        // branch-office's defaults: UDP 4433 over IPv6, SCTP, an ICMP error about no known flow, 3 + 2 fragments;
        // and globex's server.
        assertEquals(10, drops.get("firewall_deny").asLong());
        // MPLS, two IP-in-IP, GRE, VXLAN and GENEVE inner packets: no selector takes them.
        assertEquals(6, drops.get("no_tenant").asLong());
        assertEquals(2, drops.get("firewall_invalid").asLong(), "the IPv4 header of length 16, globex's SYN-ACK");
        final JsonNode firewall = json.get("firewall");
        assertEquals(29, firewall.get("allowed").asLong());
        assertEquals(16, firewall.get("denied").asLong(), "firewall_deny and no_tenant");
        assertEquals(4, firewall.get("rejected").asLong());
        assertEquals(4, firewall.get("answers_sent").asLong());
        assertEquals(1, firewall.get("invalid").get("malformed").asLong());
        assertEquals(1, firewall.get("invalid").get("bad_state").asLong());
        final JsonNode branch = firewall.get("tenants").get(2);
        assertEquals("branch-office", branch.get("name").asText());
        final long[] hits = new long[6];
        for (int r = 0; r < hits.length; r++)
        {
            hits[r] = branch.get("rules").get(r).get("packets").asLong();
        }
        // log-dns sees the DNS flow once; dns its query and answer; web two sessions, an IPv6 SYN and the
        // snap-truncated segment; ping and ping6 an echo and its reply each; nothing tries telnet.
        assertArrayEquals(new long[] {1, 2, 16, 2, 2, 0}, hits);
        assertEquals(8, branch.get("default").get("packets").asLong());
        assertEquals(7, firewall.get("tenants").get(0).get("rules").get(0).get("packets").asLong(), "acme's session");
        assertTrue(out.contains("firewall: allowed 29, denied 16, rejected 4 (answers sent 4), invalid 2"), out);
    }

    @Test
    void shouldPutTheIpsCountersInTheStatsFile() throws IOException
    {
        // The capture's six SYNs, five over IPv4 and one over IPv6, all to port 80 (tshark: tcp.flags.syn==1 &&
        // tcp.flags.ack==0).
        final Path rules = Files.writeString(temp.resolve("syn.rules"),
            "alert tcp any any -> any 80 (msg:\"syn\"; flags:S; sid:1;)\n");
        final Path eve = temp.resolve("eve.json");
        final Path config = Files.writeString(temp.resolve("ips.yaml"), "ports:\n  - name: branch\n    type: pcap\n"
            + "    rx: " + MIXED + "\nips:\n  mode: ids\n  rules: [" + rules + "]\n  eve: " + eve + "\n");
        final Path statsFile = temp.resolve("run.stats");

        assertEquals(0, run("run", "--config", config.toString(), "--stats-file", statsFile.toString()), err);
        // Found by a tester: an empty "opensase: " line followed the load summary; DLP drops count as drops too.
        assertTrue(err.startsWith("opensase: loaded 1 of 1 rules (100.0%), skipped 0\nopensase: ips matcher: "), err);
        assertTrue(out.contains(" packets inspected, 6 alerts, 0 dropped by rules or DLP, "), out);

        try (StatsFileReader reader = StatsFileReader.open(statsFile))
        {
            final StatsSnapshot end = reader.read();
            final List<String> names = end.counters().stream().map(c -> c.name()).toList();
            for (final String name : List.of("packets", "alerts", "drops", "flow_drops", "passed", "pcre_aborted",
                "dlp_unscanned", "app_flows_uninspected", "stream_early", "http_headers_too_long", "tagged_packets",
                "tags_refused"))
            {
                assertTrue(names.contains("ips." + name), "ips." + name + " in " + names);
            }
            final long eveAlerts = Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"alert\""))
                .count();
            assertEquals(eveAlerts, end.value("ips.alerts"));
            assertEquals(6, end.value("ips.alerts"));
            assertEquals(0, end.value("ips.drops"));
            assertTrue(end.value("ips.packets") >= 6, "packets " + end.value("ips.packets"));
        }
        assertEquals(0, run("stats", statsFile.toString()), err);
        assertTrue(out.contains("\nips.alerts "), out);
    }

    private int run(final String... args)
    {
        final CommandOutput result = CommandOutput.of(args);
        out = result.out();
        err = result.err();
        return result.status();
    }
}
