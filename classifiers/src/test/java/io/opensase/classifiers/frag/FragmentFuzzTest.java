package io.opensase.classifiers.frag;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.testing.Frames;
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

import static io.opensase.classifiers.frag.FragmentReassembler.COMPLETE;
import static io.opensase.classifiers.frag.FragmentReassembler.DROPPED;
import static io.opensase.classifiers.frag.FragmentReassembler.HELD;
import static io.opensase.classifiers.frag.FragmentReassembler.NOT_FRAGMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random and mutated fragments, offered to reassemblers with small limits under every policy, each packet
 * parsed and offered from a segment of exactly its size (a read past the packet throws): the reassembler must
 * never throw, must account for every fragment, must never hold more than its memory cap, and every datagram
 * it completes must fit its buffer and parse. Seeded, so a failure replays.
 */
class FragmentFuzzTest
{
    private static final long SEED = 0xF4A6_5EEDL;
    private static final int ROUNDS = 1000;
    private static final int PACKETS_PER_ROUND = 300;
    private static final List<byte[]> SHARED = new ArrayList<>();

    @BeforeAll
    static void loadSharedFragments() throws Exception
    {
        for (final String name : new String[] {"pcap/fragments", "pcap/mixed"})
        {
            for (final Path capture : SharedData.captures())
            {
                if (!SharedData.name(capture).startsWith(name))
                {
                    continue;
                }
                try (CaptureReader reader = Captures.open(capture))
                {
                    while (reader.next())
                    {
                        if (LinkType.ETHERNET == reader.linkType())
                        {
                            SHARED.add(MemorySegment.ofAddress(reader.dataAddress())
                                .reinterpret(reader.capturedLength()).toArray(ValueLayout.JAVA_BYTE));
                        }
                    }
                }
            }
        }
        assertTrue(SHARED.size() > 100, "shared Ethernet packets: " + SHARED.size());
    }

    @Test
    @Timeout(30)
    void shouldNeverThrowNorReadPastAPacketNorExceedItsMemory()
    {
        final Random random = new Random(SEED);
        final PacketParser parser = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(4);
        final ParsedPackets reparsed = new ParsedPackets(1);
        final long start = System.nanoTime();
        long offers = 0;
        long completed = 0;
        final long[] outcomes = new long[4];
        final long[] reasons = new long[FragmentDrop.count()];
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(70_000, 1);
            for (int round = 0; round < ROUNDS; round++)
            {
                final ReassemblyConfig config = randomConfig(random);
                try (FragmentReassembler reassembler = new FragmentReassembler(config))
                {
                    long nowNs = random.nextInt(1000);
                    final List<byte[]> pool = new ArrayList<>();
                    for (int p = 0; p < PACKETS_PER_ROUND; p++)
                    {
                        final byte[] packet = mutate(random, input(random, pool));
                        final LinkType link = packet.length > 0 && (packet[0] & 0xF0) >= 0x40 && random.nextBoolean()
                            ? LinkType.RAW : LinkType.ETHERNET;
                        final int tenant = random.nextInt(3);
                        nowNs += random.nextInt(4) == 0 ? random.nextInt(2_000_000_000) : random.nextInt(1000);
                        final MemorySegment segment = buffer.asSlice(0, packet.length);
                        MemorySegment.copy(packet, 0, segment, ValueLayout.JAVA_BYTE, 0, packet.length);
                        final int index = random.nextInt(parsed.capacity());
                        try
                        {
                            parser.parse(segment, 0, packet.length, packet.length, link, parsed, index);
                            final int status = reassembler.offer(parsed, index, segment, 0, packet.length, tenant,
                                nowNs);
                            outcomes[status]++;
                            assertEquals(DROPPED == status, FragmentDrop.NONE != reassembler.dropReason(),
                                "a drop reason exactly when dropped");
                            check(reassembler, status, parser, reparsed);
                            if (COMPLETE == status)
                            {
                                completed++;
                            }
                            if (random.nextInt(50) == 0)
                            {
                                reassembler.expire(nowNs, random.nextInt(4));
                                check(reassembler, NOT_FRAGMENT, parser, reparsed);
                            }
                        }
                        catch (final RuntimeException | AssertionError ex)
                        {
                            fail("round " + round + " packet " + p + " " + config + " as " + link + ": "
                                + HexFormat.of().formatHex(packet), ex);
                        }
                        offers++;
                    }
                    reassembler.expire(Long.MAX_VALUE, Integer.MAX_VALUE);
                    for (final FragmentDrop reason : FragmentDrop.values())
                    {
                        reasons[reason.ordinal()] += reassembler.dropped(reason);
                    }
                    assertEquals(0, reassembler.datagramsInProgress());
                    assertEquals(0, reassembler.heldBytes());
                    assertEquals(0, reassembler.fragmentsInProgress());
                }
            }
        }
        System.out.println("fragment fuzz: " + offers + " offers (not fragment " + outcomes[NOT_FRAGMENT] + ", held "
            + outcomes[HELD] + ", complete " + outcomes[COMPLETE] + ", dropped " + outcomes[DROPPED] + ") in "
            + (System.nanoTime() - start) / 1_000_000 + " ms; drops " + Arrays.toString(reasons));
        assertTrue(completed > 1000, "datagrams completed: " + completed);
        assertTrue(outcomes[DROPPED] > 1000, "drops: " + outcomes[DROPPED]);
    }

    private static void check(
        final FragmentReassembler reassembler,
        final int status,
        final PacketParser parser,
        final ParsedPackets reparsed)
    {
        assertTrue(status >= NOT_FRAGMENT && status <= DROPPED, "status " + status);
        assertTrue(reassembler.heldBytes() <= reassembler.capacityBytes(), "memory cap");
        assertTrue(reassembler.heldBytes() >= 0 && reassembler.fragmentsInProgress() >= 0);
        assertEquals(reassembler.fragments(), reassembler.fragmentsReassembled() + reassembler.discarded()
            + reassembler.fragmentsInProgress(), "every fragment accounted for");
        assertTrue(reassembler.datagramsInProgress() <= reassembler.config().maxDatagrams());
        if (COMPLETE == status)
        {
            final int length = reassembler.datagramLength();
            assertTrue(length >= 20 && length <= FragmentReassembler.MAX_DATAGRAM_BYTES, "length " + length);
            final byte[] datagram = reassembler.datagram().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            final int claimed = 4 == (datagram[0] & 0xFF) >>> 4
                ? (datagram[2] & 0xFF) << 8 | datagram[3] & 0xFF
                : 40 + ((datagram[4] & 0xFF) << 8 | datagram[5] & 0xFF);
            assertEquals(length, claimed, "the length field says the datagram's length");
            if (4 == (datagram[0] & 0xFF) >>> 4)
            {
                assertEquals(0, Frames.checksum(Arrays.copyOf(datagram, (datagram[0] & 0x0F) * 4)), "checksum");
                assertEquals(0, (datagram[6] & 0x3F) | datagram[7], "MF and offset cleared");
            }
            try (Arena exact = Arena.ofConfined())
            {
                final MemorySegment segment = exact.allocate(length, 1);
                MemorySegment.copy(datagram, 0, segment, ValueLayout.JAVA_BYTE, 0, length);
                parser.parse(segment, 0, length, length, reassembler.datagramLinkType(), reparsed, 0);
            }
            assertNotEquals(0, reparsed.ipVersion(0), "the datagram parses as IP");
        }
    }

    private static ReassemblyConfig randomConfig(final Random random)
    {
        final OverlapPolicy[] policies = OverlapPolicy.values();
        return new ReassemblyConfig(1 + random.nextInt(24),
            ReassemblyConfig.MIN_BYTES + random.nextInt(40) * (long)FragmentReassembler.CHUNK_BYTES,
            1 + random.nextInt(40), 1 + random.nextInt(1_500_000_000) * 2L,
            policies[random.nextInt(policies.length)],
            random.nextBoolean() ? LimitPolicy.DROP_OLDEST : LimitPolicy.REFUSE_NEW, random.nextInt(4) == 0);
    }

    /** A fragment of a recent datagram, a shared packet, a fresh set of fragments, or noise. */
    private static byte[] input(final Random random, final List<byte[]> pool)
    {
        if (pool.isEmpty() || random.nextInt(6) == 0)
        {
            pool.clear();
            pool.addAll(freshFragments(random));
        }
        final int pick = random.nextInt(20);
        if (pick == 0)
        {
            final byte[] noise = new byte[random.nextInt(80)];
            random.nextBytes(noise);
            return noise;
        }
        if (pick < 4)
        {
            return SHARED.get(random.nextInt(SHARED.size()));
        }
        return pool.get(random.nextInt(pool.size()));
    }

    /** A datagram of random size cut into fragments (some overlapping), framed as Ethernet, VLAN or raw IP. */
    private static List<byte[]> freshFragments(final Random random)
    {
        final boolean v6 = random.nextBoolean();
        final int id = random.nextInt(4);
        final int protocol = new int[] {6, 17, 1, 58, 132, 253}[random.nextInt(6)];
        final int length = 1 + random.nextInt(random.nextInt(8) == 0 ? 66_000 : 3000);
        final byte[] payload = new byte[length];
        random.nextBytes(payload);
        final int size = 8 * (1 + random.nextInt(200));
        final List<byte[]> fragments = new ArrayList<>();
        for (int at = 0; at < length; at += size)
        {
            final int from = at > 0 && random.nextInt(5) == 0 ? at - 8 : at;
            final int end = Math.min(length, at + size);
            final byte[] bytes = Arrays.copyOfRange(payload, from, end);
            fragments.add(frame(random, v6 ? Fragments.ipv6(id, protocol, from, end < length, bytes)
                : Fragments.ipv4(id, protocol, from & 0xFFF8, end < length, bytes)));
            if (fragments.size() > 100)
            {
                break;
            }
        }
        return fragments;
    }

    private static byte[] frame(final Random random, final byte[] ip)
    {
        final int ethertype = (ip[0] & 0xF0) == 0x60 ? 0x86DD : 0x0800;
        return switch (random.nextInt(3))
        {
            case 0 -> ip;
            case 1 -> Frames.concat(Frames.ethernet(ethertype), ip);
            default -> Frames.concat(Frames.ethernet(0x8100), Frames.tag(7, ethertype), ip);
        };
    }

    /** Zero to three mutations aimed at the fields reassembly reads: flags, offsets, lengths, ids; and cuts. */
    private static byte[] mutate(final Random random, final byte[] original)
    {
        byte[] packet = original.clone();
        final int mutations = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0;
        for (int m = 0; m < mutations && packet.length > 0; m++)
        {
            final int at = random.nextInt(Math.min(packet.length, 80));
            switch (random.nextInt(5))
            {
                case 0 -> packet[at] = (byte)random.nextInt(256);
                case 1 -> packet[at] ^= (byte)(1 << random.nextInt(8));
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
                default -> packet = Arrays.copyOf(packet, packet.length + random.nextInt(40));
            }
        }
        return packet;
    }
}
