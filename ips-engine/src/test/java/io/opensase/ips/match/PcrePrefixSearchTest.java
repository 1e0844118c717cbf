package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import org.junit.jupiter.api.Test;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A pcre whose matches start with a literal is tried only where the literal occurs (PcrePrefix): the rule
 * still holds exactly where a search from every position would find a match, including when an earlier
 * occurrence of the literal fails, when the case differs under {@code i}, and when the expression looks
 * behind its start.
 */
class PcrePrefixSearchTest
{
    private static int matches(final String rule, final String payload)
    {
        final MatchInput input = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true);
        input.set(Buffer.PAYLOAD, segment(payload));
        try (RuleMatcher matcher = RuleMatcher.compile(MatchTesting.rules(rule), PrefilterEngine.JAVA,
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            return worker.match(input);
        }
    }

    @Test
    void shouldFindTheMatchAfterOccurrencesThatFail()
    {
        final String rule = "alert tcp any any -> any any (content:\"file\"; nocase; pcre:\"/CREATE\\s.*?FILE/i\"; "
            + "sid:1;)";
        assertEquals(1, matches(rule, "createElement(x); Create\tthe file"));
        assertEquals(0, matches(rule, "createElement(x); createFILE; file"));
        assertEquals(0, matches(rule, "file first, then create "), "FILE must come after CREATE");
    }

    @Test
    void shouldKeepCaseWithoutTheIModifier()
    {
        final String rule = "alert tcp any any -> any any (content:\"X\"; pcre:\"/CREATE\\sX/\"; sid:1;)";
        assertEquals(0, matches(rule, "create X"));
        assertEquals(1, matches(rule, "create X CREATE X"));
    }

    @Test
    void shouldLetTheExpressionLookBehindItsStart()
    {
        final String rule = "alert tcp any any -> any any (content:\"abc\"; pcre:\"/ab(?<=xab)c/\"; sid:1;)";
        assertEquals(1, matches(rule, "yabc xabc"));
        assertEquals(0, matches(rule, "yabc zabc"));
    }
}
