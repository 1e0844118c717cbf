package io.opensase.classifiers.parse;

import io.opensase.classifiers.testing.CaptureFiles;
import io.opensase.classifiers.testing.ExactParse;
import io.opensase.classifiers.testing.Tshark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.testing.Frames.arpRequest;
import static io.opensase.classifiers.testing.Frames.checksum;
import static io.opensase.classifiers.testing.Frames.concat;
import static io.opensase.classifiers.testing.Frames.ethernet;
import static io.opensase.classifiers.testing.Frames.geneve;
import static io.opensase.classifiers.testing.Frames.hex;
import static io.opensase.classifiers.testing.Frames.icmp;
import static io.opensase.classifiers.testing.Frames.ipv4;
import static io.opensase.classifiers.testing.Frames.ipv4Word;
import static io.opensase.classifiers.testing.Frames.ipv6;
import static io.opensase.classifiers.testing.Frames.ipv6Fragment;
import static io.opensase.classifiers.testing.Frames.ipv6Options;
import static io.opensase.classifiers.testing.Frames.ipv6Word;
import static io.opensase.classifiers.testing.Frames.mpls;
import static io.opensase.classifiers.testing.Frames.sctp;
import static io.opensase.classifiers.testing.Frames.tag;
import static io.opensase.classifiers.testing.Frames.tcp;
import static io.opensase.classifiers.testing.Frames.u16;
import static io.opensase.classifiers.testing.Frames.u32;
import static io.opensase.classifiers.testing.Frames.udp;
import static io.opensase.classifiers.testing.Frames.vxlan;
import static io.opensase.classifiers.testing.Frames.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Well-formed hand-built packets, one per header combination the parser decodes, with the decoded fields
 * worked out by hand from the bytes written. Each is parsed from a segment of exactly its size. The same
 * packets are then decoded by tshark, which must agree with the parser layer by layer.
 */
class HandBuiltPacketsTest
{
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";
    private static final String C = "192.168.1.10";
    private static final String D = "192.168.1.20";
    private static final String ROUTER = "10.9.9.9";
    private static final String A6 = "2001:db8::1";
    private static final String B6 = "2001:db8::2";
    private static final String C6 = "2001:db8:1::10";
    private static final String D6 = "2001:db8:1::20";

    private static final Map<String, byte[]> PACKETS = new LinkedHashMap<>();

    static
    {
        PACKETS.put("qinq 88a8+8100", concat(ethernet(0x88A8), tag(100, 0x8100), tag(200, 0x0800),
            ipv4(17, A, B, 12), udp(40000, 50000, 12), hex("cafebabe")));
        PACKETS.put("qinq 9100+8100", concat(ethernet(0x9100), tag(300, 0x8100), tag(400, 0x86DD),
            ipv6(17, A6, B6, 8), udp(40001, 50001, 8)));
        PACKETS.put("three 8100 tags", concat(ethernet(0x8100), tag(10, 0x8100), tag(20, 0x8100), tag(30, 0x0800),
            ipv4(6, A, B, 20), tcp(40002, 443)));
        PACKETS.put("one tag", concat(ethernet(0x8100), tag(4094, 0x0800), ipv4(6, A, B, 32),
            tcp(40013, 443, 8, hex("020405b4 01030307 04020000"))));
        PACKETS.put("mpls x3", concat(ethernet(0x8847), mpls(1000, false, 64), mpls(2000, false, 64),
            mpls(3000, true, 64), ipv4(17, A, B, 8), udp(40003, 50003, 8)));
        PACKETS.put("4in6", concat(ethernet(0x86DD), ipv6(4, A6, B6, 40), ipv4(6, C, D, 20), tcp(40004, 80)));
        PACKETS.put("6in6", concat(ethernet(0x86DD), ipv6(41, A6, B6, 48), ipv6(17, C6, D6, 8),
            udp(40005, 50005, 8)));
        PACKETS.put("gre csum key seq", greWithChecksumKeySequence());
        PACKETS.put("vxlan", vxlanPacket());
        PACKETS.put("geneve options", genevePacket());
        PACKETS.put("icmp error", concat(ethernet(0x0800), ipv4(1, ROUTER, A, 36), icmp(3, 3, 0),
            ipv4(0x45, 540, 0x4000, 17, A, B, new byte[0]), udp(40009, 50009, 520)));
        PACKETS.put("icmpv6 error", concat(ethernet(0x86DD), ipv6(58, C6, A6, 56), icmp(1, 4, 0),
            ipv6(17, A6, B6, 100), udp(40014, 50014, 100)));
        PACKETS.put("icmp echo", concat(ethernet(0x0800), ipv4(1, A, B, 12), icmp(8, 0, 0x4321_0001L),
            hex("61626364")));
        PACKETS.put("icmpv6 echo", concat(ethernet(0x86DD), ipv6(58, A6, B6, 8), icmp(128, 0, 0x0777_0001L)));
        PACKETS.put("sctp", concat(ethernet(0x0800), ipv4(132, A, B, 12), sctp(2905, 3868)));
        PACKETS.put("arp", concat(ethernet(0x0806), arpRequest(A, B)));
        PACKETS.put("9216 bytes", concat(ethernet(0x0800), ipv4(6, A, B, 9182), tcp(40010, 80), zeros(9162)));
        PACKETS.put("offsets past 32767", deepExtensionChains());
        PACKETS.put("ipv6 first fragment", concat(ethernet(0x86DD), ipv6(44, A6, B6, 32),
            ipv6Fragment(17, 0, true, 0x1234), udp(40012, 50012, 1000), zeros(16)));
        PACKETS.put("ipv6 later fragment", concat(ethernet(0x86DD), ipv6(44, A6, B6, 24),
            ipv6Fragment(17, 3, false, 0x1234), zeros(16)));
        PACKETS.put("ipv4 router alert", concat(ethernet(0x0800),
            ipv4(0x46, 32, 0x4000, 17, A, B, hex("94040000")), udp(40015, 50015, 8)));
    }

    @Test
    void shouldDecode88a8OuterAnd8100InnerTags()
    {
        final ParsedPackets parsed = parse("qinq 88a8+8100");

        assertEquals(List.of("ETHERNET@0", "VLAN@14", "VLAN@18", "IPV4@22", "UDP@42"), ExactParse.layers(parsed, 0));
        assertEquals(100, parsed.vlanOuter(0));
        assertEquals(200, parsed.vlanInner(0));
        assertEquals(bits(Protocol.ETH, Protocol.VLAN, Protocol.QINQ, Protocol.IPV4, Protocol.UDP),
            parsed.protocols(0));
        assertIpv4Ports(parsed, A, B, 17, 40000, 50000);
    }

    @Test
    void shouldDecode9100OuterAnd8100InnerTags()
    {
        final ParsedPackets parsed = parse("qinq 9100+8100");

        assertEquals(List.of("ETHERNET@0", "VLAN@14", "VLAN@18", "IPV6@22", "UDP@62"), ExactParse.layers(parsed, 0));
        assertEquals(300, parsed.vlanOuter(0));
        assertEquals(400, parsed.vlanInner(0));
        assertEquals(bits(Protocol.ETH, Protocol.VLAN, Protocol.QINQ, Protocol.IPV6, Protocol.UDP),
            parsed.protocols(0));
        assertEquals(6, parsed.ipVersion(0));
        assertEquals(ipv6Word(A6, 0), parsed.srcHi(0));
        assertEquals(ipv6Word(A6, 1), parsed.srcLo(0));
        assertEquals(ipv6Word(B6, 1), parsed.dstLo(0));
        assertEquals(40001, parsed.srcPort(0));
    }

    @Test
    void shouldKeepTheFirstTwoOfThreeStacked8100Tags()
    {
        final ParsedPackets parsed = parse("three 8100 tags");

        assertEquals(List.of("ETHERNET@0", "VLAN@14", "VLAN@18", "VLAN@22", "IPV4@26", "TCP@46"),
            ExactParse.layers(parsed, 0));
        assertEquals(10, parsed.vlanOuter(0));
        assertEquals(20, parsed.vlanInner(0));
        assertTrue(Protocol.QINQ.isIn(parsed.protocols(0)));
        assertIpv4Ports(parsed, A, B, 6, 40002, 443);
    }

    @Test
    void shouldDecodeOneTagWithoutCallingItQinQ()
    {
        final ParsedPackets parsed = parse("one tag");

        assertEquals(List.of("ETHERNET@0", "VLAN@14", "IPV4@18", "TCP@38"), ExactParse.layers(parsed, 0));
        assertEquals(4094, parsed.vlanOuter(0));
        assertEquals(ParsedPackets.NO_VLAN, parsed.vlanInner(0));
        assertEquals(bits(Protocol.ETH, Protocol.VLAN, Protocol.IPV4, Protocol.TCP), parsed.protocols(0));
        assertIpv4Ports(parsed, A, B, 6, 40013, 443);
    }

    @Test
    void shouldDecodeThreeMplsLabelsThenIpv4()
    {
        final byte[] packet = PACKETS.get("mpls x3");
        final ParsedPackets parsed = parse("mpls x3");

        assertEquals(List.of("ETHERNET@0", "MPLS@14", "MPLS@18", "MPLS@22", "IPV4@26", "UDP@46"),
            ExactParse.layers(parsed, 0));
        final MemorySegment bytes = MemorySegment.ofArray(packet);
        assertEquals(1000, u32(bytes, parsed.layerOffset(0, 1)) >>> 12);
        assertEquals(2000, u32(bytes, parsed.layerOffset(0, 2)) >>> 12);
        assertEquals(3000, u32(bytes, parsed.layerOffset(0, 3)) >>> 12);
        assertEquals(bits(Protocol.ETH, Protocol.MPLS, Protocol.IPV4, Protocol.UDP), parsed.protocols(0));
        assertIpv4Ports(parsed, A, B, 17, 40003, 50003);
    }

    @Test
    void shouldKeyIpv4InIpv6OnTheInnerHeader()
    {
        final ParsedPackets parsed = parse("4in6");

        assertEquals(List.of("ETHERNET@0", "IPV6@14", "IPV4@54", "TCP@74"), ExactParse.layers(parsed, 0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV6, Protocol.IPV4, Protocol.IPIP, Protocol.TCP),
            parsed.protocols(0));
        assertIpv4Ports(parsed, C, D, 6, 40004, 80);
        assertEquals(ParsedPackets.NO_TUNNEL, parsed.tunnelId(0));
    }

    @Test
    void shouldKeyIpv6InIpv6OnTheInnerHeader()
    {
        final ParsedPackets parsed = parse("6in6");

        assertEquals(List.of("ETHERNET@0", "IPV6@14", "IPV6@54", "UDP@94"), ExactParse.layers(parsed, 0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV6, Protocol.IPIP, Protocol.UDP), parsed.protocols(0));
        assertEquals(6, parsed.ipVersion(0));
        assertEquals(ipv6Word(C6, 0), parsed.srcHi(0));
        assertEquals(ipv6Word(C6, 1), parsed.srcLo(0));
        assertEquals(ipv6Word(D6, 0), parsed.dstHi(0));
        assertEquals(ipv6Word(D6, 1), parsed.dstLo(0));
        assertEquals(17, parsed.ipProtocol(0));
        assertEquals(FlowKeyKind.PORTS, parsed.keyKind(0));
        assertEquals(40005, parsed.srcPort(0));
        assertEquals(50005, parsed.dstPort(0));
    }

    @Test
    void shouldTakeTheGreKeyAsTunnelIdPastChecksumAndBeforeSequence()
    {
        final ParsedPackets parsed = parse("gre csum key seq");

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "GRE@34", "IPV4@50", "TCP@70"), ExactParse.layers(parsed, 0));
        assertEquals(0xDEAD_BEEFL, parsed.tunnelId(0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.GRE, Protocol.TCP), parsed.protocols(0));
        assertIpv4Ports(parsed, C, D, 6, 40006, 22);
    }

    @Test
    void shouldKeyVxlanOnTheInnerFiveTupleAndVni()
    {
        final ParsedPackets parsed = parse("vxlan");

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34", "VXLAN@42", "ETHERNET@50", "IPV4@64", "TCP@84"),
            ExactParse.layers(parsed, 0));
        assertEquals(0x12_3456L, parsed.tunnelId(0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.UDP, Protocol.VXLAN, Protocol.TCP),
            parsed.protocols(0));
        assertIpv4Ports(parsed, C, D, 6, 40007, 8080);
    }

    @Test
    void shouldSkipGeneveOptionsAndKeyOnTheInnerFiveTupleAndVni()
    {
        final ParsedPackets parsed = parse("geneve options");

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@34", "GENEVE@42", "ETHERNET@58", "IPV4@72", "TCP@92"),
            ExactParse.layers(parsed, 0));
        assertEquals(0xA_BCDEL, parsed.tunnelId(0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.UDP, Protocol.GENEVE, Protocol.TCP),
            parsed.protocols(0));
        assertIpv4Ports(parsed, C, D, 6, 40008, 8443);
    }

    @Test
    void shouldMarkHeadersQuotedByAnIcmpErrorAndKeyOnTheOuterHeader()
    {
        final ParsedPackets parsed = parse("icmp error");

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "ICMP@34", "~IPV4@42", "~UDP@62"), ExactParse.layers(parsed, 0));
        assertEquals(LayerType.IPV4.code() | LayerType.QUOTED, parsed.layerType(0, 3));
        assertEquals(LayerType.UDP.code() | LayerType.QUOTED, parsed.layerType(0, 4));
        assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.ICMP), parsed.protocols(0));
        assertEquals(Malformed.NONE, parsed.malformed(0), "the quoted total length of 540 is not the frame's");
        assertEquals(FlowKeyKind.ADDRESSES, parsed.keyKind(0));
        assertEquals(ipv4Word(ROUTER), parsed.srcLo(0));
        assertEquals(ipv4Word(A), parsed.dstLo(0));
        assertEquals(1, parsed.ipProtocol(0));
        assertEquals(0, parsed.srcPort(0));
        assertEquals(0, parsed.dstPort(0));
    }

    @Test
    void shouldMarkHeadersQuotedByAnIcmpv6Error()
    {
        final ParsedPackets parsed = parse("icmpv6 error");

        assertEquals(List.of("ETHERNET@0", "IPV6@14", "ICMPV6@54", "~IPV6@62", "~UDP@102"),
            ExactParse.layers(parsed, 0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV6, Protocol.ICMPV6), parsed.protocols(0));
        assertEquals(FlowKeyKind.ADDRESSES, parsed.keyKind(0));
        assertEquals(ipv6Word(C6, 1), parsed.srcLo(0));
        assertEquals(58, parsed.ipProtocol(0));
    }

    @Test
    void shouldKeyIcmpEchoOnItsIdentifierInBothPorts()
    {
        final ParsedPackets parsed = parse("icmp echo");

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "ICMP@34"), ExactParse.layers(parsed, 0));
        assertEquals(FlowKeyKind.ICMP_ECHO, parsed.keyKind(0));
        assertEquals(0x4321, parsed.srcPort(0));
        assertEquals(0x4321, parsed.dstPort(0));
        assertEquals(1, parsed.ipProtocol(0));
    }

    @Test
    void shouldKeyIcmpv6EchoOnItsIdentifierInBothPorts()
    {
        final ParsedPackets parsed = parse("icmpv6 echo");

        assertEquals(FlowKeyKind.ICMP_ECHO, parsed.keyKind(0));
        assertEquals(0x0777, parsed.srcPort(0));
        assertEquals(0x0777, parsed.dstPort(0));
        assertEquals(58, parsed.ipProtocol(0));
    }

    @Test
    void shouldKeySctpOnItsPorts()
    {
        final ParsedPackets parsed = parse("sctp");

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "SCTP@34"), ExactParse.layers(parsed, 0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV4, Protocol.SCTP), parsed.protocols(0));
        assertIpv4Ports(parsed, A, B, 132, 2905, 3868);
    }

    @Test
    void shouldDecodeArpWithoutAFlowKey()
    {
        final ParsedPackets parsed = parse("arp");

        assertEquals(List.of("ETHERNET@0", "ARP@14"), ExactParse.layers(parsed, 0));
        assertEquals(bits(Protocol.ETH, Protocol.ARP), parsed.protocols(0));
        assertEquals(FlowKeyKind.NONE, parsed.keyKind(0));
        assertEquals(0, parsed.ipVersion(0));
    }

    @Test
    void shouldDecodeA9216ByteJumboFrame()
    {
        final ParsedPackets parsed = parse("9216 bytes");

        assertEquals(9216, PACKETS.get("9216 bytes").length);
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "TCP@34"), ExactParse.layers(parsed, 0));
        assertFalse(parsed.isSnapTruncated(0));
        assertIpv4Ports(parsed, A, B, 6, 40010, 80);
    }

    /**
     * Three IPv6 headers, the first two with eight 2048-byte destination options headers each: the innermost
     * headers start past byte 32767, still well inside a legal 32922-byte datagram and the 32-layer list.
     */
    @Test
    void shouldReportLayerOffsetsPast32767AsTheyAre()
    {
        final ParsedPackets parsed = parse("offsets past 32767");

        final List<String> expected = new ArrayList<>(List.of("ETHERNET@0", "IPV6@14"));
        for (int e = 0; e < 8; e++)
        {
            expected.add("IPV6_EXT@" + (54 + 2048 * e));
        }
        expected.add("IPV6@16438");
        for (int e = 0; e < 8; e++)
        {
            expected.add("IPV6_EXT@" + (16478 + 2048 * e));
        }
        expected.add("IPV6@32862");
        expected.add("TCP@32902");
        assertEquals(32922, PACKETS.get("offsets past 32767").length);
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(expected, ExactParse.layers(parsed, 0));
        assertEquals(ipv6Word("2001:db8:2::1", 1), parsed.srcLo(0));
        assertEquals(40011, parsed.srcPort(0));
    }

    @Test
    void shouldKeyAnIpv6FirstFragmentOnPortsAndALaterOneOnAddresses()
    {
        final ParsedPackets first = parse("ipv6 first fragment");
        final ParsedPackets later = parse("ipv6 later fragment");

        assertEquals(List.of("ETHERNET@0", "IPV6@14", "IPV6_EXT@54", "UDP@62"), ExactParse.layers(first, 0));
        assertEquals(bits(Protocol.ETH, Protocol.IPV6, Protocol.IPV6_EXT, Protocol.FRAGMENT, Protocol.UDP),
            first.protocols(0));
        assertEquals(FlowKeyKind.PORTS, first.keyKind(0));
        assertEquals(40012, first.srcPort(0));
        assertEquals(Malformed.NONE, first.malformed(0), "the UDP length covers the whole datagram");
        assertEquals(List.of("ETHERNET@0", "IPV6@14", "IPV6_EXT@54"), ExactParse.layers(later, 0));
        assertEquals(FlowKeyKind.ADDRESSES, later.keyKind(0));
        assertEquals(17, later.ipProtocol(0));
    }

    @Test
    void shouldNotDecodeAnIpHeaderInsideAFirstFragment()
    {
        // Outer IPv4 first fragment (MF, offset 0) carrying the first 24 bytes of an IPv4-in-IPv4 datagram whose
        // inner header claims 48 bytes: the inner datagram is incomplete, so it is not decoded (nor malformed).
        final byte[] frame = concat(ethernet(0x0800), ipv4(0x45, 20 + 24, 0x2000, 4, A, B, new byte[0]),
            ipv4(0x45, 48, 0, 17, C, D, new byte[0]), udp(1, 2, 28));
        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14"), ExactParse.layers(parsed, 0));
        assertEquals(FlowKeyKind.ADDRESSES, parsed.keyKind(0));
        assertEquals(4, parsed.ipProtocol(0));
        assertEquals(ipv4Word(A), parsed.srcLo(0));
        assertFalse(Protocol.IPIP.isIn(parsed.protocols(0)));
    }

    @Test
    void shouldSkipValidIpv4Options()
    {
        final ParsedPackets parsed = parse("ipv4 router alert");

        assertEquals(List.of("ETHERNET@0", "IPV4@14", "UDP@38"), ExactParse.layers(parsed, 0));
        assertIpv4Ports(parsed, A, B, 17, 40015, 50015);
    }

    @Test
    void shouldDecodeEveryHandBuiltPacketAsTsharkDoes(@TempDir final Path dir)
    {
        final List<CaptureFiles.Record> records = PACKETS.values().stream().map(CaptureFiles.Record::of).toList();
        final Path file = CaptureFiles.writePcap(dir.resolve("hand-built.pcap"), ByteOrder.LITTLE_ENDIAN, false, 1,
            records);

        final List<Tshark.Frame> frames = Tshark.decode(file, ParserMatchesTsharkTest.FIELDS);

        assertEquals(PACKETS.size(), frames.size());
        final List<String> mismatches = new ArrayList<>();
        final List<String> names = new ArrayList<>(PACKETS.keySet());
        try (Arena arena = Arena.ofConfined())
        {
            for (int f = 0; f < frames.size(); f++)
            {
                final byte[] packet = PACKETS.get(names.get(f));
                final MemorySegment segment = arena.allocate(packet.length, 1);
                MemorySegment.copy(packet, 0, segment, ValueLayout.JAVA_BYTE, 0, packet.length);
                final ParsedPackets parsed = new ParsedPackets(1);
                new PacketParser().parse(segment, 0, packet.length, packet.length, LinkType.ETHERNET, parsed, 0);
                assertFalse(frames.get(f).protocols().contains("_ws.malformed"),
                    names.get(f) + " is malformed to tshark");
                ParserMatchesTsharkTest.compareFrame(segment, parsed, frames.get(f), mismatches);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    private static ParsedPackets parse(final String name)
    {
        final ParsedPackets parsed = ExactParse.parse(PACKETS.get(name), LinkType.ETHERNET);
        assertEquals(Malformed.NONE, parsed.malformed(0), name);
        assertFalse(parsed.isSnapTruncated(0), name);
        return parsed;
    }

    private static void assertIpv4Ports(
        final ParsedPackets parsed, final String src, final String dst, final int protocol, final int srcPort,
        final int dstPort)
    {
        assertEquals(4, parsed.ipVersion(0));
        assertEquals(0, parsed.srcHi(0));
        assertEquals(ipv4Word(src), parsed.srcLo(0));
        assertEquals(0, parsed.dstHi(0));
        assertEquals(ipv4Word(dst), parsed.dstLo(0));
        assertEquals(protocol, parsed.ipProtocol(0));
        assertEquals(FlowKeyKind.PORTS, parsed.keyKind(0));
        assertEquals(srcPort, parsed.srcPort(0));
        assertEquals(dstPort, parsed.dstPort(0));
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

    /** GRE with C, K and S set: checksum and reserved, key 0xDEADBEEF, sequence 7, then IPv4/TCP. */
    private static byte[] greWithChecksumKeySequence()
    {
        final byte[] inner = concat(ipv4(6, C, D, 20), tcp(40006, 22));
        final byte[] gre = concat(hex("b000 0800"), hex("0000 0000"), u32(0xDEAD_BEEFL), u32(7), inner);
        final byte[] sum = u16(checksum(gre));
        gre[4] = sum[0];
        gre[5] = sum[1];
        return concat(ethernet(0x0800), ipv4(47, A, B, gre.length), gre);
    }

    private static byte[] vxlanPacket()
    {
        final byte[] inner = concat(ethernet(0x0800), ipv4(6, C, D, 20), tcp(40007, 8080));
        return concat(ethernet(0x0800), ipv4(17, A, B, 16 + inner.length), udp(50007, 4789, 16 + inner.length),
            vxlan(0x12_3456), inner);
    }

    /** GENEVE with one 8-byte option (class 0x0102, type 0x80, 4 bytes of data) and an Ethernet payload. */
    private static byte[] genevePacket()
    {
        final byte[] inner = concat(ethernet(0x0800), ipv4(6, C, D, 20), tcp(40008, 8443));
        final byte[] tunnel = geneve(0xA_BCDE, 0x6558, hex("0102 80 01 aabbccdd"));
        return concat(ethernet(0x0800), ipv4(17, A, B, 8 + tunnel.length + inner.length),
            udp(50008, 6081, 8 + tunnel.length + inner.length), tunnel, inner);
    }

    private static byte[] deepExtensionChains()
    {
        final List<byte[]> parts = new ArrayList<>();
        parts.add(ethernet(0x86DD));
        final int innerPayload = 20;
        final int middlePayload = 8 * 2048 + 40 + innerPayload;
        final int outerPayload = 8 * 2048 + 40 + middlePayload;
        parts.add(ipv6(60, A6, B6, outerPayload));
        addOptionsChain(parts);
        parts.add(ipv6(60, C6, D6, middlePayload));
        addOptionsChain(parts);
        parts.add(ipv6(6, "2001:db8:2::1", "2001:db8:2::2", innerPayload));
        parts.add(tcp(40011, 80));
        return concat(parts.toArray(byte[][]::new));
    }

    /** Eight destination options headers of 2048 bytes (the most one can be), then IPv6 (41). */
    private static void addOptionsChain(final List<byte[]> parts)
    {
        for (int e = 0; e < 8; e++)
        {
            parts.add(ipv6Options(e == 7 ? 41 : 60, 255));
        }
    }
}
