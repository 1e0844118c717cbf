package io.opensase.classifiers.acl;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Hand-made rule lists at the edges of every field, checked against {@link ReferenceAcl} on hand-picked and
 * seeded headers.
 */
class AclEdgeCasesTest
{
    private static final int TCP = AclRule.PROTO_TCP;
    private static final int UDP = AclRule.PROTO_UDP;

    private static AclRule v4(final String src, final String dst, final PortRange sp, final PortRange dp,
        final int proto, final int mask)
    {
        return AclRule.of(IpPrefix.parse(src), IpPrefix.parse(dst), sp, dp, proto, mask);
    }

    private static List<AclRule> ipv4Edges(final boolean catchAll)
    {
        final List<AclRule> rules = new ArrayList<>();
        rules.add(v4("10.0.0.0/8", "192.168.1.0/24", PortRange.ANY, PortRange.of(80), TCP, 0xFF));
        rules.add(v4("255.255.255.255/32", "0.0.0.0/0", PortRange.ANY, PortRange.ANY, 0, 0));
        rules.add(v4("0.0.0.0/0", "255.255.255.0/24", PortRange.of(65535), PortRange.ANY, 0, 0));
        rules.add(v4("10.1.0.0/16", "0.0.0.0/0", PortRange.ANY, new PortRange(0, 65535), UDP, 0xFF));
        rules.add(v4("10.1.2.0/24", "10.0.0.0/8", new PortRange(1024, 65535), new PortRange(0, 1023), 0, 0));
        rules.add(v4("0.0.0.0/32", "0.0.0.0/0", PortRange.ANY, PortRange.ANY, 0, 0));
        rules.add(v4("128.0.0.0/1", "0.0.0.0/1", PortRange.ANY, new PortRange(1024, 65535), TCP, 0xFF));
        rules.add(v4("0.0.0.0/0", "0.0.0.0/0", PortRange.ANY, PortRange.ANY, AclRule.PROTO_ICMP, 0xFF)
            .withIcmp(8, 0));
        rules.add(v4("0.0.0.0/0", "0.0.0.0/0", PortRange.ANY, PortRange.ANY, AclRule.PROTO_ICMP, 0xFF)
            .withIcmp(3, AclRule.ANY_ICMP).withDirection(Direction.INBOUND));
        rules.add(v4("0.0.0.0/0", "10.0.0.0/8", PortRange.ANY, PortRange.ANY, TCP, 0xFF).withTcpFlags(0x02, 0x12));
        rules.add(v4("0.0.0.0/0", "0.0.0.0/0", PortRange.ANY, PortRange.of(22), TCP, 0xFF)
            .withDirection(Direction.OUTBOUND));
        rules.add(v4("0.0.0.0/0", "0.0.0.0/0", PortRange.ANY, PortRange.ANY, 0x10, 0xF0));
        rules.add(v4("192.168.0.0/16", "192.168.1.128/25", PortRange.of(0), PortRange.of(65535), 0, 0));
        rules.add(v4("192.168.1.0/24", "192.168.0.0/16", PortRange.ANY, PortRange.ANY, UDP, 0xFF));
        rules.add(v4("255.255.255.0/24", "255.255.255.255/32", new PortRange(65000, 65535), PortRange.ANY, 0, 0));
        if (catchAll)
        {
            rules.add(v4("0.0.0.0/0", "0.0.0.0/0", PortRange.ANY, PortRange.ANY, 0, 0));
        }
        return rules;
    }

    private static List<AclRule> ipv6Edges()
    {
        final List<AclRule> rules = new ArrayList<>();
        rules.add(AclRule.of(IpPrefix.parse("2001:db8::1/128"), IpPrefix.parse("::/0"), PortRange.ANY,
            PortRange.of(443), TCP, 0xFF));
        rules.add(AclRule.of(IpPrefix.parse("2001:db8::/32"), IpPrefix.parse("2001:db8:1::/48"), PortRange.ANY,
            PortRange.ANY, 0, 0));
        rules.add(AclRule.of(IpPrefix.parse("::/0"), IpPrefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
            PortRange.ANY, PortRange.of(65535), 0, 0));
        rules.add(AclRule.of(IpPrefix.parse("fe80::/10"), IpPrefix.parse("::/0"), PortRange.ANY, PortRange.ANY,
            AclRule.PROTO_ICMPV6, 0xFF).withIcmp(135, 0));
        rules.add(AclRule.of(IpPrefix.parse("2001:db8:0:1::/64"), IpPrefix.parse("2001:db8:0:1:8000::/65"),
            PortRange.ANY, PortRange.ANY, UDP, 0xFF));
        rules.add(AclRule.of(IpPrefix.parse("2001:db8:0:1::/63"), IpPrefix.parse("2001:db8:0:1::/127"),
            new PortRange(1, 1023), PortRange.ANY, 0, 0));
        rules.add(AclRule.of(IpPrefix.parse("::/0"), IpPrefix.parse("::/128"), PortRange.ANY, PortRange.ANY, 0, 0));
        rules.add(AclRule.of(IpPrefix.parse("::/1"), IpPrefix.parse("8000::/1"), PortRange.ANY, PortRange.ANY, TCP,
            0xFF).withTcpFlags(0x10, 0x10).withDirection(Direction.INBOUND));
        rules.add(AclRule.of(IpPrefix.parse("::/0"), IpPrefix.parse("::/0"), PortRange.ANY, PortRange.ANY, 0, 0)
            .withDirection(Direction.OUTBOUND));
        return rules;
    }

    @Test
    void shouldMatchReferenceOnIpv4EdgesWithAndWithoutCatchAll()
    {
        for (final boolean catchAll : new boolean[] {false, true})
        {
            final List<AclRule> rules = ipv4Edges(catchAll);
            check("ipv4 catch-all " + catchAll, rules);
        }
    }

    @Test
    void shouldMatchReferenceOnIpv6AndMixedFamilies()
    {
        check("ipv6", ipv6Edges());
        final List<AclRule> mixed = new ArrayList<>();
        final List<AclRule> v4 = ipv4Edges(false);
        final List<AclRule> v6 = ipv6Edges();
        for (int i = 0; i < Math.max(v4.size(), v6.size()); i++)
        {
            if (i < v6.size())
            {
                mixed.add(v6.get(i));
            }
            if (i < v4.size())
            {
                mixed.add(v4.get(i));
            }
        }
        check("mixed", mixed);
    }

    @Test
    void shouldMatchHandPickedHeaders()
    {
        final List<AclRule> rules = ipv4Edges(false);
        final AclClassifier classifier = AclClassifier.build(rules);
        final ReferenceAcl reference = new ReferenceAcl(rules);
        final AclTuples t = new AclTuples(16);
        t.setV4(0, IpPrefix.parseV4("255.255.255.255"), IpPrefix.parseV4("1.2.3.4"), 0, 0, 0);
        t.setV4(1, IpPrefix.parseV4("1.2.3.4"), IpPrefix.parseV4("255.255.255.255"), 65535, 0, 99);
        t.setV4(2, IpPrefix.parseV4("1.2.3.4"), IpPrefix.parseV4("255.255.254.255"), 65535, 0, 99);
        t.setV4(3, IpPrefix.parseV4("10.1.2.3"), IpPrefix.parseV4("10.9.9.9"), 1024, 1023, 17);
        t.setV4(4, IpPrefix.parseV4("10.1.2.3"), IpPrefix.parseV4("10.9.9.9"), 1024, 1023, 6);
        t.setV4(5, IpPrefix.parseV4("0.0.0.0"), IpPrefix.parseV4("0.0.0.0"), 0, 0, 0);
        t.setV4(6, IpPrefix.parseV4("0.0.0.1"), IpPrefix.parseV4("8.8.8.8"), 7, 7, 0x1F);
        t.set(7, false, 0, IpPrefix.parseV4("9.9.9.9") & 0xFFFF_FFFFL, 0, IpPrefix.parseV4("8.8.8.8") & 0xFFFF_FFFFL,
            0, 0, AclRule.PROTO_ICMP, 0, 8, 0, 0);
        t.set(8, false, 0, 1, 0, IpPrefix.parseV4("10.0.0.1") & 0xFFFF_FFFFL, 5, 5, TCP, 0x02, 0, 0, 0);
        t.set(9, false, 0, 1, 0, IpPrefix.parseV4("10.0.0.1") & 0xFFFF_FFFFL, 5, 5, TCP, 0x12, 0, 0, 0);
        t.set(10, false, 0, 1, 0, 2, 5, 22, TCP, 0x12, 0, 0, Direction.OUTBOUND.code());
        t.set(11, false, 0, 1, 0, 2, 5, 22, TCP, 0x12, 0, 0, Direction.INBOUND.code());
        t.set(12, false, 0, 1, 0, 2, 0, 0, AclRule.PROTO_ICMP, 0, 3, 13, Direction.INBOUND.code());
        t.set(13, false, 0, 1, 0, 2, 0, 0, AclRule.PROTO_ICMP, 0, 3, 13, 0);
        final int[] expected = {1, 2, -1, 3, 4, 5, 11, 7, 9, -1, 10, -1, 8, -1};
        final int[] actual = new int[14];
        classifier.classify(t, 14, actual);
        for (int i = 0; i < 14; i++)
        {
            assertEquals(expected[i], reference.classify(t, i), "reference, header " + i);
            assertEquals(expected[i], actual[i], "classifier, header " + i);
        }
    }

    @Test
    void shouldReturnNoMatchForEmptyRulesAndOtherFamily()
    {
        final AclClassifier empty = AclClassifier.build(List.of());
        assertEquals(-1, empty.classify4(1, 2, 3, 4, 6));
        final AclClassifier v6Only = AclClassifier.build(ipv6Edges());
        assertEquals(-1, v6Only.classify4(0, 0, 0, 0, 0));
        final AclClassifier v4Only = AclClassifier.build(ipv4Edges(true));
        assertEquals(-1, v4Only.classify(true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void shouldRefuseInconsistentRules()
    {
        final IpPrefix any = IpPrefix.ANY_V4;
        assertThrows(IllegalArgumentException.class, () -> AclRule.of(any, IpPrefix.ANY_V6, PortRange.ANY,
            PortRange.ANY, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> AclRule.of(any, any, PortRange.ANY, PortRange.ANY, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> AclRule.of(any, any, PortRange.ANY, PortRange.ANY, 0, 0)
            .withIcmp(8, 0));
        assertThrows(IllegalArgumentException.class, () -> AclRule.of(any, any, PortRange.ANY, PortRange.ANY, 17,
            0xFF).withTcpFlags(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(10, 9));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("1.2.3.4/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("1.2.3/8"));
        assertEquals(IpPrefix.parse("10.1.2.3/8"), IpPrefix.parse("10.0.0.0/8"), "host bits are cleared");
    }

    @Test
    void shouldNotAllocateWhenClassifying() throws Exception
    {
        final List<AclRule> rules = new ArrayList<>(ipv4Edges(false));
        rules.addAll(ipv6Edges());
        final AclClassifier classifier = AclClassifier.build(rules);
        final AclTuples t = AclTraceGenerator.generate(rules, 256, 3, AclTraceGenerator.Mode.EDGES);
        final int[] results = new int[256];
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 20_000; warm++)
        {
            classifier.classify(t, 256, results);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        long sum = 0;
        for (int round = 0; round < 2_000; round++)
        {
            classifier.classify(t, 256, results);
            sum += results[round & 255];
            sum += classifier.classify(t.ipv6[round & 255], t.srcHi[round & 255], t.srcLo[round & 255],
                t.dstHi[round & 255], t.dstLo[round & 255], 1, 2, 6, 0, 0, 0, 0);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 512k classifications (checksum " + sum + ")");
    }

    private static void check(final String what, final List<AclRule> rules)
    {
        final AclClassifier classifier = AclClassifier.build(rules);
        final ReferenceAcl reference = new ReferenceAcl(rules);
        AclDifferentialTest.compare(what + " edges", classifier, reference,
            AclTraceGenerator.generate(rules, 50_000, 11, AclTraceGenerator.Mode.EDGES), 50_000);
        AclDifferentialTest.compare(what + " inside", classifier, reference,
            AclTraceGenerator.generate(rules, 10_000, 12, AclTraceGenerator.Mode.INSIDE), 10_000);
    }
}
