package io.opensase.ips.rules.pcre;

import io.opensase.classifiers.testing.SharedData;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.BufferMatch;
import io.opensase.ips.rules.PcreMatch;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.Variables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The translator against PCRE2 itself: every pcre the loader accepts from the shared ET Open rules, and a
 * list of constructs chosen to hit each rewrite, is compiled by libpcre2-8 (as Suricata compiles it) and
 * by java.util.regex (translated); both run on the same subjects (strings generated from the pattern, then
 * mutated, plus random bytes) and must agree on whether there is a match and on its start and end.
 */
class PcreDifferentialTest
{
    private static final int SAMPLES = 24;

    /** Constructs, each with the Suricata modifiers it is compiled with. */
    static final String[][] CONSTRUCTS = {
        {"[[:alpha:]]+\\d", ""},
        {"[[:^digit:]x]{2}", ""},
        {"[[:upper:]]{3}", "i"},
        {"[[:lower:][:punct:]]+", ""},
        {"[]a]+", ""},
        {"[^]a]+b", ""},
        {"[a[b]+", ""},
        {"[a&&b]+", ""},
        {"[\\w.-]+@", ""},
        {"[\\x41-\\x5a]{2,}", "i"},
        {"[\\0101-\\103]+", ""},
        {"\\x4g", ""},
        {"\\x{41}\\x{0a}?", "s"},
        {"\\101\\60", ""},
        {"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", ""},
        {"(a)\\11", ""},
        {"\\cA\\ca\\c[", ""},
        {"\\o{101}", ""},
        {"a{,3}b", "X"},
        {"a{2}b{1,}c{1,2}d{foo}", ""},
        {"x{", ""},
        {"a b # comment\n c", "x"},
        {"[ ]x", "x"},
        {"a(?x) b c", ""},
        {"(?i)ab(?-i)c", ""},
        {"(?i:a)b", ""},
        {"a+?b", ""},
        {"a+b", "G"},
        {"a+?b", "G"},
        {"(?U)a+b", ""},
        {"a*+b", ""},
        {"(?>a+)b", ""},
        {"foo$", ""},
        {"foo$", "E"},
        {"foo$", "Em"},
        {"^foo", "m"},
        {"a.b", ""},
        {"a.b", "s"},
        {"a\\Nb", "s"},
        {"bar", "A"},
        {"bar|baz", "A"},
        {"(?<n>ab)\\k<n>", ""},
        {"(?P<n>ab)(?P=n)", ""},
        {"(?'n'ab)\\k{n}\\g{n}", ""},
        {"(a)\\g1\\g{-1}", ""},
        {"\\Qa.b\\E+", ""},
        {"\\bword\\b", ""},
        {"\\Bor", ""},
        {"\\h\\v\\H", ""},
        {"\\s+\\S", ""},
        {"\\R", ""},
        {"a\\Z", ""},
        {"a\\z", ""},
        {"(?=ab)a", ""},
        {"(?<!x)y", ""},
        {"(?#comment)z", ""},
        {"\\e\\a\\f\\t", ""},
        {"[\\b]", ""},
        {"caf\u00e9", "i"},
        {"\u00c9", "i"},
        {"[\u00e0-\u00ff]+", "i"},
        {"\\$\\{", ""},
        {"#", ""},
        {"[#\\]]", "x"},
    };

    @Test
    void shouldMatchLikePcre2OnEveryAcceptedEtOpenPcre() throws IOException
    {
        final Map<String, PcreMatch> pcres = etOpenPcres();
        assertTrue(pcres.size() > 500, "ET Open pcres found: " + pcres.size());
        final List<String> failures = new ArrayList<>();
        final Random random = new Random(20240605L);
        long subjects = 0;
        long matches = 0;
        for (final PcreMatch p : pcres.values())
        {
            final long[] counts = compare(p.source(), p.modifiers(), random, failures);
            subjects += counts[0];
            matches += counts[1];
        }
        System.out.printf("PCRE2 differential: %d ET Open expressions, %d subjects, %d matched%n",
            pcres.size(), subjects, matches);
        if (!failures.isEmpty())
        {
            fail(failures.size() + " disagreements, first ones:\n" + String.join("\n",
                failures.subList(0, Math.min(20, failures.size()))));
        }
        assertTrue(matches > subjects / 5, "too few subjects matched to be a test: " + matches);
    }

    @Test
    void shouldMatchLikePcre2OnEachRewrittenConstruct()
    {
        final List<String> failures = new ArrayList<>();
        final Random random = new Random(7L);
        for (final String[] c : CONSTRUCTS)
        {
            if (c[1].equals("X"))
            {
                continue;
            }
            compare(c[0], c[1], random, failures);
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void shouldOnlyRejectAsInvalidWhatPcre2Rejects()
    {
        final String[] invalid = {"a\\", "[a", "(a", "a)", "\\i", "[\\d-z]", "[z-a]", "a{3,2}", "\\x{100}",
            "(?P=nope)", "\\9", "[[.a.]]", "(?z)"};
        for (final String pattern : invalid)
        {
            try
            {
                PcreTranslator.translate(pattern, PcreTranslator.Options.NONE);
                fail("translator accepted " + pattern);
            }
            catch (final PcreException ex)
            {
                assertTrue(ex.invalid(), pattern + " should be invalid, got " + ex.feature());
            }
            try
            {
                Pcre2.compile(pattern, 0).close();
                fail("PCRE2 accepted " + pattern);
            }
            catch (final Pcre2.CompileError expected)
            {
                // PCRE2 rejects it too
            }
        }
    }

    @Test
    void shouldHaveTheOptionBitsOfPcre2()
    {
        assertEquals(0, find("a", Pcre2.CASELESS, "A")[0]);
        assertEquals(0, find(".", Pcre2.DOTALL, "\n")[0]);
        assertEquals(2, find("^b", Pcre2.MULTILINE, "a\nb")[0]);
        assertEquals(0, find("a b", Pcre2.EXTENDED, "ab")[0]);
        assertEquals(1, find("a+", Pcre2.UNGREEDY, "aaa")[1]);
        assertEquals(null, find("a$", Pcre2.DOLLAR_ENDONLY, "a\n"));
        assertEquals(null, find("b", Pcre2.ANCHORED, "ab"));
        assertEquals(null, find(".", 0, "\n"));
    }

    private static long[] find(final String pattern, final int options, final String subject)
    {
        try (Pcre2 pcre = Pcre2.compile(pattern, options))
        {
            return pcre.find(subject.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** The distinct pcres of the shared ET Open rules the loader accepts, by expression and modifiers. */
    static Map<String, PcreMatch> etOpenPcres() throws IOException
    {
        final RuleSet set = RuleSetLoader.load(SharedData.resolve("ids-rules/et-open"), Variables.suricataDefaults());
        final Map<String, PcreMatch> pcres = new LinkedHashMap<>();
        for (final Rule rule : set.rules())
        {
            for (final BufferInspection inspection : rule.inspections())
            {
                for (final BufferMatch m : inspection.matches())
                {
                    if (m instanceof PcreMatch p)
                    {
                        pcres.putIfAbsent(p.source() + "/" + p.modifiers(), p);
                    }
                }
            }
        }
        return pcres;
    }

    /** The PCRE2 compile options of Suricata modifiers (buffer and Suricata-only letters ignored). */
    static int pcre2Options(final String modifiers)
    {
        int options = 0;
        for (final char m : modifiers.toCharArray())
        {
            options |= switch (m)
            {
                case 'i' -> Pcre2.CASELESS;
                case 's' -> Pcre2.DOTALL;
                case 'm' -> Pcre2.MULTILINE;
                case 'x' -> Pcre2.EXTENDED;
                case 'A' -> Pcre2.ANCHORED;
                case 'E' -> Pcre2.DOLLAR_ENDONLY;
                case 'G' -> Pcre2.UNGREEDY;
                default -> 0;
            };
        }
        return options;
    }

    static PcreTranslator.Translation translate(final String source, final String modifiers)
    {
        final int options = pcre2Options(modifiers);
        return PcreTranslator.translate(source, new PcreTranslator.Options(
            (options & Pcre2.CASELESS) != 0, (options & Pcre2.DOTALL) != 0, (options & Pcre2.MULTILINE) != 0,
            (options & Pcre2.EXTENDED) != 0, (options & Pcre2.ANCHORED) != 0, (options & Pcre2.DOLLAR_ENDONLY) != 0,
            (options & Pcre2.UNGREEDY) != 0));
    }

    /** @return {subjects, matched}. */
    private static long[] compare(final String source, final String modifiers, final Random random,
        final List<String> failures)
    {
        final int options = pcre2Options(modifiers);
        final PcreTranslator.Translation t = translate(source, modifiers);
        final Pattern translated = Pattern.compile(t.javaRegex(), t.javaFlags());
        final Pcre2 pcre;
        try
        {
            pcre = Pcre2.compile(source, options);
        }
        catch (final Pcre2.CompileError ex)
        {
            failures.add("/" + source + "/" + modifiers + ": accepted, but PCRE2 rejects it: " + ex.getMessage());
            return new long[] {0, 0};
        }
        long subjects = 0;
        long matched = 0;
        try (pcre)
        {
            for (final String subject : Subjects.of(t, random, SAMPLES))
            {
                final long[] expected = pcre.find(subject.getBytes(StandardCharsets.ISO_8859_1));
                if (null != expected && expected[0] == -2)
                {
                    continue;
                }
                final long[] actual;
                try
                {
                    final Matcher m = translated.matcher(subject);
                    actual = m.find() ? new long[] {m.start(), m.end()} : null;
                }
                catch (final StackOverflowError ex)
                {
                    failures.add("/" + source + "/" + modifiers + ": java overflowed the stack on "
                        + Subjects.show(subject));
                    continue;
                }
                subjects++;
                matched += null == expected ? 0 : 1;
                if (!Arrays.equals(expected, actual))
                {
                    failures.add("/" + source + "/" + modifiers + " as " + t.javaRegex() + " on "
                        + Subjects.show(subject) + ": PCRE2 " + Arrays.toString(expected) + ", Java "
                        + Arrays.toString(actual));
                    break;
                }
            }
        }
        return new long[] {subjects, matched};
    }
}