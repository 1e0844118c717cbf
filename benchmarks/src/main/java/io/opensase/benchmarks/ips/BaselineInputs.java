package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.PacketSet;
import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.ips.match.Literal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes the inputs of {@link IpsPathBenchmark#baseline} for {@code hs-baseline.c}, which runs the same scan
 * through Hyperscan's C API: {@code literals.txt}, one literal per fast pattern of the shared ET Open rules
 * ({@code ID NOCASE HEX} per line), and {@code payloads.bin}, each Ethernet packet of the shared captures in
 * the benchmark's order as a little-endian 32-bit length and its TCP or UDP payload (length 0 for a packet
 * without one, so that per-packet figures divide by the same count).
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.opensase.benchmarks.ips.BaselineInputs DIR}
 */
public final class BaselineInputs
{
    private BaselineInputs()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: BaselineInputs DIR");
            System.exit(2);
        }
        final Path dir = Files.createDirectories(Path.of(args[0]));
        final List<Literal> literals = IpsData.literals(IpsData.etOpen().rules(), IpsData.ALL);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(dir.resolve("literals.txt"),
            StandardCharsets.US_ASCII)))
        {
            for (final Literal literal : literals)
            {
                out.printf("%d %d %s%n", literal.id(), literal.nocase() ? 1 : 0,
                    HexFormat.of().formatHex(literal.bytes()));
            }
        }
        long bytes = 0;
        int packets = 0;
        try (PacketSet set = PacketSet.load(SharedData.captures(SharedData.ALL), LinkType.ETHERNET::equals);
            OutputStream file = Files.newOutputStream(dir.resolve("payloads.bin"));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file)))
        {
            final PacketParser parser = new PacketParser();
            final ParsedPackets parsed = new ParsedPackets(1);
            for (int i = 0; i < set.count(); i++)
            {
                final int length = Math.min(set.captured(i), JavaPacketPool.DATA_ROOM);
                parser.parse(PacketMemory.ALL, set.address(i), length, set.wire(i), LinkType.ETHERNET, parsed, 0);
                final int start = IpsData.payloadStart(parsed, set.address(i));
                final int payload = start > 0 && start < length ? length - start : 0;
                out.writeInt(Integer.reverseBytes(payload));
                final byte[] data = new byte[payload];
                MemorySegment.copy(PacketMemory.ALL, ValueLayout.JAVA_BYTE, set.address(i) + start, data, 0, payload);
                out.write(data);
                bytes += payload;
                packets++;
            }
        }
        System.out.printf("%d literals, %d packets, %d payload bytes (%.1f per packet) in %s%n", literals.size(),
            packets, bytes, (double)bytes / packets, dir);
    }
}
