package io.opensase.core.config;

import io.opensase.core.ips.IpsSettings;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.TeredoPorts;
import io.opensase.core.control.api.ControlApiConfig;
import io.opensase.core.events.EventsConfig;
import io.opensase.core.firewall.FirewallConfig;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads an engine configuration from YAML, validates every field, and builds an {@link EngineConfig}.
 * The first problem found is reported as a {@link ConfigException} with file, line, field and what is
 * allowed. Relative file names in the configuration are taken from the configuration file's folder.
 */
public final class ConfigLoader
{
    private static final Set<String> TOP = Set.of("engine", "ports", "flows", "policy", "parser", "report", "dpdk",
        "firewall", "control", "audit", "events", "ips");
    /** What an IPS configuration (no ports) holds. */
    private static final Set<String> IPS_ONLY = Set.of("ips", "parser");
    private static final Set<String> ENGINE = Set.of("workers", "burst_size", "ring_size", "idle", "packet_buffers");
    private static final Set<String> CAPTURE_PORT = Set.of("name", "type", "rx", "tx");
    private static final Set<String> DPDK_PORT = Set.of("name", "type", "devargs", "queues", "receive", "out");
    private static final Set<String> PORT_TYPES = Set.of("pcap", "dpdk");
    private static final Set<String> DPDK = Set.of("eal_args", "mbufs", "frame_capacity", "mbuf_cache",
        "rx_descriptors", "tx_descriptors");
    private static final Set<String> FLOWS = Set.of("capacity", "when_full", "timeouts");
    private static final Set<String> TIMEOUTS = Set.of("tcp", "udp", "icmp", "other");
    private static final Set<String> POLICY = Set.of("malformed");
    private static final Set<String> PARSER = Set.of("max_tunnel_depth", "max_ipv6_ext_headers", "teredo_ports");

    private ConfigLoader()
    {
    }

    public static EngineConfig load(final Path file) throws ConfigException
    {
        return parse(file, read(file));
    }

    /**
     * What {@code opensase ips} takes from {@code file}: its {@code ips:} and {@code parser:} sections. A file
     * with {@code ports:} is an engine configuration and is checked whole, as {@link #load} checks it; a file
     * without is an IPS configuration, which holds only those two sections (the others configure an engine that
     * runs ports). Either way a bad value is reported with its file, line and field.
     */
    public static IpsConfig loadIps(final Path file) throws ConfigException
    {
        final String text = read(file);
        final YamlNode root = new YamlNode(file, "", compose(file, text, "'ips' or 'ports'"));
        if (root.mapping(TOP).containsKey("ports"))
        {
            final EngineConfig engine = parse(file, text);
            return new IpsConfig(engine.ips(), engine.maxTunnelDepth(), engine.maxIpv6ExtHeaders(),
                engine.teredoPorts());
        }
        final Map<String, YamlNode> top = root.mapping(IPS_ONLY,
            "not in an IPS configuration, which holds only ips and parser (a file with ports is an engine's)");
        final IpsSettings ips = top.containsKey("ips")
            ? IpsSection.read(top.get("ips"), file.toAbsolutePath().getParent(), path -> true) : null;
        final ParserSection parser = ParserSection.read(top);
        return new IpsConfig(ips, parser.maxTunnelDepth(), parser.maxIpv6ExtHeaders(), parser.teredoPorts());
    }

    private static String read(final Path file) throws ConfigException
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(file, 0, "", ex instanceof java.nio.charset.CharacterCodingException
                ? "not a YAML text file (it is not UTF-8)"
                : ex instanceof java.nio.file.NoSuchFileException ? "no such file" : "cannot read the file: " + ex);
        }
    }

    /** Validates {@code text} as if it were the content of {@code file}. */
    public static EngineConfig parse(final Path file, final String text) throws ConfigException
    {
        return parse(file, text, path -> true);
    }

    /**
     * As {@link #parse(Path, String)}, for a text that may name only some files for the IPS to read (rules,
     * classification, DLP profiles): one {@code readable} refuses is an error naming its field and line, and
     * is not looked at on disk.
     */
    public static EngineConfig parse(final Path file, final String text, final Predicate<Path> readable)
        throws ConfigException
    {
        final Node root = compose(file, text, "'ports'");
        final Path folder = file.toAbsolutePath().getParent();
        final Map<String, YamlNode> top = new YamlNode(file, "", root).mapping(TOP);

        int workers = EngineConfig.DEFAULT_WORKERS;
        int burstSize = EngineConfig.DEFAULT_BURST_SIZE;
        int ringSize = EngineConfig.DEFAULT_RING_SIZE;
        IdleMode idle = IdleMode.BACKOFF;
        int packetBuffers = EngineConfig.DEFAULT_PACKET_BUFFERS;
        if (top.containsKey("engine"))
        {
            final Map<String, YamlNode> engine = top.get("engine").mapping(ENGINE);
            if (engine.containsKey("workers"))
            {
                workers = engine.get("workers").integer(1, EngineConfig.MAX_WORKERS);
            }
            if (engine.containsKey("burst_size"))
            {
                burstSize = engine.get("burst_size").integer(1, EngineConfig.MAX_BURST_SIZE);
            }
            if (engine.containsKey("ring_size"))
            {
                final YamlNode node = engine.get("ring_size");
                ringSize = node.powerOfTwo(2, 1 << 20);
                if (ringSize < burstSize)
                {
                    throw node.error("must be at least burst_size (" + burstSize + ")");
                }
            }
            if (engine.containsKey("idle"))
            {
                idle = engine.get("idle").choice(IdleMode.class, IdleMode::configName);
            }
            if (engine.containsKey("packet_buffers"))
            {
                final YamlNode node = engine.get("packet_buffers");
                packetBuffers = node.integer(1, 1 << 22);
                if (packetBuffers < 2 * burstSize)
                {
                    throw node.error("must be at least twice burst_size (" + 2 * burstSize + ")");
                }
            }
        }

        if (!top.containsKey("ports"))
        {
            throw new ConfigException(file, 1, "ports", "missing; at least one port is needed");
        }
        final List<PortConfig> ports = ports(top.get("ports"), folder, workers);
        final FlowConfig flows = top.containsKey("flows") ? flows(top.get("flows")) : FlowConfig.DEFAULT;
        final DpdkConfig dpdk = top.containsKey("dpdk") ? dpdk(top.get("dpdk")) : DpdkConfig.DEFAULT;

        MalformedAction malformed = MalformedAction.FORWARD;
        if (top.containsKey("policy"))
        {
            final Map<String, YamlNode> policy = top.get("policy").mapping(POLICY);
            if (policy.containsKey("malformed"))
            {
                malformed = policy.get("malformed").choice(MalformedAction.class, MalformedAction::configName);
            }
        }

        final ParserSection parser = ParserSection.read(top);
        final Path report = top.containsKey("report") ? top.get("report").fileIn(folder) : null;
        final FirewallConfig firewall = top.containsKey("firewall") ? FirewallSection.read(top.get("firewall"), ports)
            : null;
        final ControlApiConfig control = top.containsKey("control")
            ? ControlSection.read(top.get("control"), folder) : null;
        final AuditConfig audit = top.containsKey("audit") ? AuditSection.read(top.get("audit"), folder) : null;
        final EventsConfig events = top.containsKey("events") ? EventsSection.read(top.get("events"), folder) : null;
        final IpsSettings ips = top.containsKey("ips") ? IpsSection.read(top.get("ips"), folder, readable) : null;
        return new EngineConfig(file, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            parser.maxTunnelDepth(), parser.maxIpv6ExtHeaders(), parser.teredoPorts(), report, dpdk, 0, firewall,
            control, audit, events, ips);
    }

    /** The {@code parser:} section's settings, its defaults without one. */
    private record ParserSection(int maxTunnelDepth, int maxIpv6ExtHeaders, TeredoPorts teredoPorts)
    {
        static ParserSection read(final Map<String, YamlNode> top) throws ConfigException
        {
            int maxTunnelDepth = PacketParser.DEFAULT_MAX_TUNNEL_DEPTH;
            int maxIpv6ExtHeaders = PacketParser.DEFAULT_MAX_IPV6_EXT_HEADERS;
            TeredoPorts teredoPorts = TeredoPorts.DEFAULT;
            if (top.containsKey("parser"))
            {
                final Map<String, YamlNode> parser = top.get("parser").mapping(PARSER);
                if (parser.containsKey("max_tunnel_depth"))
                {
                    maxTunnelDepth = parser.get("max_tunnel_depth").integer(0, 8);
                }
                if (parser.containsKey("max_ipv6_ext_headers"))
                {
                    maxIpv6ExtHeaders = parser.get("max_ipv6_ext_headers").integer(0, 16);
                }
                if (parser.containsKey("teredo_ports"))
                {
                    teredoPorts = ConfigLoader.teredoPorts(parser.get("teredo_ports"));
                }
            }
            return new ParserSection(maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts);
        }
    }

    /**
     * {@code any}, or a list of up to 4 ports (a single port alone too); an empty list turns Teredo decoding off.
     * Suricata's {@code decoder.teredo.ports} takes the same.
     */
    private static TeredoPorts teredoPorts(final YamlNode node) throws ConfigException
    {
        if (!node.isSequence() && "any".equals(node.text()))
        {
            return TeredoPorts.ANY;
        }
        final List<YamlNode> items = node.listOrOne();
        if (items.size() > TeredoPorts.MAX_PORTS)
        {
            throw node.error("at most " + TeredoPorts.MAX_PORTS + " ports (as in Suricata), or any; got "
                + items.size());
        }
        final int[] ports = new int[items.size()];
        for (int p = 0; p < ports.length; p++)
        {
            ports[p] = items.get(p).integer(1, 65535);
        }
        return TeredoPorts.of(ports);
    }

    /** The YAML of {@code file}; an empty one is refused, as at least {@code needed} must be there. */
    private static Node compose(final Path file, final String text, final String needed) throws ConfigException
    {
        final LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        try
        {
            final Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            final Node root = composer.getSingleNode().orElse(null);
            if (null == root)
            {
                throw new ConfigException(file, 1, "", "the file is empty; at least " + needed + " is needed");
            }
            return root;
        }
        catch (final MarkedYamlEngineException ex)
        {
            final int line = ex.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            throw new ConfigException(file, line, "", "not valid YAML: " + ex.getProblem());
        }
        catch (final YamlEngineException ex)
        {
            throw new ConfigException(file, 0, "", "not valid YAML: " + ex.getMessage());
        }
        catch (final StackOverflowError ex)
        {
            // The YAML composer recurses once per nesting level; a file nested thousands deep (found by a
            // tester) must be refused like any other bad file, not end the command.
            throw new ConfigException(file, 0, "", "not valid YAML: nested too deeply for the loader");
        }
    }

    private static List<PortConfig> ports(final YamlNode node, final Path folder, final int workers)
        throws ConfigException
    {
        final List<YamlNode> items = node.sequence();
        if (items.isEmpty())
        {
            throw node.error("at least one port is needed");
        }
        final List<PortConfig> ports = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final YamlNode item : items)
        {
            final PortConfig port = port(item, folder, workers);
            if (!names.add(port.name()))
            {
                throw item.error("port name '" + port.name() + "' is used twice");
            }
            if (!ports.isEmpty() && port.getClass() != ports.getFirst().getClass())
            {
                throw item.error("capture ports and DPDK ports cannot be mixed in one run");
            }
            if (port instanceof CapturePortConfig && !ports.isEmpty())
            {
                throw item.error("the capture path drives one port per run; give each capture its own run");
            }
            ports.add(port);
        }
        if (ports.getFirst() instanceof DpdkPortConfig)
        {
            checkDpdkPorts(node, items, ports, names);
        }
        return ports;
    }

    private static PortConfig port(final YamlNode item, final Path folder, final int workers) throws ConfigException
    {
        final YamlNode type = item.peek("type");
        if (null != type && !PORT_TYPES.contains(type.text()))
        {
            throw type.error("'" + type.text() + "' is not a port type; allowed: dpdk, pcap");
        }
        final boolean dpdk = null != type && "dpdk".equals(type.text());
        final Map<String, YamlNode> fields = item.mapping(dpdk ? DPDK_PORT : CAPTURE_PORT);
        required(item, fields, "type");
        final String name = required(item, fields, "name").text();
        if (!name.matches("[A-Za-z0-9_.-]{1,32}"))
        {
            throw fields.get("name").error("must be 1-32 letters, digits, '_', '.' or '-', got '" + name + "'");
        }
        if (!dpdk)
        {
            final Path rx = required(item, fields, "rx").fileIn(folder);
            final Path tx = fields.containsKey("tx") ? fields.get("tx").fileIn(folder) : null;
            return new CapturePortConfig(name, rx, tx);
        }
        final YamlNode devargsNode = required(item, fields, "devargs");
        final String devargs;
        try
        {
            devargs = DevargsFiles.resolve(devargsNode.text(), folder);
        }
        catch (final java.nio.file.InvalidPathException ex)
        {
            throw devargsNode.error("not a usable file name: " + ex.getReason());
        }
        final int queues = fields.containsKey("queues") ? fields.get("queues").integer(1, EngineConfig.MAX_WORKERS) : 1;
        if (queues > 1 && queues != workers)
        {
            throw fields.get("queues").error("with more than one queue each worker owns one, so queues must equal "
                + "engine.workers (" + workers + ")");
        }
        final boolean receive = !fields.containsKey("receive") || fields.get("receive").bool();
        final String out = fields.containsKey("out") ? fields.get("out").text() : name;
        return new DpdkPortConfig(name, devargs, queues, receive, out);
    }

    private static void checkDpdkPorts(
        final YamlNode node, final List<YamlNode> items, final List<PortConfig> ports, final Set<String> names)
        throws ConfigException
    {
        int receiving = 0;
        for (int p = 0; p < ports.size(); p++)
        {
            final DpdkPortConfig port = (DpdkPortConfig)ports.get(p);
            if (!names.contains(port.out()))
            {
                throw items.get(p).error("out: no port named '" + port.out() + "'; ports: "
                    + String.join(", ", names.stream().sorted().toList()));
            }
            receiving += port.receive() ? 1 : 0;
        }
        if (1 != receiving)
        {
            throw node.error("exactly one DPDK port must receive (the others set receive: false); " + receiving
                + " do");
        }
    }

    private static DpdkConfig dpdk(final YamlNode node) throws ConfigException
    {
        final Map<String, YamlNode> fields = node.mapping(DPDK);
        final DpdkConfig defaults = DpdkConfig.DEFAULT;
        List<String> ealArgs = defaults.ealArgs();
        if (fields.containsKey("eal_args"))
        {
            ealArgs = new ArrayList<>();
            for (final YamlNode arg : fields.get("eal_args").sequence())
            {
                ealArgs.add(arg.text());
            }
        }
        return new DpdkConfig(ealArgs,
            fields.containsKey("mbufs") ? fields.get("mbufs").integer(1024, 1 << 24) : defaults.mbufs(),
            fields.containsKey("frame_capacity")
                ? fields.get("frame_capacity").integer(1518, 9216) : defaults.frameCapacity(),
            fields.containsKey("mbuf_cache") ? fields.get("mbuf_cache").integer(0, 512) : defaults.mbufCache(),
            fields.containsKey("rx_descriptors")
                ? fields.get("rx_descriptors").powerOfTwo(64, 16384) : defaults.rxDescriptors(),
            fields.containsKey("tx_descriptors")
                ? fields.get("tx_descriptors").powerOfTwo(64, 16384) : defaults.txDescriptors());
    }

    private static FlowConfig flows(final YamlNode node) throws ConfigException
    {
        final Map<String, YamlNode> flows = node.mapping(FLOWS);
        final FlowConfig defaults = FlowConfig.DEFAULT;
        final int capacity = flows.containsKey("capacity")
            ? flows.get("capacity").integer(1, FlowTable.MAX_CAPACITY) : defaults.capacity();
        final FullTablePolicy whenFull = flows.containsKey("when_full")
            ? flows.get("when_full").choice(FullTablePolicy.class, policy -> policy.name().toLowerCase(Locale.ROOT))
            : defaults.whenFull();
        FlowTimeouts timeouts = defaults.timeouts();
        if (flows.containsKey("timeouts"))
        {
            final Map<String, YamlNode> t = flows.get("timeouts").mapping(TIMEOUTS);
            timeouts = new FlowTimeouts(
                t.containsKey("tcp") ? t.get("tcp").durationNs() : timeouts.tcpNs(),
                t.containsKey("udp") ? t.get("udp").durationNs() : timeouts.udpNs(),
                t.containsKey("icmp") ? t.get("icmp").durationNs() : timeouts.icmpNs(),
                t.containsKey("other") ? t.get("other").durationNs() : timeouts.otherNs());
        }
        return new FlowConfig(capacity, whenFull, timeouts);
    }

    static YamlNode required(final YamlNode parent, final Map<String, YamlNode> fields, final String name)
        throws ConfigException
    {
        final YamlNode value = fields.get(name);
        if (null == value)
        {
            throw new ConfigException(parent.file(), parent.line(),
                (parent.path().isEmpty() ? "" : parent.path() + ".") + name, "missing; this field is required");
        }
        return value;
    }
}
