package io.opensase.classifiers.parse;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tshark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every packet of every shared capture, decoded by the parser and by tshark (IP defragmentation and TCP
 * desegmentation off): the header fields of every layer, in order, and the protocol presence bits must
 * agree. Each packet is parsed from a segment of exactly its captured size, so a read past the packet
 * fails the test.
 * <p>
 * Left out by stated rules, each counted and printed: where tshark decodes past a point the parser stops
 * at by design (MPLS pseudowires, Teredo that Suricata's checks refuse, GRE Cisco metadata, ERSPAN), the
 * parser's fields must be a
 * prefix of tshark's and protocol bits are not compared; for ICMP errors, fields are compared in full
 * (quoted headers included, as tshark lists them) but protocol bits are not, since quoted headers do not
 * count as the packet's own protocols.
 */
class ParserMatchesTsharkTest
{
    static final String[] FIELDS = {
        "frame.protocols", "eth.src", "eth.dst", "vlan.id", "ieee8021ad.id", "mpls.label", "arp.opcode",
        "ip.src", "ip.dst", "ip.proto", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport",
        "udp.dstport", "sctp.srcport", "sctp.dstport", "icmp.type", "icmp.code", "icmpv6.type", "gre.key",
        "vxlan.vni", "geneve.vni"};

    /** tshark protocol names whose presence must equal the parser's protocol bit. */
    private static final Map<String, Protocol> PROTOCOL_NAMES = Map.ofEntries(
        Map.entry("eth", Protocol.ETH), Map.entry("ip", Protocol.IPV4), Map.entry("ipv6", Protocol.IPV6),
        Map.entry("tcp", Protocol.TCP), Map.entry("udp", Protocol.UDP), Map.entry("icmp", Protocol.ICMP),
        Map.entry("icmpv6", Protocol.ICMPV6), Map.entry("sctp", Protocol.SCTP), Map.entry("arp", Protocol.ARP),
        Map.entry("mpls", Protocol.MPLS), Map.entry("gre", Protocol.GRE), Map.entry("vxlan", Protocol.VXLAN),
        Map.entry("geneve", Protocol.GENEVE), Map.entry("teredo", Protocol.TEREDO));

    private static final Map<String, Integer> EXCLUDED = new TreeMap<>();
    private static int comparedPackets;

    @TestFactory
    Stream<DynamicTest> everySharedCaptureMatchesTshark()
    {
        return SharedData.captures().stream()
            .map(capture -> DynamicTest.dynamicTest(SharedData.name(capture), () -> compare(capture)));
    }

    @AfterAll
    static void reportRules()
    {
        System.out.println("parser vs tshark: " + comparedPackets + " packets compared; left out by rule: " + EXCLUDED);
    }

    private static void compare(final Path capture) throws Exception
    {
        final List<Tshark.Frame> expected = Tshark.decode(capture, concat(FIELDS, KEY_FIELDS));
        final PacketParser parser = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(1);
        final List<String> mismatches = new ArrayList<>();
        int frame = 0;
        try (CaptureReader reader = Captures.open(capture); Arena arena = Arena.ofConfined())
        {
            while (reader.next())
            {
                final MemorySegment packet = arena.allocate(reader.capturedLength());
                MemorySegment.copy(MemorySegment.ofAddress(reader.dataAddress()).reinterpret(reader.capturedLength()),
                    0, packet, 0, reader.capturedLength());
                parser.parse(packet, 0, reader.capturedLength(), reader.wireLength(), reader.linkType(), parsed, 0);
                final Tshark.Frame tshark = expected.get(frame++);
                compareFrame(packet, parsed, tshark, mismatches);
                compareFlowKey(parsed, tshark, mismatches);
                comparedPackets++;
            }
        }
        assertEquals(expected.size(), frame, "frames read vs tshark");
        if (!mismatches.isEmpty())
        {
            fail(SharedData.name(capture) + ": " + mismatches.size() + " mismatches\n"
                + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
        }
    }

    static void compareFrame(
        final MemorySegment packet,
        final ParsedPackets parsed,
        final Tshark.Frame tshark,
        final List<String> mismatches)
    {
        final String protocols = tshark.protocols();
        final String rule = prefixRule(tshark);
        final Map<String, List<String>> ours = decodeLayers(packet, parsed);
        for (final String field : FIELDS)
        {
            if ("frame.protocols".equals(field))
            {
                continue;
            }
            final List<String> mine = normalise(field, ours.getOrDefault(field, List.of()));
            final List<String> theirs = normalise(field, tshark.all(field));
            final boolean agree = null == rule ? mine.equals(theirs)
                : theirs.size() >= mine.size() && theirs.subList(0, mine.size()).equals(mine);
            if (!agree)
            {
                mismatches.add("frame " + tshark.number() + " " + field + ": parser " + mine + " tshark " + theirs
                    + " (" + protocols + "; parser malformed " + parsed.malformed(0).reportName() + ")");
            }
        }
        if (null != rule)
        {
            EXCLUDED.merge(rule + " (fields compared as prefix, protocols not compared)", 1, Integer::sum);
            return;
        }
        if (protocols.contains("icmp:ip") || protocols.contains("icmpv6:ipv6"))
        {
            EXCLUDED.merge("ICMP error quoting headers (protocols not compared)", 1, Integer::sum);
            return;
        }
        final Set<String> present = new HashSet<>(Arrays.asList(protocols.split(":")));
        final int bits = parsed.protocols(0);
        for (final Map.Entry<String, Protocol> name : PROTOCOL_NAMES.entrySet())
        {
            if (present.contains(name.getKey()) != name.getValue().isIn(bits))
            {
                mismatches.add("frame " + tshark.number() + " protocol " + name.getKey() + ": tshark "
                    + present.contains(name.getKey()) + " parser " + name.getValue().isIn(bits) + " (" + protocols + ")");
            }
        }
        final boolean tsharkVlan = present.contains("vlan") || present.contains("ieee8021ad");
        if (tsharkVlan != Protocol.VLAN.isIn(bits))
        {
            mismatches.add("frame " + tshark.number() + " protocol vlan: tshark " + tsharkVlan + " (" + protocols + ")");
        }
    }

    /** Fields read only to check the flow key material against. */
    private static final String[] KEY_FIELDS = {"icmp.ident", "icmpv6.echo.identifier", Tshark.TEREDO_FIELDS[0],
        Tshark.TEREDO_FIELDS[1]};

    private static String[] concat(final String[] first, final String[] second)
    {
        final String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    /**
     * The flow key material (innermost own IP addresses, protocol, ports or echo identifier, outer VLAN ids,
     * outermost tunnel id) against tshark's decode. The innermost own IP header is found by walking tshark's
     * protocol list up to where the parser stops by design or an ICMP error's quoted headers begin; a
     * tunnelled Ethernet frame without IP leaves the packet without a key.
     */
    private static void compareFlowKey(final ParsedPackets parsed, final Tshark.Frame tshark, final List<String> mismatches)
    {
        if (parsed.isMalformed(0))
        {
            return;
        }
        final List<String> tokens = List.of(tshark.protocols().split(":"));
        final Map<String, Integer> seen = new HashMap<>();
        String ip = null;
        int ipIndex = -1;
        String transport = null;
        int transportIndex = -1;
        int ethernets = 0;
        for (int t = 0; t < tokens.size(); t++)
        {
            final String name = tokens.get(t);
            if (name.startsWith("pw") || "teredo".equals(name) && Tshark.suricataRefusesTeredo(tshark)
                || "cmd".equals(name)
                || (("ip".equals(name) || "ipv6".equals(name)) && t > 0
                    && ("icmp".equals(tokens.get(t - 1)) || "icmpv6".equals(tokens.get(t - 1)))))
            {
                break;
            }
            final int index = seen.merge(name, 1, Integer::sum) - 1;
            if ("eth".equals(name) && ++ethernets > 1)
            {
                ip = null;
            }
            else if ("ip".equals(name) || "ipv6".equals(name))
            {
                ip = name;
                ipIndex = index;
                transport = null;
            }
            else if (null != ip && null == transport && Set.of("tcp", "udp", "sctp", "icmp", "icmpv6").contains(name))
            {
                transport = name;
                transportIndex = index;
            }
        }
        final String where = "frame " + tshark.number() + " key ";
        if (null == ip)
        {
            check(mismatches, where + "kind", FlowKeyKind.NONE, parsed.keyKind(0));
            return;
        }
        final String src = canonical(tshark.all(ip + ".src").get(ipIndex));
        final String dst = canonical(tshark.all(ip + ".dst").get(ipIndex));
        check(mismatches, where + "src", src, canonical(addressOf(parsed.ipVersion(0), parsed.srcHi(0), parsed.srcLo(0))));
        check(mismatches, where + "dst", dst, canonical(addressOf(parsed.ipVersion(0), parsed.dstHi(0), parsed.dstLo(0))));
        if ("ip".equals(ip))
        {
            check(mismatches, where + "protocol", Integer.parseInt(tshark.all("ip.proto").get(ipIndex)),
                parsed.ipProtocol(0));
        }
        byte kind = FlowKeyKind.ADDRESSES;
        if (null != transport && !transport.startsWith("icmp"))
        {
            kind = FlowKeyKind.PORTS;
            check(mismatches, where + "src port", Integer.parseInt(tshark.all(transport + ".srcport").get(transportIndex)),
                parsed.srcPort(0));
            check(mismatches, where + "dst port", Integer.parseInt(tshark.all(transport + ".dstport").get(transportIndex)),
                parsed.dstPort(0));
        }
        else if (null != transport)
        {
            final int type = Integer.parseInt(tshark.all(transport + ".type").get(transportIndex));
            if (0 == type || 8 == type || 128 == type || 129 == type)
            {
                kind = FlowKeyKind.ICMP_ECHO;
                final String identifier = "icmp".equals(transport) ? "icmp.ident" : "icmpv6.echo.identifier";
                final int expected = Integer.decode(tshark.all(identifier).getFirst());
                check(mismatches, where + "echo identifier", expected, parsed.srcPort(0));
                check(mismatches, where + "echo identifier", expected, parsed.dstPort(0));
            }
        }
        check(mismatches, where + "kind", kind, parsed.keyKind(0));
        checkTagsAndTunnel(parsed, tshark, mismatches, where);
    }

    /**
     * Outer VLAN ids are the first two tags (checked where there is one Ethernet header, since tshark lists
     * inner frames' tags in the same field); the tunnel id is the VNI or GRE key (checked where there is at
     * most one, since tshark's per-field lists lose the order across tunnel types).
     */
    private static void checkTagsAndTunnel(
        final ParsedPackets parsed, final Tshark.Frame tshark, final List<String> mismatches, final String where)
    {
        final List<Integer> tags = new ArrayList<>();
        tshark.all("ieee8021ad.id").forEach(id -> tags.add(Integer.parseInt(id)));
        tshark.all("vlan.id").forEach(id -> tags.add(Integer.parseInt(id)));
        if (tshark.protocols().indexOf("eth", 1) < 0)
        {
            check(mismatches, where + "outer vlan", tags.isEmpty() ? ParsedPackets.NO_VLAN : tags.get(0),
                parsed.vlanOuter(0));
            check(mismatches, where + "inner vlan", tags.size() < 2 ? ParsedPackets.NO_VLAN : tags.get(1),
                parsed.vlanInner(0));
        }
        final List<String> tunnels = new ArrayList<>();
        tunnels.addAll(tshark.all("vxlan.vni"));
        tunnels.addAll(tshark.all("geneve.vni"));
        tunnels.addAll(tshark.all("gre.key"));
        if (tunnels.size() <= 1)
        {
            check(mismatches, where + "tunnel id", tunnels.isEmpty() ? ParsedPackets.NO_TUNNEL : Long.decode(tunnels.getFirst()),
                parsed.tunnelId(0));
        }
    }

    private static void check(final List<String> mismatches, final String what, final Object expected, final Object actual)
    {
        if (!expected.equals(actual))
        {
            mismatches.add(what + ": tshark " + expected + " parser " + actual);
        }
    }

    private static String addressOf(final int version, final long hi, final long lo)
    {
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16).putLong(hi).putLong(lo);
        try
        {
            return InetAddress.getByAddress(4 == version ? Arrays.copyOfRange(bytes.array(), 12, 16) : bytes.array())
                .getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String canonical(final String literal)
    {
        return literal.indexOf(':') >= 0 ? canonicalIp(literal) : literal;
    }

    /** The rule under which tshark decodes further than the parser does by design, or null. */
    private static String prefixRule(final Tshark.Frame tshark)
    {
        final String protocols = tshark.protocols();
        if (protocols.contains("pwe"))
        {
            return "MPLS pseudowire";
        }
        if (protocols.contains("teredo") && Tshark.suricataRefusesTeredo(tshark))
        {
            return "Teredo refused by Suricata's checks (authentication header, hop limit 0)";
        }
        if (protocols.contains("gre:cmd"))
        {
            return "GRE Cisco metadata";
        }
        if (protocols.contains("erspan"))
        {
            return "ERSPAN";
        }
        return null;
    }

    /** The parser's layers rendered as tshark field occurrences, in layer order. */
    static Map<String, List<String>> decodeLayers(final MemorySegment packet, final ParsedPackets parsed)
    {
        final Map<String, List<String>> fields = new LinkedHashMap<>();
        for (int layer = 0; layer < parsed.layerCount(0); layer++)
        {
            final int o = parsed.layerOffset(0, layer);
            switch (LayerType.of(parsed.layerType(0, layer)))
            {
                case ETHERNET ->
                {
                    add(fields, "eth.dst", mac(packet, o));
                    add(fields, "eth.src", mac(packet, o + 6));
                }
                case VLAN -> add(fields, u16(packet, o - 2) == 0x88A8 ? "ieee8021ad.id" : "vlan.id",
                    Integer.toString(u16(packet, o) & 0x0FFF));
                case MPLS -> add(fields, "mpls.label", Long.toString(u32(packet, o) >>> 12));
                case ARP -> add(fields, "arp.opcode", Integer.toString(u16(packet, o + 6)));
                case IPV4 ->
                {
                    add(fields, "ip.src", address(packet, o + 12, 4));
                    add(fields, "ip.dst", address(packet, o + 16, 4));
                    add(fields, "ip.proto", Integer.toString(u8(packet, o + 9)));
                }
                case IPV6 ->
                {
                    add(fields, "ipv6.src", address(packet, o + 8, 16));
                    add(fields, "ipv6.dst", address(packet, o + 24, 16));
                }
                case TCP, UDP, SCTP ->
                {
                    final String name = LayerType.of(parsed.layerType(0, layer)).name().toLowerCase();
                    add(fields, name + ".srcport", Integer.toString(u16(packet, o)));
                    add(fields, name + ".dstport", Integer.toString(u16(packet, o + 2)));
                }
                case ICMP ->
                {
                    add(fields, "icmp.type", Integer.toString(u8(packet, o)));
                    add(fields, "icmp.code", Integer.toString(u8(packet, o + 1)));
                }
                case ICMPV6 -> add(fields, "icmpv6.type", Integer.toString(u8(packet, o)));
                case GRE ->
                {
                    final int flags = u16(packet, o);
                    if ((flags & 0x2000) != 0 && packet.byteSize() >= o + ((flags & 0x8000) != 0 ? 12 : 8))
                    {
                        add(fields, "gre.key", Long.toString(u32(packet, o + ((flags & 0x8000) != 0 ? 8 : 4))));
                    }
                }
                case VXLAN -> add(fields, "vxlan.vni", Long.toString(u32(packet, o + 4) >>> 8));
                case GENEVE -> add(fields, "geneve.vni", Long.toString(u32(packet, o + 4) >>> 8));
                default ->
                {
                }
            }
        }
        return fields;
    }

    private static void add(final Map<String, List<String>> fields, final String field, final String value)
    {
        fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
    }

    private static String mac(final MemorySegment packet, final int offset)
    {
        final StringBuilder text = new StringBuilder();
        for (int b = 0; b < 6; b++)
        {
            text.append(b == 0 ? "" : ":").append(String.format("%02x", u8(packet, offset + b)));
        }
        return text.toString();
    }

    private static String address(final MemorySegment packet, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        MemorySegment.copy(packet, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        try
        {
            return InetAddress.getByAddress(bytes).getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Brings both sides to one spelling: numbers in decimal, IPv6 addresses in full form. */
    private static List<String> normalise(final String field, final List<String> values)
    {
        final List<String> result = new ArrayList<>(values.size());
        for (final String value : values)
        {
            if (field.startsWith("ipv6."))
            {
                result.add(canonicalIp(value));
            }
            else if (value.startsWith("0x"))
            {
                result.add(Long.toString(Long.parseLong(value.substring(2), 16)));
            }
            else
            {
                result.add(value);
            }
        }
        return result;
    }

    private static final Map<String, String> CANONICAL = new HashMap<>();

    private static String canonicalIp(final String literal)
    {
        return CANONICAL.computeIfAbsent(literal, text ->
        {
            assertTrue(text.indexOf(':') >= 0, "not an IPv6 literal: " + text);
            try
            {
                return InetAddress.getByName(text).getHostAddress();
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
    }
}
