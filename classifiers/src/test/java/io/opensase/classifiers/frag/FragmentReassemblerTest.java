package io.opensase.classifiers.frag;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.testing.ExactParse;
import io.opensase.classifiers.testing.Frames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.opensase.classifiers.frag.FragmentReassembler.COMPLETE;
import static io.opensase.classifiers.frag.FragmentReassembler.DROPPED;
import static io.opensase.classifiers.frag.FragmentReassembler.HELD;
import static io.opensase.classifiers.frag.FragmentReassembler.NOT_FRAGMENT;
import static io.opensase.classifiers.frag.Fragments.TCP;
import static io.opensase.classifiers.frag.Fragments.UDP;
import static io.opensase.classifiers.frag.Fragments.ipv4;
import static io.opensase.classifiers.frag.Fragments.ipv6;
import static io.opensase.classifiers.frag.Fragments.pattern;
import static io.opensase.classifiers.frag.Fragments.slice;
import static io.opensase.classifiers.testing.Frames.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-built fragments in every order, for IPv4 and IPv6: the reassembled datagram is the original one, byte
 * for byte, and datagrams of different tenants, identifications, protocols and addresses never mix.
 */
class FragmentReassemblerTest
{
    private static final int ID = 0x4242;

    /** A UDP datagram of {@code length} payload bytes (UDP header included), cut into 1,480-byte fragments. */
    private static List<byte[]> ipv4Fragments(final int id, final byte[] payload, final int size)
    {
        final List<byte[]> fragments = new ArrayList<>();
        for (int offset = 0; offset < payload.length; offset += size)
        {
            final int end = Math.min(payload.length, offset + size);
            fragments.add(ipv4(id, UDP, offset, end < payload.length, slice(payload, offset, end)));
        }
        return fragments;
    }

    private static List<byte[]> ipv6Fragments(final long id, final byte[] payload, final int size)
    {
        final List<byte[]> fragments = new ArrayList<>();
        for (int offset = 0; offset < payload.length; offset += size)
        {
            final int end = Math.min(payload.length, offset + size);
            fragments.add(ipv6(id, UDP, offset, end < payload.length, slice(payload, offset, end)));
        }
        return fragments;
    }

    /** The datagram the fragments came from: as sent, with no fragmentation fields. */
    private static byte[] ipv4Datagram(final int id, final byte[] payload)
    {
        return ipv4(id, UDP, 0, false, payload);
    }

    private static byte[] ipv6Datagram(final byte[] payload)
    {
        return concat(Frames.ipv6(UDP, Fragments.SRC6, Fragments.DST6, payload.length), payload);
    }

    private static void offerAll(final Harness harness, final List<byte[]> fragments)
    {
        for (int f = 0; f < fragments.size(); f++)
        {
            final int status = harness.offer(fragments.get(f));
            assertEquals(f == fragments.size() - 1 ? COMPLETE : HELD, status, "fragment " + f);
        }
    }

    @Test
    void shouldReassembleIpv4InOrderReversedAndShuffled()
    {
        final byte[] payload = pattern(3, 5000);
        final byte[] expected = ipv4Datagram(ID, payload);
        final List<byte[]> inOrder = ipv4Fragments(ID, payload, 1480);
        final List<byte[]> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed);
        final List<byte[]> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, new Random(7));
        for (final List<byte[]> order : List.of(inOrder, reversed, shuffled))
        {
            try (Harness harness = new Harness(OverlapPolicy.FIRST))
            {
                offerAll(harness, order);
                assertArrayEquals(expected, harness.lastDatagram);
                assertEquals(LinkType.IPV4, harness.reassembler.datagramLinkType());
                assertEquals(1, harness.reassembler.reassembled());
                assertEquals(order.size(), harness.reassembler.fragmentsReassembled());
                assertEquals(0, harness.reassembler.datagramsInProgress());
                assertEquals(0, harness.reassembler.heldBytes());
                harness.checkAccounting();
            }
        }
    }

    @Test
    void shouldReassembleIpv6InOrderReversedAndShuffled()
    {
        final byte[] payload = pattern(9, 4000);
        final byte[] expected = ipv6Datagram(payload);
        final List<byte[]> inOrder = ipv6Fragments(0xDEADBEEFL, payload, 1232);
        final List<byte[]> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed);
        final List<byte[]> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, new Random(11));
        for (final List<byte[]> order : List.of(inOrder, reversed, shuffled))
        {
            try (Harness harness = new Harness(OverlapPolicy.FIRST))
            {
                offerAll(harness, order);
                assertArrayEquals(expected, harness.lastDatagram);
                assertEquals(LinkType.IPV6, harness.reassembler.datagramLinkType());
                harness.checkAccounting();
            }
        }
    }

    @Test
    void shouldSetTotalLengthFlagsAndChecksumOfIpv4HeaderWithOptionsKeepingDf()
    {
        // Record-route option (7, length 7, pointer 4) and an End: 8 bytes, copied by the first fragment.
        final byte[] options = Frames.hex("07 07 04 00000000 00");
        final byte[] payload = concat(Frames.udp(1, 2, 64), pattern(1, 56));
        final byte[] first = ipv4(Fragments.SRC4, Fragments.DST4, ID, UDP, 0, true, options, slice(payload, 0, 32));
        // DF set on the first fragment too: kept in the datagram (as Linux keeps it).
        first[6] |= 0x40;
        fixChecksum(first, 28);
        final byte[] last = ipv4(Fragments.SRC4, Fragments.DST4, ID, UDP, 32, false, new byte[0],
            slice(payload, 32, 64));

        try (Harness harness = new Harness(OverlapPolicy.FIRST))
        {
            assertEquals(HELD, harness.offer(last));
            assertEquals(COMPLETE, harness.offer(first));
            final byte[] datagram = harness.lastDatagram;
            assertEquals(28 + 64, datagram.length);
            assertEquals(0x47, datagram[0] & 0xFF, "version 4, IHL 7");
            assertEquals(28 + 64, (datagram[2] & 0xFF) << 8 | datagram[3] & 0xFF, "total length");
            assertEquals(0x4000, (datagram[6] & 0xFF) << 8 | datagram[7] & 0xFF, "DF kept, MF and offset cleared");
            assertEquals(0, Frames.checksum(slice(datagram, 0, 28)), "header checksum");
            assertArrayEquals(slice(first, 12, 28), slice(datagram, 12, 28), "addresses and options");
            assertArrayEquals(payload, slice(datagram, 28, datagram.length));
            assertFalse(ExactParse.parse(datagram, LinkType.IPV4).isMalformed(0));
        }
    }

    private static void fixChecksum(final byte[] packet, final int headerLength)
    {
        packet[10] = 0;
        packet[11] = 0;
        final int checksum = Frames.checksum(slice(packet, 0, headerLength));
        packet[10] = (byte)(checksum >>> 8);
        packet[11] = (byte)checksum;
    }

    @Test
    void shouldKeepUnfragmentableIpv6HeadersAndRemoveTheFragmentHeader()
    {
        // Hop-by-hop (8 bytes, next: routing) and a type-0-free routing header (type 4 segment routing shape,
        // 24 bytes, next: fragment) before the fragment header; destination options after it, in the payload.
        final byte[] hopByHop = concat(new byte[] {43, 0}, Frames.hex("0104 00000000"));
        final byte[] routing = concat(new byte[] {44, 2, 4, 0}, Frames.hex("00000000"), Frames.ip("2001:db8::9"));
        final byte[] unfragmentable = concat(hopByHop, routing);
        final byte[] payload = concat(Frames.ipv6Options(UDP, 0), Frames.udp(53, 5353, 8 + 200), pattern(5, 200));
        final byte[] f1 = ipv6(Fragments.SRC6, Fragments.DST6, 77, 60, 0, true, unfragmentable, 0,
            slice(payload, 0, 112));
        final byte[] f2 = ipv6(Fragments.SRC6, Fragments.DST6, 77, 60, 112, false, unfragmentable, 0,
            slice(payload, 112, payload.length));

        try (Harness harness = new Harness(OverlapPolicy.FIRST))
        {
            assertEquals(HELD, harness.offer(f2));
            assertEquals(COMPLETE, harness.offer(f1));
            final byte[] hopByHopToDestination = hopByHop.clone();
            final byte[] routingToDestination = routing.clone();
            routingToDestination[0] = 60;
            final byte[] expected = concat(Frames.ipv6(0, Fragments.SRC6, Fragments.DST6,
                unfragmentable.length + payload.length), hopByHopToDestination, routingToDestination, payload);
            assertArrayEquals(expected, harness.lastDatagram);
            assertFalse(ExactParse.parse(harness.lastDatagram, LinkType.IPV6).isMalformed(0));
        }
    }

    @Test
    void shouldReassembleInnermostHeaderOfGreTunnelAndVlanFrames()
    {
        final byte[] payload = pattern(2, 600);
        final byte[] expected = ipv4Datagram(ID, payload);
        final byte[] outer = concat(Frames.ethernet(0x8100), Frames.tag(10, 0x0800));
        final List<byte[]> frames = new ArrayList<>();
        for (final byte[] fragment : ipv4Fragments(ID, payload, 256))
        {
            final byte[] gre = Frames.hex("0000 0800");
            frames.add(concat(outer, ipv4(Fragments.SRC4.replace(".1", ".7"), "203.0.113.9", 5, 47, 0, false,
                new byte[0], concat(gre, fragment))));
        }
        Collections.reverse(frames);
        try (Harness harness = new Harness(OverlapPolicy.FIRST))
        {
            for (int f = 0; f < frames.size(); f++)
            {
                assertEquals(f == frames.size() - 1 ? COMPLETE : HELD, harness.offer(frames.get(f),
                    LinkType.ETHERNET, f));
            }
            assertArrayEquals(expected, harness.lastDatagram);
        }
    }

    @Test
    void shouldKeepTenantsIdentificationsProtocolsAndAddressesApart()
    {
        final byte[] a = pattern(1, 16);
        final byte[] b = pattern(2, 16);
        try (Harness harness = new Harness(OverlapPolicy.DROP))
        {
            // Each first half has a twin differing in one key field; no second half completes another's datagram.
            harness.tenant = 1;
            assertEquals(HELD, harness.offer(ipv4(ID, UDP, 0, true, slice(a, 0, 8))));
            harness.tenant = 2;
            assertEquals(HELD, harness.offer(ipv4(ID, UDP, 0, true, slice(b, 0, 8))));
            assertEquals(HELD, harness.offer(ipv4(ID + 1, UDP, 0, true, slice(b, 0, 8))));
            assertEquals(HELD, harness.offer(ipv4(ID, TCP, 0, true, slice(b, 0, 8))));
            assertEquals(HELD, harness.offer(ipv4(Fragments.DST4, Fragments.SRC4, ID, UDP, 0, true, new byte[0],
                slice(b, 0, 8))));
            assertEquals(5, harness.reassembler.datagramsInProgress());

            harness.tenant = 1;
            assertEquals(COMPLETE, harness.offer(ipv4(ID, UDP, 8, false, slice(a, 8, 16))));
            assertArrayEquals(a, slice(harness.lastDatagram, 20, 36));
            harness.tenant = 2;
            assertEquals(COMPLETE, harness.offer(ipv4(ID + 1, UDP, 8, false, slice(b, 8, 16))));
            assertArrayEquals(b, slice(harness.lastDatagram, 20, 36));
            assertEquals(3, harness.reassembler.datagramsInProgress());
            assertEquals(0, harness.reassembler.conflicts());
        }
    }

    @Test
    void shouldKeepIpv6IdentificationsOf32BitsAndNextHeadersApart()
    {
        try (Harness harness = new Harness(OverlapPolicy.DROP))
        {
            assertEquals(HELD, harness.offer(ipv6(0x1_0001L, UDP, 0, true, pattern(1, 8))));
            assertEquals(HELD, harness.offer(ipv6(0x2_0001L, UDP, 0, true, pattern(2, 8))));
            assertEquals(HELD, harness.offer(ipv6(0x1_0001L, TCP, 0, true, pattern(3, 8))));
            assertEquals(COMPLETE, harness.offer(ipv6(0x2_0001L, UDP, 8, false, pattern(4, 8))));
            assertArrayEquals(concat(pattern(2, 8), pattern(4, 8)), slice(harness.lastDatagram, 40, 56));
            assertEquals(2, harness.reassembler.datagramsInProgress());
        }
    }

    @Test
    void shouldAcceptDuplicatesUnderEveryPolicy()
    {
        final byte[] payload = pattern(4, 3000);
        final List<byte[]> fragments = ipv4Fragments(ID, payload, 1000);
        for (final OverlapPolicy policy : OverlapPolicy.values())
        {
            try (Harness harness = new Harness(policy))
            {
                assertEquals(HELD, harness.offer(fragments.get(0)));
                assertEquals(HELD, harness.offer(fragments.get(0)));
                assertEquals(HELD, harness.offer(fragments.get(1)));
                assertEquals(HELD, harness.offer(fragments.get(0)));
                assertEquals(COMPLETE, harness.offer(fragments.get(2)), policy.name());
                assertArrayEquals(ipv4Datagram(ID, payload), harness.lastDatagram, policy.name());
                assertEquals(2, harness.reassembler.overlaps());
                assertEquals(0, harness.reassembler.conflicts());
                assertEquals(5, harness.reassembler.fragmentsReassembled());
                harness.checkAccounting();
            }
        }
    }

    @Test
    void shouldPassPacketsThatAreNotFragmentsAndIpv6AtomicFragments()
    {
        try (Harness harness = new Harness(OverlapPolicy.FIRST))
        {
            assertEquals(NOT_FRAGMENT, harness.offer(ipv4(ID, UDP, 0, false, pattern(1, 16))));
            assertEquals(NOT_FRAGMENT, harness.offer(Frames.concat(Frames.ipv6(UDP, Fragments.SRC6, Fragments.DST6,
                8), Frames.udp(1, 2, 8))));
            assertEquals(NOT_FRAGMENT, harness.offer(ipv6(9, UDP, 0, false, Frames.udp(1, 2, 8))));
            assertEquals(1, harness.reassembler.atomicFragments());
            // An ICMP error quoting a fragment: the quoted header is not the packet's own.
            final byte[] quoted = ipv4(ID, UDP, 8, true, pattern(1, 8));
            assertEquals(NOT_FRAGMENT, harness.offer(ipv4(Fragments.DST4, Fragments.SRC4, 1, 1, 0, false,
                new byte[0], concat(Frames.icmp(3, 4, 1400), quoted))));
            assertEquals(0, harness.reassembler.fragments());
            assertEquals(FragmentDrop.NONE, harness.reassembler.dropReason());
            assertNull(harness.lastDatagram);
        }
    }

    @Test
    void shouldTellFirstFragmentsAndWhetherTheyHoldTheTransportHeader()
    {
        try (Harness harness = new Harness(OverlapPolicy.FIRST))
        {
            final byte[] tcpWithOptions = Frames.tcp(1, 2, 8, new byte[12]);
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, TCP, 0, true,
                slice(tcpWithOptions, 0, 24))));
            assertTrue(harness.reassembler.isFirstFragment());
            assertFalse(harness.reassembler.holdsTransportHeader(), "data offset says 32 bytes");
            assertEquals(TCP, harness.reassembler.transportProtocol());

            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, TCP, 0, true,
                concat(tcpWithOptions, new byte[8]))));
            assertTrue(harness.reassembler.holdsTransportHeader());
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, TCP, 0, true, new byte[16])));
            assertFalse(harness.reassembler.holdsTransportHeader(), "TCP needs 20 bytes");
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, UDP, 0, true, new byte[8])));
            assertTrue(harness.reassembler.holdsTransportHeader());
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, 1, 0, true, new byte[8])));
            assertTrue(harness.reassembler.holdsTransportHeader());
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, 132, 0, true, new byte[8])));
            assertFalse(harness.reassembler.holdsTransportHeader(), "SCTP needs 12 bytes");
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, 132, 0, true, new byte[16])));
            assertTrue(harness.reassembler.holdsTransportHeader());
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, 47, 0, true, new byte[8])));
            assertTrue(harness.reassembler.holdsTransportHeader(), "no transport header asked of GRE");

            // IPv6: destination options (16 bytes) after the fragment header, then UDP, all in 24 bytes.
            final byte[] options = Frames.ipv6Options(UDP, 1);
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv6(5, 60, 0, true,
                concat(options, new byte[8]))));
            assertTrue(harness.reassembler.holdsTransportHeader());
            assertEquals(UDP, harness.reassembler.transportProtocol());
            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv6(5, 60, 0, true, options)));
            assertFalse(harness.reassembler.holdsTransportHeader(), "the UDP header is in a later fragment");

            assertEquals(FragmentReassembler.FRAGMENT, harness.inspect(ipv4(ID, TCP, 8, true, new byte[8])));
            assertFalse(harness.reassembler.isFirstFragment());
            assertFalse(harness.reassembler.holdsTransportHeader());
            assertEquals(8, harness.reassembler.fragmentOffset());
            assertTrue(harness.reassembler.moreFragments());
            assertEquals(0, harness.reassembler.fragments(), "inspect counts nothing");
            assertEquals(0, harness.reassembler.datagramsInProgress(), "inspect stores nothing");
        }
    }

    @Test
    void shouldDropTinyFirstFragmentsWhenConfiguredAndReassembleThemOtherwise()
    {
        final byte[] tcp = concat(Frames.tcp(1, 2, 8, new byte[12]), pattern(1, 8));
        final byte[] tiny = ipv4(ID, TCP, 0, true, slice(tcp, 0, 16));
        final byte[] rest = ipv4(ID, TCP, 16, false, slice(tcp, 16, tcp.length));
        try (Harness harness = new Harness(ReassemblyConfig.defaults().withDropTinyFirst(true)))
        {
            assertEquals(HELD, harness.offer(rest));
            assertEquals(DROPPED, harness.offer(tiny));
            assertEquals(FragmentDrop.TINY_FIRST, harness.reassembler.dropReason());
            assertEquals(0, harness.reassembler.datagramsInProgress(), "the datagram goes with it");
            assertEquals(DROPPED, harness.offer(tiny));
            assertEquals(2, harness.reassembler.dropped(FragmentDrop.TINY_FIRST));
            assertEquals(3, harness.reassembler.discarded());
            harness.checkAccounting();
        }
        try (Harness harness = new Harness(OverlapPolicy.FIRST))
        {
            assertEquals(HELD, harness.offer(tiny));
            assertEquals(COMPLETE, harness.offer(rest));
            assertArrayEquals(ipv4(ID, TCP, 0, false, tcp), harness.lastDatagram);
        }
    }
}
