package io.opensase.classifiers.acl;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production classifier against the linear-scan {@link ReferenceAcl} on every shared ClassBench set and
 * trace, on seeded traces, and on 100k-rule sets made from the shared 10k sets. Every disagreement is a
 * failure; the first few are named.
 */
class AclDifferentialTest
{
    private static final long SEED = 0x4AC1_5EEDL;
    private static final int EDGE_HEADERS = 20_000;
    private static final int INSIDE_HEADERS = 5_000;
    private static final int BIG_HEADERS = 50_000;

    @ParameterizedTest
    @ValueSource(strings = {"acl1_1k", "acl2_1k", "acl3_1k", "fw1_1k", "fw2_1k", "fw3_1k", "ipc1_1k",
        "acl1_10k", "acl2_10k", "acl3_10k", "fw1_10k", "fw2_10k", "fw3_10k", "ipc1_10k"})
    void shouldMatchReferenceOnGeneratedHeadersForEveryClassBenchSet(final String set) throws Exception
    {
        final List<AclRule> rules = ClassBenchFormat.readRules(SharedData.resolve("acl/classbench/" + set));
        final AclClassifier classifier = AclClassifier.build(rules);
        final ReferenceAcl reference = new ReferenceAcl(rules);
        compare(set + " edges", classifier, reference,
            AclTraceGenerator.generate(rules, EDGE_HEADERS, SEED, AclTraceGenerator.Mode.EDGES), EDGE_HEADERS);
        compare(set + " inside", classifier, reference,
            AclTraceGenerator.generate(rules, INSIDE_HEADERS, SEED + 1, AclTraceGenerator.Mode.INSIDE),
            INSIDE_HEADERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"classbench-traces/acl1_5", "classbench-traces/fw_1k", "classbench-traces/ipc_1k",
        "classbench/acl1_1k"})
    void shouldMatchReferenceOnEverySharedTrace(final String set) throws Exception
    {
        final Path rulesFile = SharedData.resolve("acl/" + set);
        final String name = rulesFile.getFileName().toString();
        final Path traceFile = SharedData.resolve("acl/classbench-traces/" + name + "_trace");
        final List<AclRule> rules = ClassBenchFormat.readRules(rulesFile);
        final AclTuples trace = ClassBenchFormat.readTrace(traceFile);
        final AclClassifier classifier = AclClassifier.build(rules);
        final ReferenceAcl reference = new ReferenceAcl(rules);
        final int[] expected = compare(name + " trace", classifier, reference, trace, trace.capacity());
        // the trace's last column names the rule each header was drawn from: the first match is never later
        final List<String> lines = java.nio.file.Files.readAllLines(traceFile);
        for (int i = 0; i < trace.capacity(); i++)
        {
            final String[] columns = lines.get(i).strip().split("\\s+");
            final int hint = Integer.parseInt(columns[columns.length - 1]);
            assertTrue(expected[i] >= 0 && expected[i] <= hint,
                name + " line " + (i + 1) + ": first match " + expected[i] + " after the trace's rule " + hint);
        }
        compare(name + " edges", classifier, reference,
            AclTraceGenerator.generate(rules, EDGE_HEADERS, SEED, AclTraceGenerator.Mode.EDGES), EDGE_HEADERS);
    }

    /**
     * 100k-rule sets: the shared 10k set followed by ten transformed copies of it. Copy k (1..10) adds
     * {@code 16 k} to the first octet (mod 256) of every source and destination prefix of length 8 or more,
     * and adds k (mod 65536) to every single-port range other than port 0; shorter prefixes and port ranges
     * stay as they are. So copies overlap the original and each other where prefixes are short, and are
     * disjoint where prefixes are long. Checked on {@value #BIG_HEADERS} edge headers and as many inside
     * headers.
     */
    @ParameterizedTest
    @ValueSource(strings = {"acl1_10k", "fw1_10k", "ipc1_10k"})
    void shouldMatchReferenceOn100kRuleSets(final String set) throws Exception
    {
        final List<AclRule> rules = hundredThousand(
            ClassBenchFormat.readRules(SharedData.resolve("acl/classbench/" + set)));
        assertTrue(rules.size() >= 100_000, set + " x 11 has " + rules.size() + " rules");
        final AclClassifier classifier = AclClassifier.build(rules);
        System.out.printf("%s x 11: %d rules, build %d ms, %.1f MB, %d groups%n", set, rules.size(),
            classifier.buildNanos() / 1_000_000, classifier.memoryBytes() / 1e6, classifier.groupCount());
        final ReferenceAcl reference = new ReferenceAcl(rules);
        compare(set + " x 11 edges", classifier, reference,
            AclTraceGenerator.generate(rules, BIG_HEADERS, SEED, AclTraceGenerator.Mode.EDGES), BIG_HEADERS);
        compare(set + " x 11 inside", classifier, reference,
            AclTraceGenerator.generate(rules, BIG_HEADERS, SEED + 1, AclTraceGenerator.Mode.INSIDE), BIG_HEADERS);
    }

    @Test
    void shouldAgreeBetweenSingleAndBurstEntryPoints() throws Exception
    {
        final List<AclRule> rules = ClassBenchFormat.readRules(SharedData.resolve("acl/classbench/fw1_1k"));
        final AclClassifier classifier = AclClassifier.build(rules);
        final AclTuples t = AclTraceGenerator.generate(rules, 1000, SEED, AclTraceGenerator.Mode.EDGES);
        final int[] burst = new int[1000];
        classifier.classify(t, 1000, burst);
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(burst[i], classifier.classify(t.ipv6[i], t.srcHi[i], t.srcLo[i], t.dstHi[i], t.dstLo[i],
                t.srcPort[i], t.dstPort[i], t.protocol[i], t.tcpFlags[i], t.icmpType[i], t.icmpCode[i],
                t.direction[i]), "header " + i);
        }
    }

    static List<AclRule> hundredThousand(final List<AclRule> base)
    {
        final List<AclRule> rules = new ArrayList<>(base.size() * 11);
        rules.addAll(base);
        for (int k = 1; k <= 10; k++)
        {
            for (final AclRule rule : base)
            {
                rules.add(AclRule.of(shift(rule.source(), k), shift(rule.destination(), k),
                    shift(rule.sourcePorts(), k), shift(rule.destinationPorts(), k), rule.protocol(),
                    rule.protocolMask()));
            }
        }
        return rules;
    }

    private static IpPrefix shift(final IpPrefix prefix, final int k)
    {
        if (prefix.length() < 8)
        {
            return prefix;
        }
        return IpPrefix.v4((int) (prefix.lo() + ((long) (16 * k) << 24)), prefix.length());
    }

    private static PortRange shift(final PortRange range, final int k)
    {
        return range.lo() != range.hi() || 0 == range.lo() ? range : PortRange.of((range.lo() + k) & 0xFFFF);
    }

    /** Compares burst results with the reference; returns the reference's results. */
    static int[] compare(final String what, final AclClassifier classifier, final ReferenceAcl reference,
        final AclTuples trace, final int count)
    {
        final int[] expected = reference.classifyAll(trace, count);
        final int[] actual = new int[count];
        classifier.classify(trace, count, actual);
        int disagreements = 0;
        final StringBuilder first = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (expected[i] != actual[i])
            {
                if (disagreements++ < 5)
                {
                    first.append(String.format("%n  header %d: reference %d, classifier %d", i, expected[i],
                        actual[i]));
                }
            }
        }
        assertEquals(0, disagreements, what + ": " + disagreements + " of " + count + " disagree" + first);
        return expected;
    }
}
