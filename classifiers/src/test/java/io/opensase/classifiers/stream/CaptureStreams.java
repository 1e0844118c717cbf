package io.opensase.classifiers.stream;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * Reassembles every TCP connection of a capture, read with the project's capture reader and parser: the
 * packets' own bytes go to the reassembler through {@link PacketMemory#ALL} as on the packet path. A
 * connection is its pair of endpoints; direction 0 is the sender of its first packet. A packet whose IP header
 * claims more bytes than the frame holds (malformed {@code ipv4_length} or {@code ipv6_length}, which the packet
 * path would drop) is taken with the payload bytes present, as tshark takes it, so that the comparison is
 * about reassembly.
 */
final class CaptureStreams
{
    /** One connection: its endpoints (0 sent first) and the stream number the reassembler gave it. */
    record Connection(InetSocketAddress node0, InetSocketAddress node1, int stream)
    {
    }

    private static final int TCP = LayerType.TCP.code();
    private static final int IPV4 = LayerType.IPV4.code();
    private static final int IPV6 = LayerType.IPV6.code();

    /** A segment as captured, for checks made apart from the reassembler. */
    record Sent(int stream, int direction, int flags, long seq, byte[] payload)
    {
    }

    final Map<List<InetSocketAddress>, Connection> connections = new LinkedHashMap<>();
    final List<Sent> sent = new ArrayList<>();
    final Recorder sink;
    final TcpReassembler reassembler;

    CaptureStreams(final StreamConfig config)
    {
        sink = new Recorder(config.inspectOverlap());
        reassembler = new TcpReassembler(config);
    }

    /** Reads the whole capture, then closes every stream (giving up holes left). */
    CaptureStreams read(final Path capture) throws IOException
    {
        final PacketParser parser = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(1);
        final MemorySegment mem = PacketMemory.ALL;
        try (CaptureReader reader = Captures.open(capture))
        {
            while (reader.next())
            {
                final long address = reader.dataAddress();
                final int captured = reader.capturedLength();
                parser.parse(mem, address, captured, reader.wireLength(), reader.linkType(), parsed, 0);
                int tcp = -1;
                int ip = -1;
                for (int layer = 0; layer < parsed.layerCount(0); layer++)
                {
                    final int type = parsed.layerType(0, layer);
                    if (IPV4 == type || IPV6 == type)
                    {
                        ip = layer;
                    }
                    else if (TCP == type)
                    {
                        tcp = layer;
                    }
                }
                final Malformed malformed = parsed.malformed(0);
                if (tcp < 0 || Malformed.NONE != malformed && Malformed.IPV4_LENGTH != malformed
                    && Malformed.IPV6_LENGTH != malformed)
                {
                    continue;
                }
                final long ipAt = address + parsed.layerOffset(0, ip);
                final long tcpAt = address + parsed.layerOffset(0, tcp);
                final long ipEnd = IPV4 == parsed.layerType(0, ip) ? ipAt + u16(mem, ipAt + 2)
                    : ipAt + 40 + u16(mem, ipAt + 4);
                final long payloadAt = tcpAt + (u8(mem, tcpAt + 12) >>> 4) * 4L;
                final int length = (int)(Math.min(ipEnd, address + captured) - payloadAt);
                final InetSocketAddress src = endpoint(parsed.ipVersion(0), parsed.srcHi(0), parsed.srcLo(0),
                    parsed.srcPort(0));
                final InetSocketAddress dst = endpoint(parsed.ipVersion(0), parsed.dstHi(0), parsed.dstLo(0),
                    parsed.dstPort(0));
                Connection connection = connections.get(List.of(src, dst));
                int direction = 0;
                if (null == connection)
                {
                    connection = connections.get(List.of(dst, src));
                    direction = 1;
                }
                if (null == connection)
                {
                    connection = new Connection(src, dst, reassembler.open());
                    connections.put(List.of(src, dst), connection);
                    direction = 0;
                }
                sent.add(new Sent(connection.stream(), direction, u8(mem, tcpAt + 13), u32(mem, tcpAt + 4),
                    MemorySegment.ofAddress(payloadAt).reinterpret(Math.max(0, length))
                        .toArray(ValueLayout.JAVA_BYTE)));
                reassembler.segment(connection.stream(), direction, u8(mem, tcpAt + 13), u32(mem, tcpAt + 4),
                    u32(mem, tcpAt + 8), mem, payloadAt, Math.max(0, length), sink);
            }
        }
        for (final Connection connection : connections.values())
        {
            reassembler.close(connection.stream(), sink);
        }
        reassembler.close();
        return this;
    }

    private static InetSocketAddress endpoint(final int version, final long hi, final long lo, final int port)
        throws UnknownHostException
    {
        final byte[] address = 4 == version ? ByteBuffer.allocate(4).putInt((int)lo).array()
            : ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
        return new InetSocketAddress(InetAddress.getByAddress(address), port);
    }
}
