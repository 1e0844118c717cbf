package io.opensase.classifiers.parse;

import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.testing.ExactParse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.opensase.classifiers.testing.Frames.arpRequest;
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
import static io.opensase.classifiers.testing.Frames.mpls;
import static io.opensase.classifiers.testing.Frames.sctp;
import static io.opensase.classifiers.testing.Frames.tag;
import static io.opensase.classifiers.testing.Frames.tcp;
import static io.opensase.classifiers.testing.Frames.udp;
import static io.opensase.classifiers.testing.Frames.vxlan;
import static io.opensase.classifiers.testing.Frames.zeros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One hand-built packet per {@link Malformed} reason, and the edges around them: what is snap truncation
 * rather than malformation, what is flagged but parsed on, and the configured limits. Every packet is parsed
 * from a segment of exactly its captured size, so a read past its end throws and fails the test.
 */
class MalformedPacketsTest
{
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";
    private static final String A6 = "2001:db8::1";
    private static final String B6 = "2001:db8::2";

    private static final byte[] ETH_IPV4 = ethernet(0x0800);
    private static final byte[] ETH_IPV6 = ethernet(0x86DD);

    /** A malformed packet, the link it starts from, and the layers recorded before the parser gave up. */
    record Case(Malformed reason, LinkType link, byte[] packet, List<String> layers)
    {
        @Override
        public String toString()
        {
            return reason.name();
        }
    }

    static List<Case> cases()
    {
        final List<Case> cases = new ArrayList<>();
        cases.add(new Case(Malformed.LINK_TRUNCATED, LinkType.LINUX_SLL, zeros(15), List.of()));
        cases.add(new Case(Malformed.ETHERNET_TRUNCATED, LinkType.ETHERNET, cut(ETH_IPV4, 13), List.of()));
        cases.add(new Case(Malformed.VLAN_TRUNCATED, LinkType.ETHERNET,
            concat(ethernet(0x8100), hex("0064")), List.of("ETHERNET@0")));
        cases.add(new Case(Malformed.MPLS_TRUNCATED, LinkType.ETHERNET,
            concat(ethernet(0x8847), hex("000641")), List.of("ETHERNET@0")));
        // ARP claims 6-byte hardware and 4-byte protocol addresses: 28 bytes, of which 20 are there.
        cases.add(new Case(Malformed.ARP_TRUNCATED, LinkType.ETHERNET,
            concat(ethernet(0x0806), cut(arpRequest(A, B), 20)), List.of("ETHERNET@0", "ARP@14")));
        cases.add(new Case(Malformed.IPV4_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, cut(ipv4(6, A, B, 0), 19)), List.of("ETHERNET@0")));
        cases.add(new Case(Malformed.IPV4_VERSION, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(0x55, 20, 0, 6, A, B, new byte[0])), List.of("ETHERNET@0", "IPV4@14")));
        cases.add(new Case(Malformed.IPV4_IHL, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(0x44, 20, 0, 6, A, B, new byte[0])), List.of("ETHERNET@0", "IPV4@14")));
        cases.add(new Case(Malformed.IPV4_LENGTH, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(0x45, 19, 0, 6, A, B, new byte[0])), List.of("ETHERNET@0", "IPV4@14")));
        // Record route (7) claiming 8 bytes in a 4-byte options area.
        cases.add(new Case(Malformed.IPV4_OPTIONS, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(0x46, 24, 0, 17, A, B, hex("07 08 04 00"))), List.of("ETHERNET@0", "IPV4@14")));
        cases.add(new Case(Malformed.IPV6_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV6, cut(ipv6(59, A6, B6, 0), 39)), List.of("ETHERNET@0")));
        final byte[] version4 = ipv6(59, A6, B6, 0);
        version4[0] = 0x40;
        cases.add(new Case(Malformed.IPV6_VERSION, LinkType.ETHERNET,
            concat(ETH_IPV6, version4), List.of("ETHERNET@0", "IPV6@14")));
        // Payload length 100 over 20 bytes of TCP: flagged, and parsed on over the frame.
        cases.add(new Case(Malformed.IPV6_LENGTH, LinkType.ETHERNET,
            concat(ETH_IPV6, ipv6(6, A6, B6, 100), tcp(1111, 80)), List.of("ETHERNET@0", "IPV6@14", "TCP@54")));
        // A destination options header of 16 bytes in an 8-byte payload.
        cases.add(new Case(Malformed.IPV6_EXT_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV6, ipv6(60, A6, B6, 8), cut(ipv6Options(59, 1), 8)),
            List.of("ETHERNET@0", "IPV6@14", "IPV6_EXT@54")));
        // Router alert (5) claiming 10 bytes of data in an 8-byte header.
        cases.add(new Case(Malformed.IPV6_OPTIONS, LinkType.ETHERNET,
            concat(ETH_IPV6, ipv6(60, A6, B6, 8), hex("3b 00 05 0a 00000000")),
            List.of("ETHERNET@0", "IPV6@14", "IPV6_EXT@54")));
        cases.add(new Case(Malformed.IPV6_EXT_CHAIN, LinkType.ETHERNET, destinationOptionsChain(9),
            expectedLayers("ETHERNET@0", "IPV6@14", extensionLayers(54, 8, 8))));
        cases.add(new Case(Malformed.TCP_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(6, A, B, 10), cut(tcp(1111, 80), 10)), List.of("ETHERNET@0", "IPV4@14")));
        cases.add(new Case(Malformed.TCP_DATA_OFFSET, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(6, A, B, 20), tcp(1111, 80, 4, new byte[0])),
            List.of("ETHERNET@0", "IPV4@14", "TCP@34")));
        // MSS (2) claiming 8 bytes in a 4-byte options area.
        cases.add(new Case(Malformed.TCP_OPTIONS, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(6, A, B, 24), tcp(1111, 80, 6, hex("02 08 05 b4"))),
            List.of("ETHERNET@0", "IPV4@14", "TCP@34")));
        cases.add(new Case(Malformed.UDP_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(17, A, B, 6), cut(udp(53, 53, 8), 6)), List.of("ETHERNET@0", "IPV4@14")));
        cases.add(new Case(Malformed.UDP_LENGTH, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(17, A, B, 8), udp(53, 53, 7)), List.of("ETHERNET@0", "IPV4@14", "UDP@34")));
        cases.add(new Case(Malformed.ICMP_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(1, A, B, 7), cut(icmp(8, 0, 0x0001_0001), 7)), List.of("ETHERNET@0", "IPV4@14")));
        cases.add(new Case(Malformed.ICMPV6_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV6, ipv6(58, A6, B6, 3), cut(icmp(128, 0, 0), 3)), List.of("ETHERNET@0", "IPV6@14")));
        cases.add(new Case(Malformed.SCTP_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(132, A, B, 11), cut(sctp(2905, 2905), 11)), List.of("ETHERNET@0", "IPV4@14")));
        // GRE with the key flag needs 8 bytes; 6 are there.
        cases.add(new Case(Malformed.GRE_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(47, A, B, 6), hex("2000 0800 0000")),
            List.of("ETHERNET@0", "IPV4@14", "GRE@34")));
        cases.add(new Case(Malformed.VXLAN_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(17, A, B, 15), udp(40000, 4789, 15), cut(vxlan(42), 7)),
            List.of("ETHERNET@0", "IPV4@14", "UDP@34")));
        // GENEVE announcing 8 bytes of options: 16 bytes of header, of which 12 are there.
        cases.add(new Case(Malformed.GENEVE_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(17, A, B, 20), udp(40000, 6081, 20), cut(geneve(42, 0x6558, zeros(8)), 12)),
            List.of("ETHERNET@0", "IPV4@14", "UDP@34", "GENEVE@42")));
        // First fragment (MF, offset 0) of a TCP datagram, with 16 bytes of the TCP header.
        cases.add(new Case(Malformed.FRAGMENT_L4_TRUNCATED, LinkType.ETHERNET,
            concat(ETH_IPV4, ipv4(0x45, 36, 0x2000, 6, A, B, new byte[0]), cut(tcp(1111, 80), 16)),
            List.of("ETHERNET@0", "IPV4@14")));
        // Six IPv4 headers: the default limit of 4 tunnels admits five; the fifth tunnel is one too many.
        cases.add(new Case(Malformed.TUNNEL_DEPTH, LinkType.ETHERNET, ipInIp(6),
            List.of("ETHERNET@0", "IPV4@14", "IPV4@34", "IPV4@54", "IPV4@74", "IPV4@94")));
        // 40 MPLS labels: Ethernet and 31 labels fill the 32 layers.
        final List<String> labels = new ArrayList<>(List.of("ETHERNET@0"));
        for (int label = 0; label < 31; label++)
        {
            labels.add("MPLS@" + (14 + 4 * label));
        }
        cases.add(new Case(Malformed.LAYER_LIMIT, LinkType.ETHERNET, mplsStack(40), labels));
        return cases;
    }

    @Test
    void shouldHaveOneCaseForEveryMalformedReason()
    {
        final Set<Malformed> covered = cases().stream().map(Case::reason).collect(Collectors.toSet());
        final Set<Malformed> all = EnumSet.allOf(Malformed.class);
        all.remove(Malformed.NONE);

        assertEquals(all, covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldReportTheReasonAndTheLayersBeforeIt(final Case malformed)
    {
        final ParsedPackets parsed = ExactParse.parse(malformed.packet(), malformed.link());

        assertEquals(malformed.reason(), parsed.malformed(0));
        assertTrue(parsed.isMalformed(0));
        assertFalse(parsed.isSnapTruncated(0), "captured == wire: never snap-truncated");
        assertEquals(malformed.layers(), ExactParse.layers(parsed, 0));
        assertFalse(new FlowKey().set(parsed, 0, 0), "a malformed packet is not tracked");
    }

    /**
     * The same packets with 1000 more bytes on the wire than captured: where only the end of the capture cut a
     * header short, the packet becomes snap-truncated and not malformed; where a length field or a header
     * field lies, the reason stands.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldTellACaptureShortfallFromALyingHeader(final Case malformed)
    {
        final Set<Malformed> captureBound = EnumSet.of(Malformed.LINK_TRUNCATED, Malformed.ETHERNET_TRUNCATED,
            Malformed.VLAN_TRUNCATED, Malformed.MPLS_TRUNCATED, Malformed.ARP_TRUNCATED, Malformed.IPV4_TRUNCATED,
            Malformed.IPV6_TRUNCATED, Malformed.IPV6_LENGTH);

        final ParsedPackets parsed = ExactParse.parse(
            new PacketParser(), malformed.packet(), malformed.packet().length + 1000, malformed.link());

        if (captureBound.contains(malformed.reason()))
        {
            assertEquals(Malformed.NONE, parsed.malformed(0));
            assertTrue(parsed.isSnapTruncated(0));
        }
        else
        {
            assertEquals(malformed.reason(), parsed.malformed(0));
        }
    }

    @Test
    void shouldCountAHeaderCutByTheSnapLengthAsSnapTruncatedNotMalformed()
    {
        final byte[] frame = concat(ETH_IPV4, ipv4(6, A, B, 40), tcp(1111, 80), zeros(20));

        final ParsedPackets parsed = ExactParse.parse(new PacketParser(), cut(frame, 40), frame.length,
            LinkType.ETHERNET);

        assertTrue(parsed.isSnapTruncated(0));
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14"), ExactParse.layers(parsed, 0));
        assertEquals(ipv4Word(A), parsed.srcLo(0));
        assertEquals(ipv4Word(B), parsed.dstLo(0));
    }

    @Test
    void shouldCountAFrameCutInsideItsEthernetHeaderAsSnapTruncated()
    {
        final byte[] frame = concat(ETH_IPV4, ipv4(17, A, B, 8), udp(53, 53, 8));

        final ParsedPackets parsed = ExactParse.parse(new PacketParser(), cut(frame, 10), frame.length,
            LinkType.ETHERNET);

        assertTrue(parsed.isSnapTruncated(0));
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(List.of(), ExactParse.layers(parsed, 0));
    }

    /**
     * A SYN with 12 bytes of options, captured with the common 54-byte snap length: the options are cut, but
     * the ports are in the captured fixed header, so the packet must key on them like the rest of its flow.
     */
    @Test
    void shouldKeepThePortsOfATcpHeaderWhoseOptionsAreCutBySnapLength()
    {
        final byte[] syn = concat(ETH_IPV4, ipv4(6, A, B, 32),
            tcp(4660, 80, 8, hex("020405b4 01010402 01030307")));

        final ParsedPackets parsed = ExactParse.parse(new PacketParser(), cut(syn, 54), syn.length,
            LinkType.ETHERNET);

        assertTrue(parsed.isSnapTruncated(0));
        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "TCP@34"), ExactParse.layers(parsed, 0));
        assertEquals(FlowKeyKind.PORTS, parsed.keyKind(0));
        assertEquals(4660, parsed.srcPort(0));
        assertEquals(80, parsed.dstPort(0));
    }

    @Test
    void shouldFlagAnIpv4TotalLengthLongerThanTheFrameAndParseOn()
    {
        final byte[] frame = concat(ETH_IPV4, ipv4(0x45, 200, 0x4000, 6, A, B, new byte[0]), tcp(1111, 80));

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.IPV4_LENGTH, parsed.malformed(0));
        assertFalse(parsed.isSnapTruncated(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "TCP@34"), ExactParse.layers(parsed, 0));
        assertEquals(1111, parsed.srcPort(0));
        assertEquals(80, parsed.dstPort(0));
        assertTrue(Protocol.TCP.isIn(parsed.protocols(0)));
        assertFalse(new FlowKey().set(parsed, 0, 0), "a malformed packet is not tracked");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void shouldRejectAnIpv4HeaderLengthBelowFiveWords(final int ihl)
    {
        final byte[] frame = concat(ETH_IPV4, ipv4(0x40 | ihl, 40, 0, 6, A, B, new byte[0]), tcp(1111, 80));

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.IPV4_IHL, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14"), ExactParse.layers(parsed, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void shouldRejectATcpDataOffsetBelowFiveWords(final int dataOffset)
    {
        final byte[] frame = concat(ETH_IPV4, ipv4(6, A, B, 20), tcp(1111, 80, dataOffset, new byte[0]));

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.TCP_DATA_OFFSET, parsed.malformed(0));
    }

    @Test
    void shouldRejectATcpDataOffsetPastTheIpPayload()
    {
        // Data offset 15 words (60 bytes) in a 20-byte IP payload, inside a frame padded well past it.
        final byte[] frame = concat(ETH_IPV4, ipv4(6, A, B, 20), tcp(1111, 80, 15, new byte[0]), zeros(60));

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.TCP_DATA_OFFSET, parsed.malformed(0));
        assertFalse(parsed.isSnapTruncated(0));
    }

    @Test
    void shouldAcceptTheConfiguredNumberOfExtensionHeadersAndRejectOneMore()
    {
        final PacketParser parser = new PacketParser(4, 2);
        final byte[] twoHeaders = destinationOptionsChain(2);
        final byte[] threeHeaders = destinationOptionsChain(3);

        final ParsedPackets two = ExactParse.parse(parser, twoHeaders, twoHeaders.length, LinkType.ETHERNET);
        final ParsedPackets three = ExactParse.parse(parser, threeHeaders, threeHeaders.length, LinkType.ETHERNET);

        assertEquals(Malformed.NONE, two.malformed(0));
        assertEquals(expectedLayers("ETHERNET@0", "IPV6@14", extensionLayers(54, 8, 2), "TCP@70"),
            ExactParse.layers(two, 0));
        assertEquals(FlowKeyKind.PORTS, two.keyKind(0));
        assertEquals(Malformed.IPV6_EXT_CHAIN, three.malformed(0));
        assertEquals(expectedLayers("ETHERNET@0", "IPV6@14", extensionLayers(54, 8, 2)), ExactParse.layers(three, 0));
    }

    @Test
    void shouldRejectAnyExtensionHeaderWhenTheLimitIsZero()
    {
        final ParsedPackets parsed = ExactParse.parse(new PacketParser(4, 0), destinationOptionsChain(1),
            destinationOptionsChain(1).length, LinkType.ETHERNET);

        assertEquals(Malformed.IPV6_EXT_CHAIN, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV6@14"), ExactParse.layers(parsed, 0));
    }

    @Test
    void shouldParseTunnelsUpToTheDefaultDepth()
    {
        // Five IPv4 headers: four tunnels, the default limit.
        final ParsedPackets parsed = ExactParse.parse(ipInIp(5), LinkType.ETHERNET);

        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "IPV4@34", "IPV4@54", "IPV4@74", "IPV4@94", "TCP@114"),
            ExactParse.layers(parsed, 0));
        assertEquals(ipv4Word("10.0.5.1"), parsed.srcLo(0));
        assertEquals(FlowKeyKind.PORTS, parsed.keyKind(0));
    }

    @Test
    void shouldRejectTunnelsNestedDeeperThanAConfiguredLimit()
    {
        // IPv4 / GRE / IPv4 / UDP / VXLAN / Ethernet...: the VXLAN is the second tunnel; the limit is one.
        final byte[] inner = concat(ethernet(0x0800), ipv4(6, "192.168.0.1", "192.168.0.2", 20), tcp(1, 2));
        final byte[] vxlanPacket = concat(ipv4(17, "172.16.0.1", "172.16.0.2", 16 + inner.length),
            udp(50000, 4789, 16 + inner.length), vxlan(7), inner);
        final byte[] frame = concat(ETH_IPV4, ipv4(47, A, B, 4 + vxlanPacket.length), hex("0000 0800"), vxlanPacket);

        final ParsedPackets limited = ExactParse.parse(new PacketParser(1, 8), frame, frame.length, LinkType.ETHERNET);
        final ParsedPackets none = ExactParse.parse(new PacketParser(0, 8), frame, frame.length, LinkType.ETHERNET);
        final ParsedPackets two = ExactParse.parse(new PacketParser(2, 8), frame, frame.length, LinkType.ETHERNET);

        assertEquals(Malformed.TUNNEL_DEPTH, limited.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "GRE@34", "IPV4@38", "UDP@58", "VXLAN@66"),
            ExactParse.layers(limited, 0));
        assertEquals(Malformed.TUNNEL_DEPTH, none.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "GRE@34"), ExactParse.layers(none, 0));
        assertEquals(Malformed.NONE, two.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV4@14", "GRE@34", "IPV4@38", "UDP@58", "VXLAN@66", "ETHERNET@74",
            "IPV4@88", "TCP@108"), ExactParse.layers(two, 0));
    }

    @Test
    void shouldRejectAnIpv6FirstFragmentTooShortForItsTcpHeader()
    {
        final byte[] frame = concat(ETH_IPV6, ipv6(44, A6, B6, 8 + 12), ipv6Fragment(6, 0, true, 99),
            cut(tcp(1111, 80), 12));

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.FRAGMENT_L4_TRUNCATED, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV6@14", "IPV6_EXT@54"), ExactParse.layers(parsed, 0));
    }

    /**
     * An ICMPv6 error is 8 bytes before the quoted datagram (type, code, checksum, then the unused, MTU or
     * pointer word, RFC 4443); 4 bytes of it is malformed, as it is to tshark.
     */
    @Test
    void shouldRejectAnIcmpv6ErrorShorterThanItsEightByteHeader()
    {
        final byte[] frame = concat(ETH_IPV6, ipv6(58, A6, B6, 4), hex("01 04 0000"));

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.ICMPV6_TRUNCATED, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "IPV6@14", "ICMPV6@54"), ExactParse.layers(parsed, 0));
    }

    @Test
    void shouldNotTreatALaterFragmentWithoutTransportHeaderAsMalformed()
    {
        // Offset 185 (1480 bytes), 4 bytes of payload: no TCP header, and none expected.
        final byte[] frame = concat(ETH_IPV4, ipv4(0x45, 24, 185, 6, A, B, new byte[0]), hex("deadbeef"));

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(FlowKeyKind.ADDRESSES, parsed.keyKind(0));
        assertEquals(6, parsed.ipProtocol(0));
        assertTrue(Protocol.FRAGMENT.isIn(parsed.protocols(0)));
    }

    @Test
    void shouldNeverTreatBrokenQuotedHeadersAsMalformed()
    {
        // Port unreachable quoting an IPv4 header with version 5 and another with IHL 3, then one cut at 12 bytes.
        for (final byte[] quoted : List.of(ipv4(0x55, 28, 0, 17, B, A, new byte[0]),
            ipv4(0x43, 28, 0, 17, B, A, new byte[0]), cut(ipv4(17, B, A, 8), 12)))
        {
            final byte[] frame = concat(ETH_IPV4, ipv4(1, A, B, 8 + quoted.length), icmp(3, 3, 0), quoted);

            final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

            assertEquals(Malformed.NONE, parsed.malformed(0), Arrays.toString(quoted));
            assertEquals(FlowKeyKind.ADDRESSES, parsed.keyKind(0));
        }
    }

    @Test
    void shouldParseANonIpMplsPayloadAsFarAsTheStack()
    {
        // Bottom label followed by a pseudowire control word (first nibble 0): not decoded, not malformed.
        final byte[] frame = concat(ethernet(0x8847), mpls(100, true, 64), hex("00000000"), ETH_IPV4);

        final ParsedPackets parsed = ExactParse.parse(frame, LinkType.ETHERNET);

        assertEquals(Malformed.NONE, parsed.malformed(0));
        assertEquals(List.of("ETHERNET@0", "MPLS@14"), ExactParse.layers(parsed, 0));
    }

    private static byte[] cut(final byte[] bytes, final int length)
    {
        return Arrays.copyOf(bytes, length);
    }

    /** Ethernet, IPv6, {@code count} empty destination options headers, then a TCP header. */
    static byte[] destinationOptionsChain(final int count)
    {
        final List<byte[]> parts = new ArrayList<>();
        parts.add(ETH_IPV6);
        parts.add(ipv6(60, A6, B6, count * 8 + 20));
        for (int e = 0; e < count; e++)
        {
            parts.add(ipv6Options(e == count - 1 ? 6 : 60, 0));
        }
        parts.add(tcp(1111, 80));
        return concat(parts.toArray(byte[][]::new));
    }

    /** Ethernet, then {@code headers} IPv4 headers each carrying the next (protocol 4), then TCP. */
    private static byte[] ipInIp(final int headers)
    {
        byte[] packet = tcp(1111, 80);
        for (int h = headers; h >= 1; h--)
        {
            packet = concat(ipv4(h == headers ? 6 : 4, "10.0." + h + ".1", "10.0." + h + ".2", packet.length), packet);
        }
        return concat(ETH_IPV4, packet);
    }

    private static byte[] mplsStack(final int labels)
    {
        final List<byte[]> parts = new ArrayList<>();
        parts.add(ethernet(0x8847));
        for (int label = 0; label < labels; label++)
        {
            parts.add(mpls(16 + label, label == labels - 1, 64));
        }
        parts.add(ipv4(17, A, B, 8));
        parts.add(udp(1, 2, 8));
        return concat(parts.toArray(byte[][]::new));
    }

    private static List<String> extensionLayers(final int first, final int length, final int count)
    {
        final List<String> layers = new ArrayList<>();
        for (int e = 0; e < count; e++)
        {
            layers.add("IPV6_EXT@" + (first + e * length));
        }
        return layers;
    }

    private static List<String> expectedLayers(final Object... parts)
    {
        final List<String> layers = new ArrayList<>();
        for (final Object part : parts)
        {
            if (part instanceof final List<?> list)
            {
                list.forEach(layer -> layers.add((String)layer));
            }
            else
            {
                layers.add((String)part);
            }
        }
        return layers;
    }
}
