package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The pcre step budget (found by a tester: {@code (a+)+b} over 60 KB of one stream held a worker about 7.5 s):
 * a catastrophic backtrack is aborted, counted and taken as no match; ordinary pcres over a full 64 KiB subject
 * stay well inside the budget.
 */
class PcreBudgetTest
{
    private static final String SIXTY_KB_OF_A = "a".repeat(60_000);

    /** Matches {@code payload} against the one rule and returns {matches, aborted pcres}. */
    private static long[] run(final String rule, final String payload)
    {
        final List<Rule> rules = MatchTesting.rules(rule);
        final MatchInput input = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true);
        input.set(Buffer.PAYLOAD, segment(payload));
        try (RuleMatcher matcher = RuleMatcher.compile(rules, PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            final int n = worker.match(input);
            return new long[] {n, worker.pcreBudgetSpent()};
        }
    }

    @Test
    void catastrophicBacktrackingIsAbortedAndCounted()
    {
        final long[] result = assertTimeoutPreemptively(Duration.ofSeconds(2),
            () -> run("alert tcp any any -> any any (pcre:\"/(a+)+b/\"; sid:1;)", SIXTY_KB_OF_A));
        assertEquals(0, result[0], "an aborted pcre does not hold");
        assertEquals(1, result[1], "one aborted match");
    }

    @Test
    void anAbortedNegatedPcreDoesNotHoldEither()
    {
        final long[] result = assertTimeoutPreemptively(Duration.ofSeconds(2),
            () -> run("alert tcp any any -> any any (pcre:!\"/(a+)+b/\"; sid:1;)", SIXTY_KB_OF_A));
        assertEquals(0, result[0]);
        assertEquals(1, result[1]);
    }

    @Test
    void theSamePatternStillMatchesWhereItCan()
    {
        final long[] result = run("alert tcp any any -> any any (pcre:\"/(a+)+b/\"; sid:1;)", "xxaaaab");
        assertEquals(1, result[0]);
        assertEquals(0, result[1]);
    }

    @Test
    void anOrdinaryPcreOverAFullSubjectStaysInsideTheBudget()
    {
        // 64 KiB of filler before the match: each start position costs a read or two, far below 2^20.
        final String payload = "x".repeat(65_000) + "GET /a.php?id=1 HTTP";
        final long[] hit = run("alert tcp any any -> any any (pcre:\"/\\/[a-z]+\\.php\\?id=\\d+/\"; sid:1;)",
            payload);
        assertEquals(1, hit[0]);
        assertEquals(0, hit[1]);
        final long[] miss = run("alert tcp any any -> any any (pcre:\"/\\/[a-z]+\\.php\\?id=\\d+/\"; sid:1;)",
            "x".repeat(65_000) + "GET /a.php?id=x HTTP");
        assertEquals(0, miss[0]);
        assertEquals(0, miss[1]);
    }
}
