package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.SkipReason;
import io.opensase.ips.rules.SkippedRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matcher's limits skip single rules, never the set (found by a tester: a literal too long for Hyperscan,
 * or more than 1,024 flowbit names, refused the whole rule set; a rule chaining 3,000 contents overflowed the
 * stack of the thread matching it, which ended the engine).
 */
class MatcherLimitsTest
{
    /** Matches {@code payload} with each engine; both must agree. */
    private static int matches(final List<Rule> rules, final String payload)
    {
        Integer answer = null;
        for (final PrefilterEngine engine : List.of(PrefilterEngine.HYPERSCAN, PrefilterEngine.JAVA))
        {
            try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
                RuleMatcher.Worker worker = matcher.newWorker())
            {
                final MatchInput input = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true);
                input.set(Buffer.PAYLOAD, segment(payload));
                final int n = worker.match(input);
                if (null != answer)
                {
                    assertEquals(answer, n, "engines differ");
                }
                answer = n;
            }
        }
        return answer;
    }

    /** 8,000 bytes of content, which Hyperscan refused as a literal: the rule loads and matches exactly. */
    @Test
    void aLiteralLongerThanHyperscanTakesStillMatchesExactly()
    {
        final String literal = "A".repeat(7_999) + "B";
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"" + literal + "\"; sid:1;)",
            "alert tcp any any -> any any (content:\"short\"; sid:2;)");
        assertEquals(1, matches(rules, "x" + literal + "x"));
        assertEquals(0, matches(rules, "x" + "A".repeat(8_000) + "x"), "its first " + RuleMatcher.MAX_PREFILTER_LITERAL + " bytes alone do not match");
        assertEquals(1, matches(rules, "a short one"), "the rest of the set runs");
    }

    /**
     * 1,030 flowbit names, each set by its own rule: the rules setting the six past the limit are skipped with
     * their line and reason; the others load, and a rule testing one of the first names still works.
     */
    @Test
    void rulesPastTheFlowbitNameLimitAreSkippedAlone()
    {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1_030; i++)
        {
            lines.add("alert tcp any any -> any any (content:\"set" + i + "\"; flowbits:set,name" + i
                + "; flowbits:noalert; sid:" + (100 + i) + ";)");
        }
        lines.add("alert tcp any any -> any any (content:\"probe\"; flowbits:isset,name0; sid:1;)");
        final List<Rule> rules = MatchTesting.rules(lines.toArray(String[]::new));
        try (RuleMatcher matcher = RuleMatcher.compile(rules, PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT))
        {
            final List<SkippedRule> skipped = matcher.limitSkipped();
            assertEquals(6, skipped.size(), skipped.toString());
            for (final SkippedRule rule : skipped)
            {
                assertEquals(SkipReason.Category.MATCHER_LIMIT, rule.reason().category());
                assertTrue(rule.reason().detail().endsWith("is past the 1024 distinct names a rule set may use"),
                    rule.reason().detail());
            }
            assertEquals(1_031 - 6, matcher.enforced().size());
            assertEquals(1_024, matcher.flowbitCount());
            try (RuleMatcher.Worker worker = matcher.newWorker())
            {
                final MatchInput input = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true)
                    .flowHandle(0);
                input.set(Buffer.PAYLOAD, segment("set0"));
                worker.match(input);
                input.set(Buffer.PAYLOAD, segment("probe"));
                assertEquals(1, worker.match(input), "name0 was set on the flow");
            }
        }
    }

    /**
     * 3,000 contents on one buffer, each "a", verified against 64 "a"s: the verifier recursed once per keyword
     * and threw StackOverflowError out of {@code match}. Now that rule is skipped alone with its line and
     * reason; a chain of exactly the limit loads and holds.
     */
    @Test
    void aRuleChainingMoreKeywordsThanTheLimitIsSkippedAlone()
    {
        final String tooLong = "content:\"a\"; ".repeat(3_000);
        final String atLimit = "content:\"a\"; ".repeat(RuleMatcher.MAX_BUFFER_KEYWORDS);
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (msg:\"long\"; " + tooLong + "sid:1;)",
            "alert tcp any any -> any any (msg:\"limit\"; " + atLimit + "sid:2;)");
        try (RuleMatcher matcher = RuleMatcher.compile(rules, PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT))
        {
            final List<SkippedRule> skipped = matcher.limitSkipped();
            assertEquals(1, skipped.size(), skipped.toString());
            assertEquals(SkipReason.Category.MATCHER_LIMIT, skipped.get(0).reason().category());
            assertEquals("3000 keywords chained on one buffer; at most 256", skipped.get(0).reason().detail());
            assertEquals(1, matcher.enforced().size());
            assertEquals(2, matcher.enforced().get(0).sid());
        }
        assertEquals(1, matches(rules, "a".repeat(64)), "the rule at the limit holds, the long one is not run");
        assertEquals(0, matches(rules, "b".repeat(64)));
    }
}
