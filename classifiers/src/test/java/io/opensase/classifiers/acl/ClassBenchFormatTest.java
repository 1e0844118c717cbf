package io.opensase.classifiers.acl;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassBenchFormatTest
{
    @Test
    void shouldReadSharedRuleFileWithoutTrailingNewline() throws Exception
    {
        final List<AclRule> rules = ClassBenchFormat.readRules(SharedData.resolve("acl/classbench-traces/acl1_5"));
        assertEquals(5, rules.size());
        final AclRule first = rules.get(0);
        assertEquals(IpPrefix.parse("176.19.181.33/32"), first.source());
        assertEquals(IpPrefix.parse("90.145.23.162/32"), first.destination());
        assertEquals(PortRange.ANY, first.sourcePorts());
        assertEquals(PortRange.of(1550), first.destinationPorts());
        assertEquals(6, first.protocol());
        assertEquals(0xFF, first.protocolMask());
    }

    @Test
    void shouldReadRulesWithOrWithoutFlagsColumnAndWildcardProtocol() throws Exception
    {
        final List<AclRule> rules = ClassBenchFormat.parseRules("x", List.of(
            "@1.2.3.4/32\t5.6.7.0/24\t0 : 65535\t80 : 80\t0x06/0xFF",
            "# a comment",
            "",
            "@0.0.0.0/0 0.0.0.0/0 1024:65535 0 : 0 0x00/0x00 0x0000/0x0200",
            "@10.1.2.3/8\t0.0.0.0/0\t0 : 0\t65535 : 65535\t0x11/0x00\t"));
        assertEquals(3, rules.size());
        assertEquals(IpPrefix.parse("5.6.7.0/24"), rules.get(0).destination());
        assertEquals(new PortRange(1024, 65535), rules.get(1).sourcePorts());
        assertEquals(0, rules.get(1).protocolMask());
        assertEquals(IpPrefix.parse("10.0.0.0/8"), rules.get(2).source());
        assertEquals(0, rules.get(2).protocol(), "a value outside its mask is cleared");
    }

    @Test
    void shouldNameFileLineAndReasonForBadRules()
    {
        assertRuleError("@1.2.3/8\t0.0.0.0/0\t0 : 0\t0 : 0\t0x06/0xFF", "r:2: source '1.2.3' is not an IPv4 address");
        assertRuleError("@1.2.3.4/8\t0.0.0.0/0\t0 : 70000\t0 : 0\t0x06/0xFF",
            "r:2: source port '70000' is not within 0..65535");
        assertRuleError("@1.2.3.4/8\t0.0.0.0/0\t9 : 8\t0 : 0\t0x06/0xFF", "r:2: source port range 9 : 8 is empty");
        assertRuleError("@::1/128\t::/0\t0 : 0\t0 : 0\t0x06/0xFF", "r:2: source '::1/128': only IPv4 in this format");
        assertRuleError("@1.2.3.4/8\t0.0.0.0/0\t0 : 0\t0 : 0", "r:2: expected '@src/len dst/len lo : hi lo : hi"
            + " proto/mask [flags/mask]'");
        assertRuleError("@1.2.3.4/40\t0.0.0.0/0\t0 : 0\t0 : 0\t0x06/0xFF",
            "r:2: source prefix length '40' is not within 0..32");
        assertRuleError("@1.2.3.4/8\t0.0.0.0/0\t0 : 0\t0 : 0\t0x106/0xFF", "r:2: protocol '0x106' is not within 0..255");
    }

    @Test
    void shouldReadTracesAndNameBadLines() throws Exception
    {
        final AclTuples t = ClassBenchFormat.parseTrace("t", List.of("4294967295\t0\t65535\t0\t255\t0\t3",
            "1 2 3 4 6"));
        assertEquals(2, t.capacity());
        assertEquals(0xFFFF_FFFFL, t.srcLo[0]);
        assertEquals(65535, t.srcPort[0]);
        assertEquals(255, t.protocol[0]);
        assertEquals(4, t.dstPort[1]);
        assertTraceError("1 2 3 4", "t:2: expected 5 columns 'src dst sport dport proto', found 4");
        assertTraceError("", "t:2: empty line");
        assertTraceError("1 2 3 0x4 6", "t:2: column 4 '0x4' is not a decimal number");
        assertTraceError("4294967296 2 3 4 6", "t:2: source address 4294967296 is not within 0..4294967295");
        assertTraceError("1 2 3 65536 6", "t:2: destination port 65536 is not within 0..65535");
        assertTraceError("1 2 3 4 256", "t:2: protocol 256 is not within 0..255");
    }

    private static void assertRuleError(final String line, final String message)
    {
        final AclFormatException ex = assertThrows(AclFormatException.class, () -> ClassBenchFormat.parseRules("r",
            List.of("@1.2.3.4/32\t5.6.7.0/24\t0 : 65535\t80 : 80\t0x06/0xFF", line)));
        assertEquals(message, ex.getMessage());
    }

    private static void assertTraceError(final String line, final String message)
    {
        final AclFormatException ex = assertThrows(AclFormatException.class,
            () -> ClassBenchFormat.parseTrace("t", List.of("1 2 3 4 6", line)));
        assertEquals(message, ex.getMessage());
    }
}
