package io.opensase.core.config;

import io.opensase.core.ips.IpsSettings;

import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.TeredoPorts;
import io.opensase.core.control.api.ControlApiConfig;
import io.opensase.core.events.EventsConfig;
import io.opensase.core.firewall.FirewallConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * The validated, immutable configuration of one engine run.
 *
 * @param source            file it was loaded from, or null when built from command-line options.
 * @param workers           worker threads; with one, the worker polls the port itself.
 * @param burstSize         packets moved per burst.
 * @param ringSize          slots of each ring between threads (a power of two).
 * @param idle              what poll loops do when idle.
 * @param packetBuffers     buffers in the pure-Java packet pool.
 * @param ports             the ports.
 * @param flows             flow table settings.
 * @param malformed         what to do with malformed packets.
 * @param maxTunnelDepth    nested encapsulations parsed before a packet counts as malformed.
 * @param maxIpv6ExtHeaders IPv6 extension headers parsed before a packet counts as malformed.
 * @param teredoPorts       UDP ports on which the parser looks for Teredo.
 * @param report            where to write the JSON run report, or null.
 * @param dpdk              how DPDK is brought up when a port is a DPDK device.
 * @param durationNs        stop after this long (0: when the input ends, or on SIGINT/SIGTERM).
 * @param firewall          tenants and their policies, or null for no firewall (a bump in the wire).
 * @param control           how the control API listens, or null for no control API.
 * @param audit             where the audit log and its anchor and key live, or null for no audit log.
 * @param events            where EVE event lines (flow records) are written, or null for no events.
 * @param ips               the IPS rules and mode, or null for no IPS stage.
 */
public record EngineConfig(
    Path source,
    int workers,
    int burstSize,
    int ringSize,
    IdleMode idle,
    int packetBuffers,
    List<PortConfig> ports,
    FlowConfig flows,
    MalformedAction malformed,
    int maxTunnelDepth,
    int maxIpv6ExtHeaders,
    TeredoPorts teredoPorts,
    Path report,
    DpdkConfig dpdk,
    long durationNs,
    FirewallConfig firewall,
    ControlApiConfig control,
    AuditConfig audit,
    EventsConfig events,
    IpsSettings ips)
{
    public static final int DEFAULT_WORKERS = 1;
    public static final int DEFAULT_BURST_SIZE = 32;
    public static final int DEFAULT_RING_SIZE = 1024;
    public static final int DEFAULT_PACKET_BUFFERS = 8192;
    public static final int MAX_WORKERS = 64;
    public static final int MAX_BURST_SIZE = 512;

    public EngineConfig
    {
        ports = List.copyOf(ports);
    }

    /** A bump-in-the-wire run over one capture with every other setting at its default. */
    public static EngineConfig forCapture(final Path rx, final Path tx)
    {
        return withDefaults(List.of(new CapturePortConfig("capture", rx, tx)));
    }

    /** A run over these ports with every other setting at its default. */
    public static EngineConfig withDefaults(final List<PortConfig> ports)
    {
        return new EngineConfig(null, DEFAULT_WORKERS, DEFAULT_BURST_SIZE, DEFAULT_RING_SIZE, IdleMode.BACKOFF,
            DEFAULT_PACKET_BUFFERS, ports, FlowConfig.DEFAULT, MalformedAction.FORWARD,
            PacketParser.DEFAULT_MAX_TUNNEL_DEPTH, PacketParser.DEFAULT_MAX_IPV6_EXT_HEADERS, TeredoPorts.DEFAULT, null,
            DpdkConfig.DEFAULT, 0, null, null, null, null, null);
    }

    /** A parser with this configuration's limits and Teredo ports. */
    public PacketParser newParser()
    {
        return new PacketParser(maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts);
    }

    /** True when the ports are DPDK devices (a run never mixes them with capture ports). */
    public boolean usesDpdk()
    {
        return ports.getFirst() instanceof DpdkPortConfig;
    }

    /** The one port that receives. */
    public PortConfig receivingPort()
    {
        for (final PortConfig port : ports)
        {
            if (!(port instanceof DpdkPortConfig dpdkPort) || dpdkPort.receive())
            {
                return port;
            }
        }
        throw new IllegalStateException("no receiving port");
    }

    /** The port named {@code name}. */
    public PortConfig port(final String name)
    {
        for (final PortConfig port : ports)
        {
            if (port.name().equals(name))
            {
                return port;
            }
        }
        throw new IllegalArgumentException("no port named " + name);
    }

    public EngineConfig withWorkers(final int count)
    {
        return new EngineConfig(source, count, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, firewall, control, audit,
            events, ips);
    }

    public EngineConfig withReport(final Path file)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, file, dpdk, durationNs, firewall, control, audit, events,
            ips);
    }

    public EngineConfig withDuration(final long nanoseconds)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, nanoseconds, firewall, control, audit,
            events, ips);
    }

    public EngineConfig withDpdk(final DpdkConfig settings)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, settings, durationNs, firewall, control, audit,
            events, ips);
    }

    public EngineConfig withFirewall(final FirewallConfig settings)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, settings, control, audit,
            events, ips);
    }

    public EngineConfig withFlows(final FlowConfig settings)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, settings, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, firewall, control, audit,
            events, ips);
    }

    public EngineConfig withMalformed(final MalformedAction action)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, action,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, firewall, control, audit,
            events, ips);
    }

    public EngineConfig withControl(final ControlApiConfig settings)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, firewall, settings, audit,
            events, ips);
    }

    public EngineConfig withAudit(final AuditConfig settings)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, firewall, control, settings,
            events, ips);
    }

    public EngineConfig withEvents(final EventsConfig settings)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, firewall, control, audit,
            settings, ips);
    }

    /** The same configuration with {@code settings} as its IPS part. */
    public EngineConfig withIps(final IpsSettings settings)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts, report, dpdk, durationNs, firewall, control, audit,
            events, settings);
    }
}
