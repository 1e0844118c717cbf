package io.opensase.classifiers.parse;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real packets from every shared capture, re-framed for each link type, mutated and cut at random, and
 * random bytes, parsed from segments of exactly their captured size: the parser must never throw (a read
 * past the packet throws), and what it records must stay inside the packet. Seeded, so a failure replays.
 */
class ParserFuzzTest
{
    private static final long SEED = 0x5EED_F00DL;
    /** Iterations; each frames a mutated input for every link type and parses it as every link type. */
    private static final int ITERATIONS = 8_000;
    private static final int BURST = 8;
    private static final int MAX_PACKET = 70_000;

    private static final List<byte[]> FRAMES = new ArrayList<>();

    @BeforeAll
    static void loadSharedPackets() throws Exception
    {
        for (final Path capture : SharedData.captures())
        {
            try (CaptureReader reader = Captures.open(capture))
            {
                while (reader.next())
                {
                    if (LinkType.ETHERNET == reader.linkType())
                    {
                        FRAMES.add(MemorySegment.ofAddress(reader.dataAddress()).reinterpret(reader.capturedLength())
                            .toArray(ValueLayout.JAVA_BYTE));
                    }
                }
            }
        }
        assertTrue(FRAMES.size() > 1000, "shared Ethernet packets: " + FRAMES.size());
    }

    @Test
    @Timeout(20)
    void shouldNeverThrowNorPointPastThePacketWhateverTheBytes()
    {
        final Random random = new Random(SEED);
        // One looks for Teredo on every UDP port, so that any mutated datagram may go down that path.
        final PacketParser[] parsers = {new PacketParser(), new PacketParser(1, 2), new PacketParser(0, 0),
            new PacketParser(4, 8, TeredoPorts.ANY)};
        final ParsedPackets parsed = new ParsedPackets(BURST);
        final long start = System.nanoTime();
        long parses = 0;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(MAX_PACKET, 1);
            for (int iteration = 0; iteration < ITERATIONS; iteration++)
            {
                // An input framed for each link type, then each parsed as every link type.
                for (final LinkType framing : LinkType.values())
                {
                    final byte[] packet = mutate(random, input(random, framing));
                    final int wire = random.nextBoolean() ? packet.length : packet.length + random.nextInt(3000);
                    final MemorySegment segment = buffer.asSlice(0, packet.length);
                    MemorySegment.copy(packet, 0, segment, ValueLayout.JAVA_BYTE, 0, packet.length);
                    for (final LinkType link : LinkType.values())
                    {
                        final PacketParser parser = parsers[random.nextInt(parsers.length)];
                        final int index = random.nextInt(BURST);
                        try
                        {
                            parser.parse(segment, 0, packet.length, wire, link, parsed, index);
                            checkInvariants(parsed, index, packet.length);
                        }
                        catch (final RuntimeException | AssertionError ex)
                        {
                            fail("iteration " + iteration + " framed as " + framing + " parsed as " + link + " wire "
                                + wire + " packet " + HexFormat.of().formatHex(packet), ex);
                        }
                        parses++;
                    }
                }
            }
        }
        System.out.println("parser fuzz: " + parses + " parses in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private static void checkInvariants(final ParsedPackets parsed, final int i, final int captured)
    {
        final int layers = parsed.layerCount(i);
        assertTrue(layers >= 0 && layers <= ParsedPackets.MAX_LAYERS, "layer count " + layers);
        int previous = -1;
        boolean afterIcmp = false;
        for (int layer = 0; layer < layers; layer++)
        {
            final int offset = parsed.layerOffset(i, layer);
            assertTrue(offset >= 0 && offset < captured, "layer " + layer + " at " + offset + " of " + captured);
            assertTrue(offset > previous, "layer offsets must grow: " + previous + " then " + offset);
            previous = offset;
            final int type = parsed.layerType(i, layer);
            final LayerType decoded = LayerType.of(type);
            assertFalse(LayerType.isQuoted(type) && !afterIcmp, "quoted layer before any ICMP error");
            afterIcmp |= LayerType.ICMP == decoded || LayerType.ICMPV6 == decoded;
        }
        assertEquals(0, parsed.protocols(i) & -(1 << Protocol.all().length), "unknown protocol bits");
        if (FlowKeyKind.NONE != parsed.keyKind(i))
        {
            assertTrue(4 == parsed.ipVersion(i) || 6 == parsed.ipVersion(i), "key without an IP version");
        }
        if (4 == parsed.ipVersion(i))
        {
            assertEquals(0, parsed.srcHi(i));
            assertEquals(0, parsed.srcLo(i) >>> 32);
        }
    }

    /** A shared packet re-framed for {@code link}, or now and then random bytes. */
    private static byte[] input(final Random random, final LinkType link)
    {
        if (random.nextInt(10) == 0)
        {
            final byte[] noise = new byte[random.nextInt(128)];
            random.nextBytes(noise);
            return noise;
        }
        final byte[] frame = FRAMES.get(random.nextInt(FRAMES.size()));
        if (frame.length < 14)
        {
            return frame;
        }
        final byte[] payload = Arrays.copyOfRange(frame, 14, frame.length);
        final byte[] ethertype = Arrays.copyOfRange(frame, 12, 14);
        return switch (link)
        {
            case ETHERNET -> frame;
            case RAW, IPV4, IPV6 -> payload;
            case LINUX_SLL -> join(new byte[] {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0}, ethertype, payload);
            case LINUX_SLL2 -> join(ethertype, new byte[] {0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0},
                payload);
            case NULL -> join(random.nextBoolean() ? new byte[] {2, 0, 0, 0} : new byte[] {0, 0, 0, 30}, payload);
        };
    }

    /** Zero to four mutations: byte changes, length-like 16-bit values, cuts, splices. */
    private static byte[] mutate(final Random random, final byte[] original)
    {
        byte[] packet = original.clone();
        final int mutations = random.nextInt(5);
        for (int m = 0; m < mutations && packet.length > 0; m++)
        {
            final int at = random.nextInt(packet.length);
            switch (random.nextInt(6))
            {
                case 0 -> packet[at] = (byte)random.nextInt(256);
                case 1 -> packet[at] = random.nextBoolean() ? 0 : (byte)0xFF;
                case 2 ->
                {
                    final int value = random.nextBoolean() ? random.nextInt(64) : 0xFFFF - random.nextInt(64);
                    packet[at] = (byte)(value >>> 8);
                    if (at + 1 < packet.length)
                    {
                        packet[at + 1] = (byte)value;
                    }
                }
                case 3 -> packet = Arrays.copyOf(packet, random.nextInt(packet.length + 1));
                case 4 ->
                {
                    final byte[] donor = FRAMES.get(random.nextInt(FRAMES.size()));
                    final int length = Math.min(random.nextInt(64), Math.min(donor.length, packet.length - at));
                    System.arraycopy(donor, random.nextInt(donor.length - length + 1), packet, at, length);
                }
                default -> packet[at] ^= (byte)(1 << random.nextInt(8));
            }
        }
        return packet;
    }

    private static byte[] join(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] joined = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, joined, at, part.length);
            at += part.length;
        }
        return joined;
    }
}
