package io.opensase.classifiers.frag;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.testing.ExactParse;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static io.opensase.classifiers.frag.FragmentReassembler.COMPLETE;
import static io.opensase.classifiers.frag.FragmentReassembler.HELD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Datagrams built and fragmented by scapy ({@code fragment()}, {@code fragment6()}), offered in order, reversed
 * and shuffled: the reassembled datagram is, byte for byte, the one scapy builds without fragmentation (for
 * IPv6, without the fragment header). Scapy writes every header, so nothing expected comes from this project.
 */
class ScapyFragmentsTest
{
    /** Prints one line per case: name, the expected datagram, then each fragment as an Ethernet frame, in hex. */
    private static final String SCRIPT = """
        import sys
        from scapy.all import *
        def line(name, original, fragments, frame=lambda f: Ether(src="02:00:00:00:00:01",
                 dst="02:00:00:00:00:02") / f):
            print(name, raw(original).hex(), *[raw(frame(f)).hex() for f in fragments], sep="\\t")
        data = bytes((i * 7 + i // 256) & 0xFF for i in range(6000))
        ip4 = IP(src="192.0.2.10", dst="198.51.100.20", ttl=61)
        udp = ip4.copy(); udp.id = 1
        udp = udp / UDP(sport=5353, dport=53) / Raw(data[:4000])
        line("ipv4-udp", udp, [f[IP] for f in fragment(udp, fragsize=1480)])
        tcp = IP(src="192.0.2.10", dst="198.51.100.20", id=2, options=[IPOption_NOP()] * 3 + [IPOption_EOL()])
        tcp = tcp / TCP(sport=40000, dport=443, flags="PA", seq=1000) / Raw(data[:3000])
        line("ipv4-options-tcp", tcp, [f[IP] for f in fragment(tcp, fragsize=512)])
        icmp = IP(src="192.0.2.10", dst="198.51.100.20", id=3) / ICMP(id=9, seq=1) / Raw(data[:2500])
        line("ipv4-icmp-vlan", icmp, [f[IP] for f in fragment(icmp, fragsize=1000)],
             lambda f: Ether() / Dot1Q(vlan=5) / f)
        ip6 = IPv6(src="2001:db8::10", dst="2001:db8::20", hlim=60)
        u6 = ip6 / UDP(sport=5353, dport=53) / Raw(data[:5000])
        u6f = ip6 / IPv6ExtHdrFragment(id=0xA1B2C3D4) / UDP(sport=5353, dport=53) / Raw(data[:5000])
        line("ipv6-udp", u6, fragment6(u6f, 1280))
        hops = IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\\x00\\x00\\x00\\x00")])
        route = IPv6ExtHdrRouting(addresses=["2001:db8::99"])
        dest = IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\\x00\\x00\\x00\\x00")])
        x6 = ip6 / hops / route / dest / UDP(sport=1, dport=2) / Raw(data[:3000])
        x6f = ip6 / hops / route / IPv6ExtHdrFragment(id=7) / dest / UDP(sport=1, dport=2) / Raw(data[:3000])
        line("ipv6-hbh-routing-destopt", x6, fragment6(x6f, 1280))
        t6 = ip6 / TCP(sport=1, dport=2, flags="A") / Raw(data[:2000])
        t6f = ip6 / IPv6ExtHdrFragment(id=8) / TCP(sport=1, dport=2, flags="A") / Raw(data[:2000])
        line("ipv6-tcp", t6, fragment6(t6f, 1280))
        """;

    private record Case(String name, byte[] expected, List<byte[]> frames)
    {
    }

    private static final List<Case> CASES = new ArrayList<>();

    @BeforeAll
    static void buildWithScapy()
    {
        for (final String line : Tools.python(SCRIPT).split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String[] columns = line.split("\t");
            final List<byte[]> frames = new ArrayList<>();
            for (int c = 2; c < columns.length; c++)
            {
                frames.add(HexFormat.of().parseHex(columns[c]));
            }
            CASES.add(new Case(columns[0], HexFormat.of().parseHex(columns[1]), frames));
        }
        assertEquals(6, CASES.size());
    }

    @Test
    void shouldRebuildScapysDatagramsInOrderReversedAndShuffled()
    {
        final Random random = new Random(42);
        for (final Case scapy : CASES)
        {
            assertTrue(scapy.frames().size() >= 2, scapy.name());
            final List<byte[]> reversed = new ArrayList<>(scapy.frames());
            Collections.reverse(reversed);
            final List<byte[]> shuffled = new ArrayList<>(scapy.frames());
            Collections.shuffle(shuffled, random);
            for (final List<byte[]> order : List.of(scapy.frames(), reversed, shuffled))
            {
                for (final OverlapPolicy policy : OverlapPolicy.values())
                {
                    try (Harness harness = new Harness(policy))
                    {
                        for (int f = 0; f < order.size(); f++)
                        {
                            assertEquals(f == order.size() - 1 ? COMPLETE : HELD,
                                harness.offer(order.get(f), LinkType.ETHERNET, f), scapy.name() + " fragment " + f);
                        }
                        assertEquals(HexFormat.of().formatHex(scapy.expected()),
                            HexFormat.of().formatHex(harness.lastDatagram), scapy.name() + " " + policy);
                        assertEquals(0, harness.reassembler.conflicts());
                    }
                }
            }
            final LinkType link = 4 == (scapy.expected()[0] & 0xFF) >>> 4 ? LinkType.IPV4 : LinkType.IPV6;
            assertFalse(ExactParse.parse(scapy.expected(), link).isMalformed(0), scapy.name());
        }
    }
}
