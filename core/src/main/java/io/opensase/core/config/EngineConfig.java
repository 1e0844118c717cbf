package io.opensase.core.config;

import io.opensase.classifiers.parse.PacketParser;

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
 * @param report            where to write the JSON run report, or null.
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
    Path report)
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
        return new EngineConfig(null, DEFAULT_WORKERS, DEFAULT_BURST_SIZE, DEFAULT_RING_SIZE, IdleMode.BACKOFF,
            DEFAULT_PACKET_BUFFERS, List.of(new PortConfig("capture", rx, tx)), FlowConfig.DEFAULT,
            MalformedAction.FORWARD, PacketParser.DEFAULT_MAX_TUNNEL_DEPTH, PacketParser.DEFAULT_MAX_IPV6_EXT_HEADERS,
            null);
    }

    public EngineConfig withWorkers(final int count)
    {
        return new EngineConfig(source, count, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, report);
    }

    public EngineConfig withReport(final Path file)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, ports, flows, malformed,
            maxTunnelDepth, maxIpv6ExtHeaders, file);
    }

    public EngineConfig withPorts(final List<PortConfig> replacement)
    {
        return new EngineConfig(source, workers, burstSize, ringSize, idle, packetBuffers, replacement, flows,
            malformed, maxTunnelDepth, maxIpv6ExtHeaders, report);
    }
}
