package io.opensase.ips.rules.pcre;

import io.opensase.ips.rules.PcreMatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks {@link PcreMatch#hyperscan()} against Hyperscan itself: an expression called {@code EXACT} compiles
 * in block mode and decides match / no match as PCRE2 does on every subject; one called {@code PREFILTER} is
 * refused without {@code HS_FLAG_PREFILTER}, and with it never misses a subject PCRE2 matches; one called
 * {@code NONE} is refused even as a prefilter.
 */
class HyperscanExactnessTest
{
    private static final int SAMPLES = 24;

    @Test
    void shouldRunExactlyWhatTheTranslatorCallsExact() throws IOException
    {
        final Map<String, String> expressions = new LinkedHashMap<>();
        PcreDifferentialTest.etOpenPcres().values().forEach(p -> expressions.putIfAbsent(
            p.source() + "/" + p.modifiers(), p.modifiers()));
        for (final String[] c : PcreDifferentialTest.CONSTRUCTS)
        {
            if (!c[1].equals("X") && !c[1].contains("E") && !c[1].contains("G"))
            {
                expressions.putIfAbsent(c[0] + "/" + c[1], c[1]);
            }
        }
        final List<String> failures = new ArrayList<>();
        final Random random = new Random(11L);
        final Map<HyperscanSupport, Integer> counts = new java.util.EnumMap<>(HyperscanSupport.class);
        for (final Map.Entry<String, String> e : expressions.entrySet())
        {
            final String modifiers = e.getValue();
            final String source = e.getKey().substring(0, e.getKey().length() - modifiers.length() - 1);
            final PcreTranslator.Translation t = PcreDifferentialTest.translate(source, modifiers);
            counts.merge(t.hyperscan(), 1, Integer::sum);
            check(source, modifiers, t, random, failures);
        }
        System.out.println("Hyperscan support of the expressions: " + counts);
        if (!failures.isEmpty())
        {
            fail(failures.size() + " wrong claims, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
        assertTrue(counts.getOrDefault(HyperscanSupport.EXACT, 0) > 400, "counts: " + counts);
    }

    private static void check(final String source, final String modifiers, final PcreTranslator.Translation t,
        final Random random, final List<String> failures)
    {
        int flags = Hyperscan.SINGLEMATCH | Hyperscan.ALLOWEMPTY;
        flags |= modifiers.contains("i") ? Hyperscan.CASELESS : 0;
        flags |= modifiers.contains("s") ? Hyperscan.DOTALL : 0;
        flags |= modifiers.contains("m") ? Hyperscan.MULTILINE : 0;
        String expression = modifiers.contains("x") ? "(?x)" + source : source;
        expression = modifiers.contains("A") ? "\\A(?:" + expression + ")" : expression;
        final String name = "/" + source + "/" + modifiers;
        if (t.hyperscan() != HyperscanSupport.EXACT)
        {
            try
            {
                Hyperscan.compile(expression, flags).close();
                failures.add(name + ": called " + t.hyperscan() + " (" + t.hyperscanNote() + "), but Hyperscan"
                    + " compiles it");
            }
            catch (final Hyperscan.CompileError expected)
            {
                // as claimed
            }
            flags |= Hyperscan.PREFILTER;
        }
        final Hyperscan hs;
        try
        {
            hs = Hyperscan.compile(expression, flags);
            if (t.hyperscan() == HyperscanSupport.NONE)
            {
                hs.close();
                failures.add(name + ": called NONE (" + t.hyperscanNote() + "), but Hyperscan prefilters it");
                return;
            }
        }
        catch (final Hyperscan.CompileError ex)
        {
            if (t.hyperscan() != HyperscanSupport.NONE)
            {
                failures.add(name + ": called " + t.hyperscan() + ", but Hyperscan refuses it: " + ex.getMessage());
            }
            return;
        }
        try (hs; Pcre2 pcre = Pcre2.compile(source, PcreDifferentialTest.pcre2Options(modifiers)))
        {
            for (final String subject : Subjects.of(t, random, SAMPLES))
            {
                final byte[] bytes = subject.getBytes(StandardCharsets.ISO_8859_1);
                final long[] expected = pcre.find(bytes);
                if (null != expected && expected[0] == -2)
                {
                    continue;
                }
                final boolean actual = hs.matches(bytes);
                final boolean exact = t.hyperscan() == HyperscanSupport.EXACT;
                final boolean wrong = exact ? actual != (null != expected) : !actual && null != expected;
                if (wrong)
                {
                    failures.add(name + " on " + Subjects.show(subject) + ": PCRE2 " + (null != expected)
                        + ", Hyperscan" + (exact ? " " : " prefilter ") + actual);
                    return;
                }
            }
        }
    }
}
