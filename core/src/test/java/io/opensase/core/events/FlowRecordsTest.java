package io.opensase.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opensase.classifiers.testing.Tools;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.control.LiveControl;
import io.opensase.core.engine.Engine;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow records of an engine run over a scapy-written capture, read back with Jackson and checked against the
 * conversations tshark finds in the same capture: client and server addresses and ports, packets and bytes each
 * way, first and last packet times; and why each flow ended, from the timeouts the test configures.
 */
class FlowRecordsTest
{
    private static final String A = Scenario.ETHER;
    private static final String B = "Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')";

    /**
     * TCP both ways with the client below and above the server's address, the same 5-tuple again inside VLAN
     * 100, UDP over IPv4 and IPv6, ICMP echo, all at about T0; one UDP packet 40 s later, by when the UDP
     * (10 s) and ICMP (30 s) flows have timed out and the TCP ones (1 h) have not.
     */
    private static final String TRAFFIC = String.join(",\n",
        A + "/IP(src='10.0.0.1', dst='192.0.2.10')/TCP(sport=40000, dport=80, flags='S', seq=1)",
        B + "/IP(src='192.0.2.10', dst='10.0.0.1')/TCP(sport=80, dport=40000, flags='SA', seq=9, ack=2)",
        A + "/IP(src='10.0.0.1', dst='192.0.2.10')/TCP(sport=40000, dport=80, flags='A', seq=2, ack=10)",
        A + "/IP(src='10.0.0.1', dst='192.0.2.10')/TCP(sport=40000, dport=80, flags='PA', seq=2, ack=10)"
            + "/Raw(b'g' * 100)",
        B + "/IP(src='192.0.2.10', dst='10.0.0.1')/TCP(sport=80, dport=40000, flags='PA', seq=10, ack=102)"
            + "/Raw(b'r' * 300)",
        B + "/IP(src='192.0.2.200', dst='10.0.0.2')/TCP(sport=5555, dport=443, flags='S')",
        A + "/IP(src='10.0.0.2', dst='192.0.2.200')/TCP(sport=443, dport=5555, flags='SA')",
        B + "/IP(src='192.0.2.200', dst='10.0.0.2')/TCP(sport=5555, dport=443, flags='A')/Raw(b'h' * 517)",
        A + "/Dot1Q(vlan=100)/IP(src='10.0.0.1', dst='192.0.2.10')/TCP(sport=40000, dport=80, flags='S')",
        A + "/IP(src='10.0.0.3', dst='192.0.2.53')/UDP(sport=5353, dport=53)/Raw(b'q' * 30)",
        B + "/IP(src='192.0.2.53', dst='10.0.0.3')/UDP(sport=53, dport=5353)/Raw(b'a' * 90)",
        B + "/IPv6(src='2001:db8::2', dst='2001:db8::1')/UDP(sport=1000, dport=53)/Raw(b'6' * 20)",
        A + "/IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP(sport=53, dport=1000)/Raw(b'6' * 60)",
        B + "/IPv6(src='2001:db8::2', dst='2001:db8::1')/UDP(sport=1000, dport=53)/Raw(b'6' * 21)",
        A + "/IP(src='10.0.0.4', dst='192.0.2.4')/ICMP(type=8, id=77, seq=1)/Raw(b'p' * 56)",
        B + "/IP(src='192.0.2.4', dst='10.0.0.4')/ICMP(type=0, id=77, seq=1)/Raw(b'p' * 56)",
        "at(40, " + A + "/IP(src='10.0.0.9', dst='192.0.2.9')/UDP(sport=7000, dport=7001)/Raw(b'late'))");

    private static final String FLOWS = """
        flows:
          timeouts: {tcp: 1h, udp: 10s, icmp: 30s}
        """;

    @TempDir
    Path temp;

    private final ObjectMapper mapper = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void shouldWriteOneRecordPerConversationWithTheCountsTsharkFinds(final int workers) throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), TRAFFIC);
        final EngineConfig config = Scenario.config(temp, in, temp.resolve("out.pcap"), FLOWS + """
            events:
              dir: eve
            """).withWorkers(workers);
        final Engine engine = new Engine(config);
        final LiveControl control = new LiveControl(engine, "branch", null, null);

        engine.run();

        final Map<String, Conversation> expected = conversations(in);
        final List<JsonNode> records = lines(temp.resolve("eve/eve.json"));
        assertEquals(expected.size(), records.size(), "one record per conversation: " + records);
        final Map<String, Long> micros = pythonMicros(records);
        final Set<Long> ids = new HashSet<>();
        for (final JsonNode record : records)
        {
            assertEquals("flow", record.get("event_type").asText());
            ids.add(record.get("flow_id").asLong());
            final String key = key(canonical(record.get("src_ip").asText()), port(record, "src_port"),
                canonical(record.get("dest_ip").asText()), port(record, "dest_port"), record.get("proto").asText(),
                record.has("vlan") ? record.get("vlan").get(0).asInt() : -1);
            final Conversation conversation = expected.get(key);
            assertTrue(null != conversation, "no conversation " + key + " in " + expected.keySet());
            final JsonNode flow = record.get("flow");
            assertEquals(conversation.packets[0], flow.get("pkts_toserver").asLong(), key);
            assertEquals(conversation.packets[1], flow.get("pkts_toclient").asLong(), key);
            assertEquals(conversation.bytes[0], flow.get("bytes_toserver").asLong(), key);
            assertEquals(conversation.bytes[1], flow.get("bytes_toclient").asLong(), key);
            assertEquals(conversation.first, micros.get(flow.get("start").asText()), key);
            assertEquals(conversation.last, micros.get(flow.get("end").asText()), key);
            assertEquals(conversation.last, micros.get(record.get("timestamp").asText()), key);
            assertEquals(0 != conversation.packets[1] ? "established" : "new", flow.get("state").asText(), key);
            final boolean timedOut = "UDP".equals(conversation.proto) && !key.contains("7001")
                || "ICMP".equals(conversation.proto);
            assertEquals(timedOut ? "timeout" : "shutdown", flow.get("reason").asText(), key);
            assertTrue(!record.has("tenant_id"), "no tenants without a firewall");
        }
        assertEquals(records.size(), ids.size(), "flow ids differ");

        final JsonNode stats = mapper.readTree(control.statsJson()).get("events");
        assertEquals(records.size(), stats.get("queued").asLong());
        assertEquals(records.size(), stats.get("written").asLong());
        assertEquals(0, stats.get("dropped").asLong() + stats.get("lost").asLong() + stats.get("pending").asLong());
        assertEquals(workers, stats.get("workers").size());
        final Path metrics = Files.writeString(temp.resolve("metrics.txt"), control.metricsText());
        Tools.run("sh", "-c", "promtool check metrics < " + metrics);
        assertTrue(Files.readString(metrics).contains("opensase_events_written_total " + records.size() + "\n"));
    }

    @Test
    void shouldNameTheTenantAndTellReleasedAndClosedFlowsApart() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), String.join(",\n",
            A + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='S', seq=100)",
            B + "/IP(src='192.0.2.1', dst='10.0.0.1')/TCP(sport=80, dport=1000, flags='SA', seq=500, ack=101)",
            A + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='A', seq=101, ack=501)",
            A + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='R', seq=101)",
            A + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1001, dport=22, flags='S')"));
        final EngineConfig config = Scenario.config(temp, in, temp.resolve("out.pcap"), """
            firewall:
              tenants:
                - name: acme-east
                  select: [{prefix: 10.0.0.0/8}]
                  inside: [10.0.0.0/8]
                  rules:
                    - {name: web, action: allow, direction: outbound, protocol: tcp, destination_ports: 80}
            events:
              dir: eve
            """);

        new Engine(config).run();

        final Map<Integer, JsonNode> byPort = new TreeMap<>();
        for (final JsonNode record : lines(temp.resolve("eve/eve.json")))
        {
            assertEquals("acme-east", record.get("tenant_id").asText());
            byPort.put(record.get("dest_port").asInt(), record);
        }
        assertEquals(Set.of(22, 80), byPort.keySet());
        final JsonNode ssh = byPort.get(22).get("flow");
        assertEquals("released", ssh.get("reason").asText(), "denied at once, so released");
        assertEquals("new", ssh.get("state").asText());
        assertEquals(1, ssh.get("pkts_toserver").asLong());
        final JsonNode web = byPort.get(80).get("flow");
        assertEquals("closed", web.get("state").asText(), "reset");
        assertEquals("shutdown", web.get("reason").asText(), "tcp_closed is 10 s: the flow is still there at the end");
        assertEquals(3, web.get("pkts_toserver").asLong());
        assertEquals(1, web.get("pkts_toclient").asLong());
    }

    /**
     * Found by a tester: at the end of a run every open flow is recorded at once, and those past the worker's
     * queue slots were dropped as "queue full" (4,502 open flows, 4,096 records). 300 TCP connections opened and
     * never closed (tshark counts 300 streams) against a queue of 64 slots: the end's records wait for the
     * writer, and all 300 are written, none dropped.
     */
    @Test
    void shouldRecordEveryFlowOpenAtTheEndThoughTheyOutnumberTheQueue() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), "*[" + A
            + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=10000 + i, dport=80, flags='S') for i in range(300)]");
        final Engine engine = new Engine(Scenario.config(temp, in, temp.resolve("out.pcap"), """
            events:
              dir: eve
              queue_slots: 64
            """));

        engine.run();

        final String streams = Tools.run("sh", "-c", "tshark -r " + in + " -T fields -e tcp.stream | sort -u | wc -l");
        final List<JsonNode> records = lines(temp.resolve("eve/eve.json"));
        assertEquals(Integer.parseInt(streams.trim()), records.size());
        assertEquals(300, records.size());
        assertTrue(records.stream().allMatch(r -> "shutdown".equals(r.at("/flow/reason").asText())));
        final JsonNode stats = mapper.readTree(new LiveControl(engine, "branch", null, null).statsJson())
            .get("events");
        assertEquals(300, stats.get("queued").asLong());
        assertEquals(0, stats.get("dropped").asLong());
    }

    @Test
    void shouldLeaveTheEventsOutOfStatsWithoutAnEventsSection() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), A + "/IP()/UDP()");
        final Engine engine = new Engine(Scenario.config(temp, in, temp.resolve("out.pcap"), ""));
        engine.run();

        final JsonNode stats = mapper.readTree(new LiveControl(engine, "branch", null, null).statsJson());
        assertTrue(!stats.has("events"));
    }

    @Test
    void shouldRefuseToRunWhenTheEventsFolderCannotBeMade() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), A + "/IP()/UDP()");
        Files.writeString(temp.resolve("eve"), "a file, not a folder");
        final Engine engine = new Engine(Scenario.config(temp, in, temp.resolve("out.pcap"), "events: {dir: eve}\n"));

        final java.io.IOException error = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
            engine::run);

        assertEquals("events.dir " + temp.resolve("eve") + ": cannot create the folder (a file of that name exists)",
            error.getMessage());
        assertTrue(!Files.exists(temp.resolve("out.pcap")), "nothing ran");
    }

    private List<JsonNode> lines(final Path file) throws Exception
    {
        final List<JsonNode> nodes = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            nodes.add(mapper.readTree(line));
        }
        return nodes;
    }

    private static int port(final JsonNode record, final String field)
    {
        return record.has(field) ? record.get(field).asInt() : -1;
    }

    /**
     * The microseconds since the epoch of each time of the flow lines, as Python's strptime reads them with
     * Suricata's format; each text is also held to Suricata's shape (the offset {@code +0000}, no colon).
     */
    private static Map<String, Long> pythonMicros(final List<JsonNode> records)
    {
        final List<String> times = new ArrayList<>();
        for (final JsonNode record : records)
        {
            for (final String time : List.of(record.get("timestamp").asText(),
                record.get("flow").get("start").asText(), record.get("flow").get("end").asText()))
            {
                assertTrue(time.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+0000"), time);
                times.add(time);
            }
        }
        final String[] parsed = Tools.python("""
            import datetime, sys
            epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
            for text in sys.argv[1:]:
                time = datetime.datetime.strptime(text, '%Y-%m-%dT%H:%M:%S.%f%z')
                print((time - epoch) // datetime.timedelta(microseconds=1))
            """, times.toArray(String[]::new)).strip().split("\n");
        assertEquals(times.size(), parsed.length);
        final Map<String, Long> micros = new TreeMap<>();
        for (int i = 0; i < parsed.length; i++)
        {
            micros.put(times.get(i), Long.parseLong(parsed[i]));
        }
        return micros;
    }

    /** One conversation as tshark's per-packet fields show it: the client is its first packet's source. */
    private static final class Conversation
    {
        final String proto;
        final long[] packets = new long[2];
        final long[] bytes = new long[2];
        final long first;
        long last;

        Conversation(final String proto, final long first)
        {
            this.proto = proto;
            this.first = first;
        }
    }

    /** Keyed client first, as {@link #key} spells it; addresses in canonical form. */
    private static Map<String, Conversation> conversations(final Path pcap) throws Exception
    {
        final String fields = Tools.run("tshark", "-r", pcap.toString(), "-T", "fields", "-E", "separator=,",
            "-e", "frame.time_epoch", "-e", "frame.len", "-e", "vlan.id", "-e", "ip.src", "-e", "ip.dst",
            "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport",
            "-e", "udp.dstport", "-e", "icmp.type");
        final Map<String, Conversation> byKey = new LinkedHashMap<>();
        for (final String line : fields.strip().split("\n"))
        {
            final String[] f = line.split(",", -1);
            final long micros = new BigDecimal(f[0]).movePointRight(6).longValueExact();
            final long length = Long.parseLong(f[1]);
            final int vlan = f[2].isEmpty() ? -1 : Integer.parseInt(f[2]);
            final String src = canonical(f[3].isEmpty() ? f[5] : f[3]);
            final String dst = canonical(f[4].isEmpty() ? f[6] : f[4]);
            final String proto = !f[7].isEmpty() ? "TCP" : !f[9].isEmpty() ? "UDP" : "ICMP";
            final int sport = portField(f[7], f[9]);
            final int dport = portField(f[8], f[10]);
            final String forward = key(src, sport, dst, dport, proto, vlan);
            final String backward = key(dst, dport, src, sport, proto, vlan);
            Conversation conversation = byKey.get(forward);
            int direction = 0;
            if (null == conversation && byKey.containsKey(backward))
            {
                conversation = byKey.get(backward);
                direction = 1;
            }
            if (null == conversation)
            {
                conversation = new Conversation(proto, micros);
                byKey.put(forward, conversation);
            }
            conversation.packets[direction]++;
            conversation.bytes[direction] += length;
            conversation.last = micros;
        }
        return byKey;
    }

    /** The TCP port, else the UDP port, else -1 (ICMP). */
    private static int portField(final String tcp, final String udp)
    {
        return !tcp.isEmpty() ? Integer.parseInt(tcp) : !udp.isEmpty() ? Integer.parseInt(udp) : -1;
    }

    private static String key(final String src, final int sport, final String dst, final int dport,
        final String proto, final int vlan)
    {
        return proto + " " + src + ":" + sport + " > " + dst + ":" + dport + " vlan " + vlan;
    }

    private static String canonical(final String address) throws Exception
    {
        return InetAddress.getByName(address).getHostAddress();
    }
}
