package io.opensase.classifiers.testing;

import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a packet held in a native segment of exactly its captured size, at address 0 of that segment, so that
 * any read past the packet throws instead of passing unnoticed.
 */
public final class ExactParse
{
    private ExactParse()
    {
    }

    public static ParsedPackets parse(final byte[] packet, final LinkType link)
    {
        return parse(new PacketParser(), packet, packet.length, link);
    }

    public static ParsedPackets parse(
        final PacketParser parser, final byte[] packet, final int wireLength, final LinkType link)
    {
        final ParsedPackets parsed = new ParsedPackets(1);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(packet.length, 1);
            MemorySegment.copy(packet, 0, segment, ValueLayout.JAVA_BYTE, 0, packet.length);
            parser.parse(segment, 0, packet.length, wireLength, link, parsed, 0);
        }
        return parsed;
    }

    /** The layers of packet {@code i} as {@code TYPE@offset}, quoted ones as {@code ~TYPE@offset}. */
    public static List<String> layers(final ParsedPackets parsed, final int i)
    {
        final List<String> layers = new ArrayList<>();
        for (int layer = 0; layer < parsed.layerCount(i); layer++)
        {
            final int type = parsed.layerType(i, layer);
            layers.add((LayerType.isQuoted(type) ? "~" : "") + LayerType.of(type) + "@" + parsed.layerOffset(i, layer));
        }
        return layers;
    }
}
