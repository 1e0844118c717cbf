package io.opensase.core.testing;

import io.opensase.classifiers.testing.Tools;
import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.EngineConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test input built by an independent tool: packets written by scapy from a Python list expression, and a
 * configuration file around them, so that a test states its traffic and its policy as an operator would.
 */
public final class Scenario
{
    /** Packet times start here (2026-01-01T00:00:00Z), one millisecond apart unless a packet sets its own. */
    public static final long T0 = 1_767_225_600L;
    /** An Ethernet header with both MAC addresses set, so that scapy resolves no address to build the frame. */
    public static final String ETHER = "Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')";

    private static final String WRITER = """
        import sys
        from scapy.all import *
        from scapy.layers.inet6 import *
        TIMED = {}
        def at(seconds, packet):
            TIMED[id(packet)] = %d + seconds
            return packet
        P = [%s]
        for i, p in enumerate(P):
            p.time = TIMED.get(id(p), %d + i * 0.001)
        wrpcap(sys.argv[1], P)
        """;

    private Scenario()
    {
    }

    /**
     * Writes {@code packets}, a Python list body of scapy packets (one per line, comma-separated), to
     * {@code file}; {@code at(seconds, packet)} gives a packet its own time after {@link #T0}.
     */
    public static Path pcap(final Path file, final String packets)
    {
        Tools.python(WRITER.formatted(T0, packets, T0), file.toString());
        return file;
    }

    /** A one-port configuration reading {@code in}, writing {@code out}, with {@code sections} appended. */
    public static EngineConfig config(final Path dir, final Path in, final Path out, final String sections)
        throws IOException, ConfigException
    {
        final Path file = dir.resolve("opensase.yaml");
        Files.writeString(file, """
            ports:
              - name: branch
                type: pcap
                rx: %s
                tx: %s
            """.formatted(in, out) + sections);
        return ConfigLoader.load(file);
    }
}
