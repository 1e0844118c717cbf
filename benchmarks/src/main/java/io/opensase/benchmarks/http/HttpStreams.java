package io.opensase.benchmarks.http;

import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.app.http.HttpDetector;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP streams of the shared captures, built at setup: every TCP flow whose first payload from one side
 * starts with a request method, its segments put in order by sequence number (a segment starting before the
 * next expected byte is trimmed, one starting after it leaves a gap), kept in capture order as a list of
 * feeds into one native buffer.
 */
final class HttpStreams
{
    /** One feed: flow index, direction (0 client), and either bytes at [offset, offset+length) or a gap. */
    record Feed(int flow, int direction, long offset, int length, long gap)
    {
    }

    final MemorySegment bytes;
    final List<Feed> feeds;
    final int flows;

    private HttpStreams(final MemorySegment bytes, final List<Feed> feeds, final int flows)
    {
        this.bytes = bytes;
        this.feeds = feeds;
        this.flows = flows;
    }

    long payloadBytes()
    {
        return feeds.stream().mapToLong(Feed::length).sum();
    }

    /** Per TCP flow direction: the next sequence number expected (-1 before the first payload). */
    private static final class Direction
    {
        long next = -1;
    }

    private static final class Flow
    {
        final int index;
        final String clientSide;
        final Direction[] directions = {new Direction(), new Direction()};

        Flow(final int index, final String clientSide)
        {
            this.index = index;
            this.clientSide = clientSide;
        }
    }

    static HttpStreams load(final Arena arena) throws IOException
    {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final List<Feed> feeds = new ArrayList<>();
        final Map<String, Flow> flows = new HashMap<>();
        final PacketParser parser = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(1);
        for (final Path file : SharedData.captures(SharedData.ALL))
        {
            try (CaptureReader reader = Captures.open(file))
            {
                while (reader.next())
                {
                    if (null == reader.linkType())
                    {
                        continue;
                    }
                    final long address = reader.dataAddress();
                    parser.parse(PacketMemory.ALL, address, reader.capturedLength(), reader.wireLength(),
                        reader.linkType(), parsed, 0);
                    final int tcp = tcpOffset(parsed);
                    if (tcp < 0 || 6 != parsed.ipProtocol(0))
                    {
                        continue;
                    }
                    final int headerLength = 4 * ((PacketMemory.u8(PacketMemory.ALL, address + tcp + 12) >> 4) & 0xF);
                    final int start = tcp + headerLength;
                    final int length = reader.capturedLength() - start;
                    if (headerLength < 20 || length <= 0)
                    {
                        continue;
                    }
                    final String a = file + "/" + parsed.srcHi(0) + ":" + parsed.srcLo(0) + ":" + parsed.srcPort(0);
                    final String b = file + "/" + parsed.dstHi(0) + ":" + parsed.dstLo(0) + ":" + parsed.dstPort(0);
                    final String key = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
                    Flow flow = flows.get(key);
                    if (null == flow)
                    {
                        final MemorySegment first = PacketMemory.ALL.asSlice(address + start, length);
                        if (!HttpDetector.looksLikeRequest(first, 0, length))
                        {
                            flows.put(key, new Flow(-1, ""));
                            continue;
                        }
                        flow = new Flow((int)flows.values().stream().filter(f -> f.index >= 0).count(), a);
                        flows.put(key, flow);
                    }
                    if (flow.index < 0)
                    {
                        continue;
                    }
                    final int direction = flow.clientSide.equals(a) ? 0 : 1;
                    final long seq = PacketMemory.u32(PacketMemory.ALL, address + tcp + 4) & 0xFFFF_FFFFL;
                    final Direction side = flow.directions[direction];
                    long skip = 0;
                    if (side.next >= 0)
                    {
                        final long ahead = (seq - side.next) & 0xFFFF_FFFFL;
                        if (ahead >= 1L << 31)
                        {
                            skip = (side.next - seq) & 0xFFFF_FFFFL;
                        }
                        else if (ahead > 0)
                        {
                            feeds.add(new Feed(flow.index, direction, 0, 0, ahead));
                        }
                    }
                    if (skip >= length)
                    {
                        continue;
                    }
                    final byte[] bytes = new byte[(int)(length - skip)];
                    MemorySegment.copy(PacketMemory.ALL, ValueLayout.JAVA_BYTE, address + start + skip, bytes, 0,
                        bytes.length);
                    feeds.add(new Feed(flow.index, direction, data.size(), bytes.length, 0));
                    data.writeBytes(bytes);
                    side.next = (seq + length) & 0xFFFF_FFFFL;
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                // A capture cut short keeps the packets read before the fault.
            }
        }
        final byte[] all = data.toByteArray();
        final MemorySegment memory = arena.allocate(Math.max(1, all.length), 64);
        MemorySegment.copy(all, 0, memory, ValueLayout.JAVA_BYTE, 0, all.length);
        final int count = (int)flows.values().stream().filter(f -> f.index >= 0).count();
        return new HttpStreams(memory, feeds, count);
    }

    /** Offset of the packet's own (not quoted) TCP header, or -1. */
    private static int tcpOffset(final ParsedPackets parsed)
    {
        for (int layer = parsed.layerCount(0) - 1; layer >= 0; layer--)
        {
            final int stored = parsed.layerType(0, layer);
            if (LayerType.isQuoted(stored))
            {
                continue;
            }
            return LayerType.TCP == LayerType.of(stored) ? parsed.layerOffset(0, layer) : -1;
        }
        return -1;
    }
}
