package io.opensase.classifiers.parse;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser's straight-line path for plain Ethernet/IPv4/TCP or UDP must give exactly what the general walk
 * gives: every shared packet, and many mutations of them (flipped bytes in the headers, cut lengths), are
 * parsed both ways and every result compared.
 */
class FastPathEquivalenceTest
{
    private static final int MUTATIONS_PER_PACKET = 40;

    @Test
    void shouldGiveTheGeneralWalksResultsOnSharedAndMutatedPackets() throws IOException
    {
        final PacketParser fast = new PacketParser(4, 8, TeredoPorts.DEFAULT, true);
        final PacketParser general = new PacketParser(4, 8, TeredoPorts.DEFAULT, false);
        final ParsedPackets a = new ParsedPackets(1);
        final ParsedPackets b = new ParsedPackets(1);
        final Random random = new Random(20261204);
        int compared = 0;
        int plain = 0;
        try (Arena arena = Arena.ofConfined())
        {
            for (final byte[] original : ethernetPackets())
            {
                for (int m = 0; m <= MUTATIONS_PER_PACKET; m++)
                {
                    final byte[] packet = 0 == m ? original : mutate(original, random);
                    final MemorySegment exact = arena.allocate(Math.max(1, packet.length));
                    MemorySegment.copy(packet, 0, exact, ValueLayout.JAVA_BYTE, 0, packet.length);
                    final int wire = packet.length + (random.nextInt(4) == 0 ? random.nextInt(100) : 0);
                    fast.parse(exact, 0, packet.length, wire, LinkType.ETHERNET, a, 0);
                    general.parse(exact, 0, packet.length, wire, LinkType.ETHERNET, b, 0);
                    assertSame(a, b, "packet " + compared);
                    compared++;
                    plain += isPlain(a) ? 1 : 0;
                }
            }
        }
        assertTrue(plain > 1000, "the straight-line path was taken " + plain + " times of " + compared);
    }

    private static boolean isPlain(final ParsedPackets parsed)
    {
        return 3 == parsed.layerCount(0) && LayerType.IPV4 == LayerType.of(parsed.layerType(0, 1))
            && !parsed.isMalformed(0);
    }

    private static void assertSame(final ParsedPackets a, final ParsedPackets b, final String what)
    {
        assertEquals(b.protocols(0), a.protocols(0), what + " protocols");
        assertEquals(b.malformed(0), a.malformed(0), what + " malformed");
        assertEquals(b.isSnapTruncated(0), a.isSnapTruncated(0), what + " snap");
        assertEquals(b.layerCount(0), a.layerCount(0), what + " layers");
        for (int l = 0; l < a.layerCount(0); l++)
        {
            assertEquals(b.layerType(0, l), a.layerType(0, l), what + " layer type " + l);
            assertEquals(b.layerOffset(0, l), a.layerOffset(0, l), what + " layer offset " + l);
        }
        assertEquals(b.keyKind(0), a.keyKind(0), what + " key kind");
        if (b.keyKind(0) != 0)
        {
            assertEquals(b.ipVersion(0), a.ipVersion(0), what + " ip version");
            assertEquals(b.ipProtocol(0), a.ipProtocol(0), what + " protocol");
            assertEquals(b.srcHi(0), a.srcHi(0), what + " src");
            assertEquals(b.srcLo(0), a.srcLo(0), what + " src");
            assertEquals(b.dstHi(0), a.dstHi(0), what + " dst");
            assertEquals(b.dstLo(0), a.dstLo(0), what + " dst");
            assertEquals(b.srcPort(0), a.srcPort(0), what + " src port");
            assertEquals(b.dstPort(0), a.dstPort(0), what + " dst port");
        }
        assertEquals(b.vlanOuter(0), a.vlanOuter(0), what + " outer vlan");
        assertEquals(b.vlanInner(0), a.vlanInner(0), what + " inner vlan");
        assertEquals(b.tunnelId(0), a.tunnelId(0), what + " tunnel");
    }

    /** Flips a few bytes among the first 60 (the headers the straight-line path reads), or cuts the packet. */
    private static byte[] mutate(final byte[] original, final Random random)
    {
        if (random.nextInt(5) == 0)
        {
            return java.util.Arrays.copyOf(original, random.nextInt(original.length + 1));
        }
        final byte[] packet = original.clone();
        final int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips && packet.length > 0; f++)
        {
            packet[random.nextInt(Math.min(60, packet.length))] = (byte)random.nextInt(256);
        }
        return packet;
    }

    private static List<byte[]> ethernetPackets() throws IOException
    {
        final List<byte[]> packets = new ArrayList<>();
        for (final Path capture : SharedData.captures())
        {
            try (CaptureReader reader = Captures.open(capture))
            {
                while (reader.next())
                {
                    if (reader.linkType() == LinkType.ETHERNET)
                    {
                        packets.add(MemorySegment.ofAddress(reader.dataAddress()).reinterpret(reader.capturedLength())
                            .toArray(ValueLayout.JAVA_BYTE));
                    }
                }
            }
        }
        return packets;
    }
}
