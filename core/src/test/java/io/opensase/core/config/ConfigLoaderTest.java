package io.opensase.core.config;

import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.TeredoPorts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest
{
    private static final Path CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();
    private static final Path FILE = Path.of("/etc/opensase/test.yaml");
    private static final String PORTS = """
        ports:
          - name: branch
            type: pcap
            rx: in.pcap
        """;

    @TestFactory
    Stream<DynamicTest> shouldLoadEveryShippedConfig() throws IOException
    {
        try (Stream<Path> files = Files.list(CONFIGS))
        {
            final var all = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(all.size() >= 3, "configs/ holds the example configurations");
            return all.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () ->
            {
                final EngineConfig config = ConfigLoader.load(file);
                assertEquals(file, config.source());
                if (config.receivingPort() instanceof CapturePortConfig port)
                {
                    assertTrue(Files.isRegularFile(port.rxCapture()),
                        "the capture a shipped config reads exists: " + port.rxCapture());
                }
            }));
        }
    }

    @Test
    void shouldApplyDefaultsAndResolveFilesAgainstTheConfigFolder() throws ConfigException
    {
        final EngineConfig config = ConfigLoader.parse(FILE, PORTS);

        assertEquals(1, config.workers());
        assertEquals(32, config.burstSize());
        assertEquals(1024, config.ringSize());
        assertEquals(IdleMode.BACKOFF, config.idle());
        assertEquals(FlowConfig.DEFAULT, config.flows());
        assertEquals(MalformedAction.FORWARD, config.malformed());
        assertEquals(TeredoPorts.DEFAULT, config.teredoPorts());
        assertEquals(new CapturePortConfig("branch", Path.of("/etc/opensase/in.pcap"), null), config.ports().getFirst());
    }

    @Test
    void shouldReadEveryField() throws ConfigException
    {
        final EngineConfig config = ConfigLoader.parse(FILE, """
            engine:
              workers: 4
              burst_size: 64
              ring_size: 2048
              idle: busy_spin
              packet_buffers: 16384
            """ + PORTS.replace("rx: in.pcap", "rx: in.pcap\n    tx: /var/out.pcap") + """
            flows:
              capacity: 1_000_000
              when_full: refuse
              timeouts:
                tcp: 2h
                udp: 45s
                icmp: 500ms
                other: 2m
            policy:
              malformed: drop
            parser:
              max_tunnel_depth: 2
              max_ipv6_ext_headers: 3
              teredo_ports: [3544, 3797]
            report: out/report.json
            """);

        assertEquals(4, config.workers());
        assertEquals(64, config.burstSize());
        assertEquals(2048, config.ringSize());
        assertEquals(IdleMode.BUSY_SPIN, config.idle());
        assertEquals(16384, config.packetBuffers());
        assertEquals(Path.of("/var/out.pcap"), ((CapturePortConfig)config.ports().getFirst()).txCapture());
        assertEquals(1_000_000, config.flows().capacity());
        assertEquals(FullTablePolicy.REFUSE, config.flows().whenFull());
        assertEquals(7_200_000_000_000L, config.flows().timeouts().tcpNs());
        assertEquals(45_000_000_000L, config.flows().timeouts().udpNs());
        assertEquals(500_000_000L, config.flows().timeouts().icmpNs());
        assertEquals(120_000_000_000L, config.flows().timeouts().otherNs());
        assertEquals(MalformedAction.DROP, config.malformed());
        assertEquals(2, config.maxTunnelDepth());
        assertEquals(3, config.maxIpv6ExtHeaders());
        assertEquals(TeredoPorts.of(3544, 3797), config.teredoPorts());
        assertEquals(Path.of("/etc/opensase/out/report.json"), config.report());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown top-level field  | 'engine:\\n  workers: 2\\nportz: []'                   | 3 | portz                 | unknown field; allowed here: audit, control, dpdk, engine, events, firewall, flows, ips, parser, policy, ports, report
        workers not a number     | 'engine:\\n  workers: many'                            | 2 | engine.workers        | expected an integer 1..64, got 'many'
        workers out of range     | 'engine:\\n  workers: 0'                               | 2 | engine.workers        | must be 1..64, got 0
        ring not a power of two  | 'engine:\\n  ring_size: 1000'                          | 2 | engine.ring_size      | must be a power of two 2..1048576, got 1000
        ring smaller than burst  | 'engine:\\n  burst_size: 64\\n  ring_size: 32'         | 3 | engine.ring_size      | must be at least burst_size (64)
        bad idle mode            | 'engine:\\n  idle: doze'                               | 2 | engine.idle           | 'doze' is not one of busy_spin, backoff, sleep
        bad duration             | 'flows:\\n  timeouts:\\n    udp: soon'                 | 3 | flows.timeouts.udp    | expected a duration such as 250ms, 30s, 5m or 1h, got 'soon'
        negative duration        | 'flows:\\n  timeouts:\\n    tcp: -5s'                  | 3 | flows.timeouts.tcp    | must be a positive duration, got '-5s'
        huge duration            | 'flows:\\n  timeouts:\\n    tcp: 99999999999h'         | 3 | flows.timeouts.tcp    | '99999999999h' is longer than the longest timeout, 365 days
        enormous duration        | 'flows:\\n  timeouts:\\n    tcp: 92233720368547758070' | 3 | flows.timeouts.tcp    | '92233720368547758070' is longer than the longest timeout, 365 days
        bad full-table policy    | 'flows:\\n  when_full: panic'                          | 2 | flows.when_full       | 'panic' is not one of evict_oldest, refuse
        bad malformed action     | 'policy:\\n  malformed: maybe'                         | 2 | policy.malformed      | 'maybe' is not one of forward, drop
        field given twice        | 'engine:\\n  workers: 2\\n  workers: 3'                | 3 | engine.workers        | given twice
        flows not a mapping      | 'flows: 12'                                            | 1 | flows                 | expected a mapping of capacity, timeouts, when_full
        """)
    void shouldRejectBadFieldsWithLineAndReason(
        final String name, final String yaml, final int line, final String field, final String reason)
    {
        final ConfigException error = assertThrows(ConfigException.class,
            () -> ConfigLoader.parse(FILE, yaml.replace("\\n", "\n") + "\n" + PORTS));

        assertEquals(FILE, error.file());
        assertEquals(line, error.line(), error.getMessage());
        assertEquals(field, error.field(), error.getMessage());
        assertEquals(reason, error.reason(), error.getMessage());
        assertEquals(FILE + ":" + line + ": " + field + ": " + reason, error.getMessage());
    }

    @Test
    void shouldRejectPortProblems()
    {
        assertError("ports: []", 1, "ports", "at least one port is needed");
        assertError("engine:\n  workers: 1", 1, "ports", "missing; at least one port is needed");
        assertError("ports:\n  - name: a\n    type: nic\n    rx: x.pcap", 3, "ports[0].type",
            "'nic' is not a port type; allowed: dpdk, pcap");
        assertError("ports:\n  - name: a\n    type: pcap", 2, "ports[0].rx", "missing; this field is required");
        assertError("ports:\n  - name: 'a b'\n    type: pcap\n    rx: x", 2, "ports[0].name",
            "must be 1-32 letters, digits, '_', '.' or '-', got 'a b'");
        assertError("ports:\n  - {name: a, type: pcap, rx: x}\n  - {name: b, type: pcap, rx: y}", 3, "ports[1]",
            "the capture path drives one port per run; give each capture its own run");
    }

    @Test
    void shouldReadDpdkPortsAndTakeTheirCaptureFilesFromTheConfigFolder() throws ConfigException
    {
        final EngineConfig config = ConfigLoader.parse(FILE, """
            engine:
              workers: 2
            dpdk:
              eal_args: [--in-memory, -l, 0-1]
              mbufs: 8192
              frame_capacity: 2048
            ports:
              - name: lan
                type: dpdk
                devargs: net_pcap0,rx_pcap=in.pcap,tx_pcap=/var/out.pcap
                queues: 2
                out: wan
              - name: wan
                type: dpdk
                devargs: net_null0,no-rx=1
                receive: false
            """);

        assertEquals(new DpdkPortConfig("lan", "net_pcap0,rx_pcap=/etc/opensase/in.pcap,tx_pcap=/var/out.pcap", 2, true,
            "wan"), config.ports().get(0));
        assertEquals(new DpdkPortConfig("wan", "net_null0,no-rx=1", 1, false, "wan"), config.ports().get(1));
        assertEquals(java.util.List.of("--in-memory", "-l", "0-1"), config.dpdk().ealArgs());
        assertEquals(8192, config.dpdk().mbufs());
        assertEquals(2048, config.dpdk().frameCapacity());
        assertTrue(config.usesDpdk());
        assertEquals("lan", config.receivingPort().name());
    }

    @Test
    void shouldRejectDpdkPortProblems()
    {
        assertError("ports:\n  - {name: a, type: dpdk, devargs: net_null0, out: b}", 2, "ports[0]",
            "out: no port named 'b'; ports: a");
        assertError("ports:\n  - {name: a, type: dpdk, devargs: net_null0}\n  - {name: b, type: dpdk, devargs: "
            + "net_null1}", 2, "ports", "exactly one DPDK port must receive (the others set receive: false); 2 do");
        assertError("ports:\n  - {name: a, type: dpdk, devargs: net_null0, queues: 2}", 2, "ports[0].queues",
            "with more than one queue each worker owns one, so queues must equal engine.workers (1)");
        assertError("ports:\n  - {name: a, type: dpdk, devargs: net_null0}\n  - {name: b, type: pcap, rx: x.pcap}", 3,
            "ports[1]", "capture ports and DPDK ports cannot be mixed in one run");
        assertError("ports:\n  - {name: a, type: dpdk, rx: x.pcap}", 2, "ports[0].rx",
            "unknown field; allowed here: devargs, name, out, queues, receive, type");
    }

    @Test
    void shouldRejectFilesThatAreNotYaml()
    {
        assertError("", 1, "", "the file is empty; at least 'ports' is needed");
        assertError("ports: [unclosed", 1, "", "not valid YAML: expected ',' or ']', but got <stream end>");
        assertError("- just\n- a list", 1, "",
            "expected a mapping of audit, control, dpdk, engine, events, firewall, flows, ips, parser, policy, ports, report");
    }

    @Test
    void shouldNameAFileThatCannotBeRead()
    {
        final Path missing = Path.of("/nonexistent/opensase.yaml");
        final ConfigException error = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing));
        assertEquals("/nonexistent/opensase.yaml: no such file", error.getMessage());
    }

    @Test
    void shouldRejectFileNamesThatNameNoFile()
    {
        assertError(PORTS + "report: \"a\\0b\"", 5, "report", "not a usable file name: Nul character not allowed");
        assertError(PORTS + "report: out/", 5, "report", "'out/' names a folder; expected a file");
        assertError("ports:\n  - {name: a, type: pcap, rx: ''}", 2, "ports[0].rx", "expected a file name, got nothing");
        assertError("ports:\n  - {name: a, type: pcap, rx: x.pcap, tx: \"o\\0.pcap\"}", 2, "ports[0].tx",
            "not a usable file name: Nul character not allowed");
        assertError("ports:\n  - {name: a, type: dpdk, devargs: \"net_pcap0,rx_pcap=a\\0b\"}", 2, "ports[0].devargs",
            "not a usable file name: Nul character not allowed");
    }

    @Test
    void shouldReadTeredoPortsAsSuricatasDecoderTakesThem() throws ConfigException
    {
        assertEquals(TeredoPorts.ANY, ConfigLoader.parse(FILE, PORTS + "parser:\n  teredo_ports: any").teredoPorts());
        assertEquals(TeredoPorts.of(3797),
            ConfigLoader.parse(FILE, PORTS + "parser:\n  teredo_ports: 3797").teredoPorts());
        assertEquals(TeredoPorts.NONE, ConfigLoader.parse(FILE, PORTS + "parser:\n  teredo_ports: []").teredoPorts());
        assertError(PORTS + "parser:\n  teredo_ports: [1, 2, 3, 4, 5]", 6, "parser.teredo_ports",
            "at most 4 ports (as in Suricata), or any; got 5");
        assertError(PORTS + "parser:\n  teredo_ports: [3544, 70000]", 6, "parser.teredo_ports[1]",
            "must be 1..65535, got 70000");
        assertError(PORTS + "parser:\n  teredo_ports: all", 6, "parser.teredo_ports",
            "expected an integer 1..65535, got 'all'");
    }

    private static void assertError(final String yaml, final int line, final String field, final String reason)
    {
        final ConfigException error = assertThrows(ConfigException.class, () -> ConfigLoader.parse(FILE, yaml));
        assertEquals(line, error.line(), error.getMessage());
        assertEquals(field, error.field(), error.getMessage());
        assertEquals(reason, error.reason(), error.getMessage());
    }

    /** Found by a tester: 2,000 nested sequences ended the loader with a stack overflow and a stack trace. */
    @Test
    void shouldRefuseYamlNestedTooDeeply()
    {
        final String deep = "ports: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";
        final ConfigException error = assertThrows(ConfigException.class,
            () -> ConfigLoader.parse(Path.of("deep.yaml"), deep));
        assertEquals("not valid YAML: nested too deeply for the loader", error.reason());
    }
}
