package io.opensase.ips.match;

import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward chain's proof ({@link CompiledRule#forwardChain}, {@code Inspector.forwardChainFails}) must never
 * change an inspection's answer: {@link Inspector#inspect} against {@link Inspector#inspectByWalking} (Suricata's
 * walk alone) on seeded random rules and buffers, and on ET Open's Spectre rule, whose walk over a JavaScript
 * body ran into the recursion limit on every verification (35 us each, the most costly rule on the shared
 * captures).
 */
class ForwardChainTest
{
    private static final String SPECTRE = "alert http any any -> any any (msg:\"spectre\"; flow:established,"
        + "from_server; file_data; content:\"<script\"; nocase; content:\"<\"; distance:0; content:\".length\";"
        + " distance:0; nocase; fast_pattern; pcre:\"/^\\s*?\\)\\s*?\\{\\s*(?P<var>[^\\s]+)\\s*=[^\\x5b]+?\\x5b"
        + "\\s*(?P=var)\\s*?\\|\\s*?0\\s*?\\]\\s*?\\x3b\\s*?/Rsi\"; content:\"^=\"; distance:0; pcre:\"/^\\s*"
        + "[^\\s]+\\x5b\\s*?[^\\x5d\\x7c]+\\x7c\\s*?0\\s*?\\x5d\\s*?\\x7c\\s*?0\\s*?\\x3b/Rsi\"; sid:2025185;)";

    @Test
    void shouldProveTheSpectreRuleAbsentWithoutTheRecursionLimit()
    {
        final Compiled spectre = compile(List.of(SPECTRE));
        final CompiledRule.Step[] steps = spectre.steps(0);
        assertEquals(3, steps[0].chain, "<script, <, .length");
        final StringBuilder body = new StringBuilder("<html><script>");
        for (int i = 0; i < 400; i++)
        {
            body.append("if (a<b.length) { x[i] = y.length; }\n");
        }
        body.append("</script></html>");
        final MemorySegment data = segment(body.toString());
        assertFalse(spectre.inspector.inspectByWalking(steps, data, 0, (int)data.byteSize()));
        assertEquals(1, spectre.inspector.recursionLimitHits(), "the walk gave up at the limit");
        assertFalse(spectre.inspector.inspect(steps, data, 0, (int)data.byteSize()));
        assertEquals(1, spectre.inspector.recursionLimitHits(), "the proof needed no walk");

        // The gadget the rule looks for, after the same noise: the proof finds a rest that holds, the walk decides.
        final String gadget = "<script>if (idx < arr.length) { idx = arr[idx | 0]; y ^= a[b|0]|0;";
        final MemorySegment hit = segment("<script>" + gadget);
        assertTrue(spectre.inspector.inspectByWalking(steps, hit, 0, (int)hit.byteSize()));
        assertTrue(spectre.inspector.inspect(steps, hit, 0, (int)hit.byteSize()));
    }

    @Test
    void shouldFindNoChainWhereTheWalkIsNotCombinatorial()
    {
        final Compiled rules = compile(List.of(
            "alert tcp any any -> any any (content:\"a\"; content:\"b\"; distance:0; sid:1;)",
            "alert tcp any any -> any any (content:\"a\"; content:\"b\"; within:5; pcre:\"/^c/R\"; sid:2;)",
            "alert tcp any any -> any any (content:\"a\"; pcre:\"/^c/R\"; sid:3;)",
            "alert tcp any any -> any any (content:!\"a\"; content:\"b\"; content:\"c\"; distance:0; pcre:\"/^c/R\";"
                + " sid:4;)",
            "alert tcp any any -> any any (content:\"a\"; content:\"b\"; distance:0; content:\"c\"; pcre:\"/^c/R\";"
                + " sid:5;)",
            "alert tcp any any -> any any (content:\"a\"; content:\"b\"; distance:0; pcre:\"/^c/R\"; sid:6;)"));
        assertEquals(0, rules.steps(0)[0].chain, "no rest after the chain");
        assertEquals(0, rules.steps(1)[0].chain, "within bounds the second content");
        assertEquals(0, rules.steps(2)[0].chain, "one content");
        assertEquals(0, rules.steps(3)[0].chain, "a negated first content");
        assertEquals(0, rules.steps(4)[0].chain, "the chain's last content is not searched again");
        assertEquals(2, rules.steps(5)[0].chain);
    }

    /**
     * Random chains of two to four contents (absolute first, with or without a window; then relative by a
     * distance from -3 to 3, some nocase), followed by a rest of relative keywords, over random buffers of a small
     * alphabet so that every content occurs many times: the answers with the proof and by walking alone agree.
     */
    @Test
    void shouldAnswerAsTheWalkOnRandomRulesAndBuffers()
    {
        final Random random = new Random(20261205);
        final String[] patterns = {"a", "b", "ab", "ba", "x", "A", "aa"};
        final String[] rests = {
            "pcre:\"/^x/R\";", "pcre:\"/^[ab]{2}x/R\";", "content:\"x\"; within:2;", "content:\"b\"; distance:1;"
                + " within:1; pcre:\"/^a/R\";", "isdataat:3,relative; content:\"x\"; distance:0;",
            "byte_test:1,=,120,0,relative;", "pcre:\"/^(?:a|b)+x/R\"; content:\"a\"; distance:0;",
            "content:!\"x\"; within:1;"};
        final List<String> texts = new ArrayList<>();
        for (int r = 0; r < 300; r++)
        {
            final StringBuilder rule = new StringBuilder("alert tcp any any -> any any (");
            final int contents = 2 + random.nextInt(3);
            for (int c = 0; c < contents; c++)
            {
                rule.append("content:\"").append(patterns[random.nextInt(patterns.length)]).append("\";");
                if (random.nextInt(4) == 0)
                {
                    rule.append(" nocase;");
                }
                if (0 == c && random.nextInt(4) == 0)
                {
                    rule.append(" offset:").append(random.nextInt(5)).append("; depth:").append(10 + random.nextInt(40))
                        .append(';');
                }
                else if (c > 0)
                {
                    rule.append(" distance:").append(random.nextInt(7) - 3).append(';');
                }
                rule.append(' ');
            }
            rule.append(rests[random.nextInt(rests.length)]).append(" sid:").append(r + 1).append(";)");
            texts.add(rule.toString());
        }
        final Compiled compiled = compile(texts);
        int chains = 0;
        int held = 0;
        int checked = 0;
        final byte[] alphabet = "abxA".getBytes(StandardCharsets.US_ASCII);
        for (int r = 0; r < texts.size(); r++)
        {
            final CompiledRule.Step[] steps = compiled.steps(r);
            chains += steps[0].chain > 0 ? 1 : 0;
            for (int b = 0; b < 60; b++)
            {
                final byte[] bytes = new byte[random.nextInt(120)];
                for (int i = 0; i < bytes.length; i++)
                {
                    bytes[i] = alphabet[random.nextInt(alphabet.length)];
                }
                final MemorySegment data = MemorySegment.ofArray(bytes);
                final boolean walked = compiled.inspector.inspectByWalking(steps, data, 0, bytes.length);
                final String text = texts.get(r);
                assertEquals(walked, compiled.inspector.inspect(steps, data, 0, bytes.length),
                    () -> text + " on " + new String(bytes, StandardCharsets.US_ASCII));
                held += walked ? 1 : 0;
                checked++;
            }
        }
        assertTrue(chains > 150, "rules with a chain: " + chains);
        assertTrue(held > checked / 20 && held < checked - checked / 20, "held " + held + " of " + checked);
    }

    private record Compiled(List<CompiledRule> rules, Inspector inspector)
    {
        CompiledRule.Step[] steps(final int rule)
        {
            return rules.get(rule).inspections[0].steps;
        }
    }

    private static Compiled compile(final List<String> texts)
    {
        final List<CompiledRule> compiled = new ArrayList<>();
        final int[] slots = {0};
        for (final Rule rule : MatchTesting.rules(texts.toArray(new String[0])))
        {
            try
            {
                compiled.add(CompiledRule.compile(rule, compiled.size(), slots, Map.of(), Map.of(), null));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        return new Compiled(compiled, new Inspector(compiled, slots[0], RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT,
            RuleMatcher.PCRE_STEP_BUDGET));
    }

    private static MemorySegment segment(final String text)
    {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.US_ASCII));
    }
}
