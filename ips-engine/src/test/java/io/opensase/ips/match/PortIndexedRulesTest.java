package io.opensase.ips.match;

import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rules without a prefilter literal are considered by the ports of the input when it has them: a rule for
 * other destination (or, failing that, source) ports is left out; one for many ports, negated ports or both
 * directions is always considered; an input without ports gets only those, as a rule bound to a few ports needs
 * one of them. (The matcher does not test headers otherwise: a rule it considers holds here whatever its
 * ports.)
 */
class PortIndexedRulesTest
{
    private static final int SYN = 0x02;

    private static final List<Rule> RULES = MatchTesting.rules(
        "alert tcp any any -> any 22 (flags:S; sid:1;)",
        "alert tcp any any -> any 5800:5820 (flags:S; sid:2;)",
        "alert tcp any 3389 -> any any (flags:S; sid:3;)",
        "alert tcp any any -> any !9987 (flags:S; sid:4;)",
        "alert tcp any any <> any 22 (flags:S; sid:5;)",
        "alert tcp any any -> any any (flags:S; sid:6;)",
        "alert tcp any any -> any [22,1000:1010] (flags:S; sid:7;)",
        "alert tcp any any -> any 1:1000 (flags:S; sid:8;)");

    @Test
    void aSynToPort22ConsidersTheRulesForIt()
    {
        assertEquals(Set.of(1L, 4L, 5L, 6L, 7L, 8L), sids(40000, 22));
    }

    @Test
    void aSynToPort5810ConsidersTheRangeRule()
    {
        assertEquals(Set.of(2L, 4L, 5L, 6L, 8L), sids(40000, 5810));
    }

    @Test
    void aSourcePortRuleIsConsideredForItsSourcePort()
    {
        assertEquals(Set.of(3L, 4L, 5L, 6L, 8L), sids(3389, 443));
    }

    @Test
    void aRuleOfSeveralRangesGoesUnderEachOfItsPortsWhenTheyAreFew()
    {
        assertEquals(Set.of(4L, 5L, 6L, 7L, 8L), sids(40000, 1005));
    }

    @Test
    void anInputWithoutPortsConsidersTheRulesOnAnyPort()
    {
        assertEquals(Set.of(4L, 5L, 6L, 8L), sids(-1, -1));
    }

    /** A rule on any port with ip_proto is a candidate only for the protocols it admits. */
    @Test
    void anIpProtoRuleIsConsideredForItsProtocolsOnly()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert ip any any -> any any (ip_proto:41; sid:9;)",
            "alert ip any any -> any any (ip_proto:!6; sid:10;)",
            "alert ip any any -> any any (ttl:64; sid:11;)");
        try (RuleMatcher matcher = RuleMatcher.compile(rules, PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT); RuleMatcher.Worker worker = matcher.newWorker())
        {
            final long[] candidates = new long[3];
            final List<Set<Long>> matched = new ArrayList<>();
            final int[] protocols = {6, 41, 17};
            for (int i = 0; i < protocols.length; i++)
            {
                final long before = worker.candidatesChecked();
                final Set<Long> sids = new TreeSet<>();
                for (int m = 0, n = worker.match(new MatchInput().ipv4(1, 64, protocols[i])); m < n; m++)
                {
                    sids.add(worker.sid(m));
                }
                candidates[i] = worker.candidatesChecked() - before;
                matched.add(sids);
            }
            assertEquals(List.of(Set.of(11L), Set.of(9L, 10L, 11L), Set.of(10L, 11L)), matched);
            assertEquals(List.of(1L, 3L, 2L), List.of(candidates[0], candidates[1], candidates[2]));
        }
    }

    @Test
    void onlyFewPortSetsAreIndexed() throws Exception
    {
        try (RuleMatcher matcher = RuleMatcher.compile(RULES, PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT))
        {
            assertEquals(8, matcher.unprefilteredRules());
        }
        final List<CompiledRule> compiled = new ArrayList<>();
        final int[] slots = {0};
        for (final Rule rule : RULES)
        {
            compiled.add(CompiledRule.compile(rule, compiled.size(), slots, Map.of(), Map.of(), null));
        }
        // 1 (port 22), 2 (21 ports), 3 (source port 3389), 7 (12 ports); not 4 (65,535 ports), 5 (both
        // directions), 6 (any), 8 (1,000 ports).
        final PortIndexedRules index = new PortIndexedRules(compiled, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        assertEquals(4, index.indexed());
    }

    /** The sids the matcher reports for a SYN with these ports (-1: an input without ports). */
    private static Set<Long> sids(final int src, final int dst)
    {
        try (RuleMatcher matcher = RuleMatcher.compile(RULES, PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT); RuleMatcher.Worker worker = matcher.newWorker())
        {
            final MatchInput input = new MatchInput().ipv4(1, 64, 6).tcp(SYN, 0, 0, 0);
            if (src >= 0)
            {
                input.ports(src, dst);
            }
            final Set<Long> sids = new TreeSet<>();
            for (int i = 0, n = worker.match(input); i < n; i++)
            {
                sids.add(worker.sid(i));
            }
            return sids;
        }
    }
}
