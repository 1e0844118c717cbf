package io.opensase.ips.rules.pcre;

import io.opensase.ips.rules.PcreMatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The literal a pcre's matches start with, and the search that tries the expression only where it occurs
 * (as the matcher's Inspector does), checked against PCRE2 itself on the shared ET Open expressions.
 */
class PcrePrefixTest
{
    @Test
    void shouldReadTheLiteralEveryMatchStartsWith()
    {
        assertArrayEquals(bytes("create"), PcrePrefix.of("CREATE\\s.*?FILE\\s+", "smi"));
        assertArrayEquals(bytes("CREATE"), PcrePrefix.of("CREATE\\s.*?FILE", "s"));
        assertArrayEquals(bytes("a/b.c"), PcrePrefix.of("a\\/b\\x2ec[0-9]", ""));
        assertArrayEquals(new byte[] {'a', (byte)0xFF}, PcrePrefix.of("a\\xffb*", ""), "b is quantified: left out");
        assertArrayEquals(bytes("ab"), PcrePrefix.of("ab(c|d)", ""), "alternatives inside a group are fine");
        assertArrayEquals(bytes("ab"), PcrePrefix.of("ab[|]", ""));
    }

    @Test
    void shouldGiveNoneWhereAMatchMayStartOtherwise()
    {
        assertNull(PcrePrefix.of("ab+c", ""), "one byte left is too short");
        assertNull(PcrePrefix.of("abc|def", ""));
        assertNull(PcrePrefix.of("(abc|def)x|yz", ""));
        assertNull(PcrePrefix.of("[ab]cd", ""));
        assertNull(PcrePrefix.of("^abcd", ""));
        assertNull(PcrePrefix.of("(?i)abcd", ""));
        assertNull(PcrePrefix.of("\\babcd", ""));
        assertNull(PcrePrefix.of("abcd", "x"), "blanks and # are not literal under x");
        assertNull(PcrePrefix.of("abcd", "A"));
        assertNull(PcrePrefix.of("a?bcd", ""));
        assertNull(PcrePrefix.of("ab{0}cd", ""), "one byte left: b may be absent");
    }

    /**
     * Every accepted ET Open pcre that is neither relative nor negated and has a prefix: on subjects built
     * from its own expression (as the PCRE2 differential builds them), the prefix search gives PCRE2's
     * leftmost match, start and end.
     */
    @Test
    void shouldFindThePcre2MatchByItsPrefixOnEveryEtOpenPcre() throws IOException
    {
        final Random random = new Random(5);
        final List<String> failures = new ArrayList<>();
        int expressions = 0;
        long subjects = 0;
        long matched = 0;
        for (final PcreMatch p : PcreDifferentialTest.etOpenPcres().values())
        {
            final byte[] prefix = PcrePrefix.of(p.source(), p.modifiers());
            if (p.relative() || p.negated() || null == prefix)
            {
                continue;
            }
            expressions++;
            final boolean nocase = p.modifiers().indexOf('i') >= 0;
            final Pattern pattern = p.compile();
            final PcreTranslator.Translation t = PcreDifferentialTest.translate(p.source(), p.modifiers());
            try (Pcre2 pcre = Pcre2.compile(p.source(), PcreDifferentialTest.pcre2Options(p.modifiers())))
            {
                for (final String subject : Subjects.of(t, random, 24))
                {
                    final long[] expected = pcre.find(subject.getBytes(StandardCharsets.ISO_8859_1));
                    if (null != expected && expected[0] == -2)
                    {
                        continue;
                    }
                    subjects++;
                    matched += null == expected ? 0 : 1;
                    final long[] actual = findAtPrefix(pattern, subject, prefix, nocase);
                    if (!Arrays.equals(expected, actual))
                    {
                        failures.add("/" + p.source() + "/" + p.modifiers() + " on " + Subjects.show(subject)
                            + ": PCRE2 " + Arrays.toString(expected) + ", by prefix " + Arrays.toString(actual));
                        break;
                    }
                }
            }
        }
        System.out.printf("pcre prefix search: %d ET Open expressions with a prefix, %d subjects, %d matched%n",
            expressions, subjects, matched);
        assertEquals(List.of(), failures);
        assertTrue(expressions > 50, "ET Open has about 90 such pcres that start with a literal: " + expressions);
        assertTrue(matched > subjects / 5, "too few subjects matched to be a test: " + matched);
    }

    /** The search the Inspector makes, written again over a string: the prefix's places in order. */
    private static long[] findAtPrefix(final Pattern pattern, final String subject, final byte[] prefix,
        final boolean nocase)
    {
        final Matcher m = pattern.matcher(subject);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        for (int at = 0; at + prefix.length <= subject.length(); at++)
        {
            if (startsWith(subject, at, prefix, nocase))
            {
                m.region(at, subject.length());
                if (m.lookingAt())
                {
                    return new long[] {m.start(), m.end()};
                }
            }
        }
        return null;
    }

    private static boolean startsWith(final String subject, final int at, final byte[] prefix, final boolean nocase)
    {
        for (int i = 0; i < prefix.length; i++)
        {
            char c = subject.charAt(at + i);
            if (nocase && c >= 'A' && c <= 'Z')
            {
                c += 32;
            }
            if (c != (prefix[i] & 0xFF))
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
