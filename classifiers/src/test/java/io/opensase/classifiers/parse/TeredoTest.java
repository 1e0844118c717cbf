package io.opensase.classifiers.parse;

import io.opensase.classifiers.testing.CaptureFiles;
import io.opensase.classifiers.testing.CapturedPacket;
import io.opensase.classifiers.testing.ExactParse;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tshark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.opensase.classifiers.testing.Frames.concat;
import static io.opensase.classifiers.testing.Frames.ethernet;
import static io.opensase.classifiers.testing.Frames.hex;
import static io.opensase.classifiers.testing.Frames.ipv4;
import static io.opensase.classifiers.testing.Frames.ipv4Word;
import static io.opensase.classifiers.testing.Frames.ipv6;
import static io.opensase.classifiers.testing.Frames.ipv6Word;
import static io.opensase.classifiers.testing.Frames.tcp;
import static io.opensase.classifiers.testing.Frames.udp;
import static io.opensase.classifiers.testing.Frames.vxlan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Teredo as Suricata recognises it. Frames of {@code zeek-Teredo.pcap}, with the values tshark decodes in them
 * (its Teredo heuristic on: {@code tshark -o teredo.heuristic_teredo:TRUE -T fields -e ipv6.src ...}),
 * written out below; and hand-built payloads on port 3544 that fail one check each, which must stay plain UDP
 * and not be malformed.
 */
class TeredoTest
{
    private static final String CLIENT = "2001:0:4137:9e50:8000:f12a:b9c8:2815";
    private static final String GOOGLE = "2001:4860:0:2001::68";
    private static final String A = "192.0.2.1";
    private static final String B = "198.51.100.2";
    private static final String A6 = "2001:db8::1";
    private static final String B6 = "2001:db8::2";

    private static List<CapturedPacket> capture;

    @BeforeAll
    static void readCapture() throws IOException
    {
        capture = CapturedPacket.readAll(SharedData.resolve("pcap/tunnels/zeek-Teredo.pcap")).packets();
        assertEquals(78, capture.size());
    }

    @Test
    void shouldDecodeTheEchoRequestToTheTeredoServerPortByDefault()
    {
        // Frame 30: 192.168.2.16:3797 -> 65.55.158.80:3544, no origin indication, ICMPv6 echo request id 0xd373.
        final ParsedPackets parsed = frame(30, new PacketParser());

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34", "IPV6@42", "ICMPV6@82"),
            ExactParse.layers(parsed, 0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.UDP, Protocol.TEREDO, Protocol.IPV6, Protocol.ICMPV6),
            parsed.protocols(0));
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(FlowKeyKind.ICMP_ECHO, parsed.keyKind(0));
        assertIpv6(parsed, CLIENT, GOOGLE, 58);
        assertEquals(0xD373, parsed.srcPort(0));
        assertEquals(ParsedPackets.NO_TUNNEL, parsed.tunnelId(0));
    }

    @Test
    void shouldLeaveTheRelaysPortsPlainUdpByDefault()
    {
        // Frame 37: the HTTP GET, 192.168.2.16:3797 -> 83.170.1.38:32900; neither port is 3544.
        final ParsedPackets parsed = frame(37, new PacketParser());

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34"), ExactParse.layers(parsed, 0));
        assertFalse(Protocol.TEREDO.isIn(parsed.protocols(0)));
        assertIpv4Udp(parsed, "192.168.2.16", "83.170.1.38", 3797, 32900);
    }

    @Test
    void shouldDecodeTheInnerHttpFlowOnANamedPort()
    {
        final PacketParser parser = new PacketParser(4, 8, TeredoPorts.of(3797));

        // Frame 37: TCP 1286 -> 80 inside, 797 payload bytes (the GET).
        final ParsedPackets request = frame(37, parser);
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34", "IPV6@42", "TCP@82"),
            ExactParse.layers(request, 0));
        assertEquals(Malformed.NONE, request.malformed(0));
        assertEquals(FlowKeyKind.PORTS, request.keyKind(0));
        assertIpv6(request, CLIENT, GOOGLE, 6);
        assertEquals(1286, request.srcPort(0));
        assertEquals(80, request.dstPort(0));

        // Frame 42: the response's last segment, 80 -> 1286, the other way through the relay.
        final ParsedPackets response = frame(42, parser);
        assertIpv6(response, GOOGLE, CLIENT, 6);
        assertEquals(80, response.srcPort(0));
        assertEquals(1286, response.dstPort(0));
        assertTrue(Protocol.TEREDO.isIn(response.protocols(0)));
    }

    @Test
    void shouldDecodeEveryUdpPortWithAny()
    {
        // Frame 33: echo reply from Google through the relay (32900 -> 3797), id 0xd373.
        final ParsedPackets parsed = frame(33, new PacketParser(4, 8, TeredoPorts.ANY));

        assertEquals(FlowKeyKind.ICMP_ECHO, parsed.keyKind(0));
        assertIpv6(parsed, GOOGLE, CLIENT, 58);
        assertEquals(0xD373, parsed.srcPort(0));
        // Frame 29: a bubble (no next header, payload length 0, hop limit 21) is Teredo too.
        final ParsedPackets bubble = frame(29, new PacketParser(4, 8, TeredoPorts.ANY));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34", "IPV6@42"), ExactParse.layers(bubble, 0));
        assertEquals(FlowKeyKind.ADDRESSES, bubble.keyKind(0));
        assertEquals(59, bubble.ipProtocol(0));
    }

    @Test
    void shouldLeaveQualificationAndHopLimitZeroPacketsPlainUdp()
    {
        final PacketParser any = new PacketParser(4, 8, TeredoPorts.ANY);
        // Frames 6 and 7: router solicitation and advertisement behind an authentication header (0x0001).
        assertIpv4Udp(frame(6, any), "192.168.2.16", "65.55.158.80", 3797, 3544);
        assertIpv4Udp(frame(7, any), "65.55.158.81", "192.168.2.16", 3544, 3797);
        // Frame 31: origin indication, then IPv6 with hop limit 0; frame 32: hop limit 0.
        assertIpv4Udp(frame(31, any), "65.55.158.80", "192.168.2.16", 3544, 3797);
        assertIpv4Udp(frame(32, any), "192.168.2.16", "83.170.1.38", 3797, 32900);
    }

    @Test
    void shouldLeaveEverythingPlainUdpWhenTurnedOff()
    {
        assertIpv4Udp(frame(30, new PacketParser(4, 8, TeredoPorts.NONE)), "192.168.2.16", "65.55.158.80", 3797,
            3544);
    }

    @Test
    void shouldTakeTeredoPastTheTunnelDepthForPlainUdp()
    {
        // Suricata drops a packet found inside Teredo that is invalid, too many layers included.
        assertIpv4Udp(frame(30, new PacketParser(0, 8)), "192.168.2.16", "65.55.158.80", 3797, 3544);
        assertEquals(Malformed.NONE, frame(30, new PacketParser(1, 8)).malformed(0));
    }

    @Test
    void shouldTakeAPayloadWhosePacketProvesMalformedForPlainUdp()
    {
        final Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("TCP data offset 4", concat(ipv6(6, A6, B6, 20), withByte(tcp(40000, 443), 12, 0x40)));
        payloads.put("TCP cut short", concat(ipv6(6, A6, B6, 12), slice(tcp(40000, 443), 0, 12)));
        // A destination option of 200 bytes in an 8-byte header.
        payloads.put("option past its header", concat(ipv6(60, A6, B6, 28), hex("06 00 01c8 00000000"),
            tcp(40000, 443)));
        // VXLAN inside, whose Ethernet header is cut: the VNI it set is let go too.
        final byte[] vxlan = concat(udp(40000, 4789, 8 + 8 + 6), vxlan(99), hex("aabbccddeeff"));
        payloads.put("VXLAN inside, Ethernet cut", concat(ipv6(17, A6, B6, vxlan.length), vxlan));
        for (final Map.Entry<String, byte[]> payload : payloads.entrySet())
        {
            final ParsedPackets parsed = ExactParse.parse(teredo(payload.getValue()), LinkType.ETHERNET);

            assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34"), ExactParse.layers(parsed, 0), payload.getKey());
            assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.UDP), parsed.protocols(0), payload.getKey());
            assertIpv4Udp(parsed, A, B, 50000, TeredoPorts.IANA_PORT);
            assertEquals(ParsedPackets.NO_TUNNEL, parsed.tunnelId(0), payload.getKey());
            assertFalse(parsed.isSnapTruncated(0), payload.getKey());
        }
    }

    @Test
    void shouldSkipAnOriginIndicationAndAgreeWithTshark(@TempDir final Path dir)
    {
        final byte[] packet = teredo(concat(hex("0000 f4ab 3fa8 c1dd"), ipv6(6, A6, B6, 20), tcp(40000, 443)));

        final ParsedPackets parsed = ExactParse.parse(packet, LinkType.ETHERNET);

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34", "TEREDO@42", "IPV6@50", "TCP@90"),
            ExactParse.layers(parsed, 0));
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertIpv6(parsed, A6, B6, 6);
        assertEquals(40000, parsed.srcPort(0));
        assertEquals(443, parsed.dstPort(0));

        final Tshark.Frame tshark = Tshark.decode(CaptureFiles.writePcap(dir.resolve("origin.pcap"),
            ByteOrder.LITTLE_ENDIAN, false, 1, List.of(CaptureFiles.Record.of(packet))),
            "frame.protocols", "teredo.orig.port", "teredo.orig.addr", "ipv6.src", "tcp.dstport").getFirst();
        assertEquals("eth:ethertype:ip:udp:teredo:ipv6:tcp", tshark.protocols());
        // Both obfuscated (XOR 0xffff and 0xffffffff): port 0xf4ab is 2900, address 3fa8c1dd is 192.87.62.34.
        assertEquals(List.of("2900"), tshark.all("teredo.orig.port"));
        assertEquals(List.of("192.87.62.34"), tshark.all("teredo.orig.addr"));
        assertEquals(List.of(A6), tshark.all("ipv6.src"));
    }

    @Test
    void shouldTryTeredoBeforeVxlan()
    {
        final byte[] inner = concat(ipv6(6, A6, B6, 20), tcp(40000, 443));
        final byte[] teredoOnVxlanPort = concat(ethernet(0x0800), ipv4(17, A, B, 8 + inner.length),
            udp(3544, 4789, 8 + inner.length), inner);

        assertTrue(Protocol.TEREDO.isIn(ExactParse.parse(teredoOnVxlanPort, LinkType.ETHERNET).protocols(0)));

        final byte[] vxlanPayload = concat(vxlan(77), ethernet(0x0800), ipv4(6, A, B, 20), tcp(40001, 80));
        final byte[] vxlanOnTeredoPort = concat(ethernet(0x0800), ipv4(17, A, B, 8 + vxlanPayload.length),
            udp(3544, 4789, 8 + vxlanPayload.length), vxlanPayload);
        final ParsedPackets parsed = ExactParse.parse(vxlanOnTeredoPort, LinkType.ETHERNET);
        assertTrue(Protocol.VXLAN.isIn(parsed.protocols(0)), "VXLAN's first byte 0x08 is no IPv6 version");
        assertEquals(77, parsed.tunnelId(0));
    }

    @Test
    void shouldLeavePayloadsFailingOneCheckPlainUdpAndNotMalformed()
    {
        final byte[] tcp = tcp(40000, 443);
        final Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("version 4", concat(hex("40"), slice(ipv6(6, A6, B6, 20), 1), tcp));
        payloads.put("version 5", concat(hex("50"), slice(ipv6(6, A6, B6, 20), 1), tcp));
        payloads.put("payload length one short", concat(ipv6(6, A6, B6, 19), tcp));
        payloads.put("payload length one long", concat(ipv6(6, A6, B6, 21), tcp));
        payloads.put("hop limit 0", concat(withByte(ipv6(6, A6, B6, 20), 7, 0), tcp));
        payloads.put("hop-by-hop, payload below 8", concat(ipv6(0, A6, B6, 4), hex("06000000")));
        payloads.put("authentication header", concat(hex("0001 00 00 0102030405060708 00"), ipv6(6, A6, B6, 20), tcp));
        payloads.put("origin indication, too short",
            concat(hex("0000 f4ab 3fa8 c1dd"), slice(ipv6(59, A6, B6, 0), 0, 39)));
        payloads.put("shorter than an IPv6 header", slice(ipv6(59, A6, B6, 0), 0, 39));
        payloads.put("zero then not 0 or 1", concat(hex("0002 f4ab 3fa8 c1dd"), ipv6(6, A6, B6, 20), tcp));
        for (final Map.Entry<String, byte[]> payload : payloads.entrySet())
        {
            final ParsedPackets parsed = ExactParse.parse(teredo(payload.getValue()), LinkType.ETHERNET);

            assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34"), ExactParse.layers(parsed, 0), payload.getKey());
            assertEquals(Malformed.NONE, parsed.malformed(0), payload.getKey());
            assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.UDP), parsed.protocols(0), payload.getKey());
            assertIpv4Udp(parsed, A, B, 50000, TeredoPorts.IANA_PORT);
        }
    }

    @Test
    void shouldNotTakeADatagramWhoseUdpLengthPassesItsIpPayload()
    {
        final byte[] inner = concat(ipv6(6, A6, B6, 20), tcp(40000, 443));
        final byte[] packet = concat(ethernet(0x0800), ipv4(17, A, B, 8 + inner.length),
            udp(50000, 3544, 8 + inner.length + 4), inner);

        final ParsedPackets parsed = ExactParse.parse(packet, LinkType.ETHERNET);

        assertEquals(Malformed.UDP_LENGTH, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34"), ExactParse.layers(parsed, 0));
    }

    @Test
    void shouldDecodeAHeaderWhosePayloadTheCaptureCut()
    {
        final byte[] packet = teredo(concat(ipv6(6, A6, B6, 20), tcp(40000, 443)));
        final byte[] cut = slice(packet, 0, 42 + 40 + 10);

        final ParsedPackets parsed = ExactParse.parse(new PacketParser(), cut, packet.length, LinkType.ETHERNET);

        assertTrue(parsed.isSnapTruncated(0));
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34", "IPV6@42"), ExactParse.layers(parsed, 0));
        assertIpv6(parsed, A6, B6, 6);
    }

    @Test
    void shouldNotAllocateOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PacketParser parser = new PacketParser(4, 8, TeredoPorts.ANY);
        final ParsedPackets parsed = new ParsedPackets(1);
        final List<byte[]> packets = new ArrayList<>();
        capture.forEach(packet -> packets.add(packet.data()));
        // Payloads failing the checks, and one whose packet proves malformed (taken back for plain UDP).
        packets.add(teredo(concat(ipv6(6, A6, B6, 19), tcp(40000, 443))));
        packets.add(teredo(concat(ipv6(6, A6, B6, 20), withByte(tcp(40000, 443), 12, 0x40))));
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment memory = arena.allocate(packets.size() * 2048L, 64);
            for (int p = 0; p < packets.size(); p++)
            {
                MemorySegment.copy(packets.get(p), 0, memory, ValueLayout.JAVA_BYTE, p * 2048L, packets.get(p).length);
            }
            parseAll(parser, parsed, memory, packets, 2_000);
            // On a busy machine a round can still run code the compiler has not finished: the least of a few counts.
            final List<Long> allocated = new ArrayList<>();
            for (int round = 0; round < 5 && !allocated.contains(0L); round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                final long teredo = parseAll(parser, parsed, memory, packets, 1_000);
                allocated.add(threads.getCurrentThreadAllocatedBytes() - before);

                // Frames 29, 30, 33-49 and 52-57: tshark's Teredo frames less those with an authentication header
                // or hop limit 0.
                assertEquals(1_000 * 25L, teredo);
            }
            assertTrue(allocated.contains(0L), "bytes allocated in rounds of " + 1_000 * packets.size() + " parses: "
                + allocated);
        }
    }

    private static long parseAll(final PacketParser parser, final ParsedPackets parsed, final MemorySegment memory,
        final List<byte[]> packets, final int rounds)
    {
        long teredo = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int p = 0; p < packets.size(); p++)
            {
                final int length = packets.get(p).length;
                parser.parse(memory, p * 2048L, length, length, LinkType.ETHERNET, parsed, 0);
                teredo += Protocol.TEREDO.isIn(parsed.protocols(0)) ? 1 : 0;
            }
        }
        return teredo;
    }

    @Test
    void shouldRefuseMoreThanFourPortsOrPortsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> TeredoPorts.of(1, 2, 3, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> TeredoPorts.of(0));
        assertThrows(IllegalArgumentException.class, () -> TeredoPorts.of(65536));
        assertEquals(TeredoPorts.NONE, TeredoPorts.of());
        assertTrue(TeredoPorts.of(3544, 3797).matches(3797, 80));
        assertFalse(TeredoPorts.DEFAULT.matches(3797, 32900));
    }

    /** Ethernet, IPv4 192.0.2.1 -> 198.51.100.2, UDP 50000 -> 3544 carrying {@code payload}. */
    private static byte[] teredo(final byte[] payload)
    {
        return concat(ethernet(0x0800), ipv4(17, A, B, 8 + payload.length), udp(50000, 3544, 8 + payload.length),
            payload);
    }

    private static ParsedPackets frame(final int number, final PacketParser parser)
    {
        final CapturedPacket packet = capture.get(number - 1);
        return ExactParse.parse(parser, packet.data(), packet.wireLength(), packet.link());
    }

    private static void assertIpv6(final ParsedPackets parsed, final String src, final String dst, final int protocol)
    {
        assertEquals(6, parsed.ipVersion(0));
        assertEquals(protocol, parsed.ipProtocol(0));
        assertEquals(ipv6Word(src, 0), parsed.srcHi(0));
        assertEquals(ipv6Word(src, 1), parsed.srcLo(0));
        assertEquals(ipv6Word(dst, 0), parsed.dstHi(0));
        assertEquals(ipv6Word(dst, 1), parsed.dstLo(0));
    }

    private static void assertIpv4Udp(final ParsedPackets parsed, final String src, final String dst,
        final int srcPort, final int dstPort)
    {
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertFalse(Protocol.TEREDO.isIn(parsed.protocols(0)));
        assertEquals(FlowKeyKind.PORTS, parsed.keyKind(0));
        assertEquals(4, parsed.ipVersion(0));
        assertEquals(17, parsed.ipProtocol(0));
        assertEquals(ipv4Word(src), parsed.srcLo(0));
        assertEquals(ipv4Word(dst), parsed.dstLo(0));
        assertEquals(srcPort, parsed.srcPort(0));
        assertEquals(dstPort, parsed.dstPort(0));
    }

    private static byte[] slice(final byte[] bytes, final int from)
    {
        return slice(bytes, from, bytes.length);
    }

    private static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] withByte(final byte[] bytes, final int index, final int value)
    {
        final byte[] copy = bytes.clone();
        copy[index] = (byte)value;
        return copy;
    }

    private static int bits(final Protocol... protocols)
    {
        int bits = 0;
        for (final Protocol protocol : protocols)
        {
            bits |= protocol.bit();
        }
        return bits;
    }
}
