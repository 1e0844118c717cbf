package io.opensase.ips.rules.pcre;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Translations written out by hand, construct by construct; PcreDifferentialTest runs them against PCRE2. */
class PcreTranslatorTest
{
    private static PcreTranslator.Options flags(final String letters)
    {
        return new PcreTranslator.Options(letters.contains("i"), letters.contains("s"), letters.contains("m"),
            letters.contains("x"), letters.contains("A"), letters.contains("E"), letters.contains("G"));
    }

    static Stream<Arguments> translations()
    {
        return Stream.of(
            Arguments.of("abc", "", "abc"),
            Arguments.of("a.b", "", "a.b"),
            Arguments.of("a/b-c", "", "a\\/b\\-c"),
            Arguments.of("[[:alpha:]][[:^digit:]]", "", "[\\p{Alpha}][\\P{Digit}]"),
            Arguments.of("[[:space:][:word:]]", "", "[\\s\\w]"),
            Arguments.of("[[:upper:]]", "i", "[\\p{Alpha}]"),
            Arguments.of("[^]a-c]", "", "[^\\x{5D}a-c]"),
            Arguments.of("[\\d-]", "", "[\\d\\x{2D}]"),
            Arguments.of("[a[&&]", "", "[a\\x{5B}\\x{26}\\x{26}]"),
            Arguments.of("[\\b\\x41-\\x{5a}]", "", "[\\x{08}A-Z]"),
            Arguments.of("[\\101\\0]", "", "[A\\x{00}]"),
            Arguments.of("\\x41\\x{42}\\103\\cA\\ca", "", "ABC\\x{01}\\x{01}"),
            Arguments.of("\\x4g\\x", "", "\\x{04}g\\x{00}"),
            Arguments.of("\\o{101}\\0", "", "A\\x{00}"),
            Arguments.of("\\e\\a\\f\\n\\r\\t", "", "\\x{1B}\\x{07}\\x{0C}\\x{0A}\\x{0D}\\x{09}"),
            Arguments.of("x{foo}", "", "x\\{foo\\}"),
            Arguments.of("a{2}b{1,}c{1,2}", "", "a{2}b{1,}c{1,2}"),
            Arguments.of("a b #c\n d", "x", "abd"),
            Arguments.of("[ ]", "x", "[\\x{20}]"),
            Arguments.of("a(?x) b", "", "ab"),
            Arguments.of("(?xi)a b", "", "(?i)ab"),
            Arguments.of("(?i)a(?-i:b)", "", "(?i)a(?-i:b)"),
            Arguments.of("(?s-m)a", "", "(?s-m)a"),
            Arguments.of("a+b*?c??", "G", "a+?b*c?"),
            Arguments.of("(?U)a+(?-U)b+", "", "a+?b+"),
            Arguments.of("a*+", "", "a*+"),
            Arguments.of("foo$", "E", "foo\\z"),
            Arguments.of("foo$", "Em", "foo$"),
            Arguments.of("bar|baz", "A", "\\A(?:bar|baz)"),
            Arguments.of("(?<n>a)\\k<n>", "", "(a)(?:\\1)"),
            Arguments.of("(?P<n>a)(?P=n)\\g{n}\\k'n'\\k{n}", "", "(a)(?:\\1)(?:\\1)(?:\\1)(?:\\1)"),
            Arguments.of("(a)\\g1\\g{-1}\\g-1", "", "(a)(?:\\1)(?:\\1)(?:\\1)"),
            Arguments.of("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", "", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(?:\\10)"),
            Arguments.of("(a)\\12", "", "(a)\\x{0A}"),
            Arguments.of("\\Qa.b\\E+", "", "a\\.b+"),
            Arguments.of("a\\Eb", "", "ab"),
            Arguments.of("a\\Nb", "s", "a[^\\n]b"),
            Arguments.of("\\bw\\B\\A\\z\\Z\\h\\v\\H\\V\\s\\S\\w\\W\\d\\D", "",
                "\\bw\\B\\A\\z\\Z\\h\\v\\H\\V\\s\\S\\w\\W\\d\\D"),
            Arguments.of("(?#note)a", "", "a"),
            Arguments.of("#\u00e9", "", "\\#\\x{E9}"),
            Arguments.of("(?:a)(?=b)(?!c)(?<=d)(?<!e)(?>f)", "", "(?:a)(?=b)(?!c)(?<=d)(?<!e)(?>f)"));
    }

    @ParameterizedTest
    @MethodSource("translations")
    void shouldTranslate(final String pcre, final String modifiers, final String java)
    {
        assertEquals(java, PcreTranslator.translate(pcre, flags(modifiers)).javaRegex());
    }

    @Test
    void shouldMapModifiersToJavaFlags()
    {
        assertEquals(Pattern.UNIX_LINES, PcreTranslator.translate("a", flags("")).javaFlags());
        assertEquals(Pattern.UNIX_LINES | Pattern.CASE_INSENSITIVE | Pattern.DOTALL | Pattern.MULTILINE,
            PcreTranslator.translate("a", flags("ismxAEG")).javaFlags());
    }

    @Test
    void shouldSayWhatHyperscanCannotRunExactly()
    {
        final PcreTranslator.Translation plain = PcreTranslator.translate("^GET\\s+/[a-z]{3,}\\b", flags("iG"));
        assertEquals(HyperscanSupport.EXACT, plain.hyperscan());
        assertNull(plain.hyperscanNote());
        final PcreTranslator.Translation gaps = PcreTranslator.translate("(?=a)(a)\\1(?>b)c++(?<!x)", flags(""));
        assertEquals(HyperscanSupport.PREFILTER, gaps.hyperscan());
        assertEquals("lookaround, back-references, atomic groups, possessive quantifiers", gaps.hyperscanNote());
        assertEquals(1, gaps.groups());
        final PcreTranslator.Translation refused = PcreTranslator.translate("(a)\\1\\R\\N(?U)", flags(""));
        assertEquals(HyperscanSupport.NONE, refused.hyperscan());
        assertEquals("\\R, \\N, inline (?U), back-references", refused.hyperscanNote());
    }

    static Stream<Arguments> unsupported()
    {
        return Stream.of(
            Arguments.of("a(?R)", "recursion and subroutine calls"),
            Arguments.of("(a)(?1)", "recursion and subroutine calls"),
            Arguments.of("(a)(?-1)", "recursion and subroutine calls"),
            Arguments.of("(?<n>a)(?&n)", "recursion and subroutine calls"),
            Arguments.of("(?<n>a)(?P>n)", "subroutine calls"),
            Arguments.of("(a)\\g<1>", "subroutine calls"),
            Arguments.of("(a)?(?(1)b|c)", "conditionals"),
            Arguments.of("(*ACCEPT)a", "(*VERB) and start options"),
            Arguments.of("(*CRLF)a", "(*VERB) and start options"),
            Arguments.of("(?C1)a", "callouts"),
            Arguments.of("(?|(a)|(b))", "branch reset"),
            Arguments.of("a\\Kb", "\\K"),
            Arguments.of("\\Ga", "\\G"),
            Arguments.of("a\\Cb", "\\C"),
            Arguments.of("\\X", "\\X"),
            Arguments.of("\\p{L}", "Unicode properties"),
            Arguments.of("[\\P{L}]", "Unicode properties"),
            Arguments.of("\\N{U+41}", "\\N{...}"),
            Arguments.of("(?n)(a)", "option n"),
            Arguments.of("(?J)(?<a>x)", "option J"),
            Arguments.of("(?X)a", "option X"),
            Arguments.of("(?xx)a", "option xx"),
            Arguments.of("(?^)a", "option ^"),
            Arguments.of("a{,3}", "{,n} and spaced quantifiers"),
            Arguments.of("a{ 2 }", "{,n} and spaced quantifiers"),
            Arguments.of("(?<pkt_host>x)", "capture into variables"),
            Arguments.of("(?P<flow_x>x)", "capture into variables"),
            Arguments.of("(?<a>x)(?<a>y)", "duplicate group names"));
    }

    @ParameterizedTest
    @MethodSource("unsupported")
    void shouldRejectUnsupportedFeatures(final String pcre, final String feature)
    {
        final PcreException ex = assertThrows(PcreException.class, () -> PcreTranslator.translate(pcre, flags("")));
        assertFalse(ex.invalid(), ex.getMessage());
        assertEquals(feature, ex.feature());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void shouldRejectWhatPcre2Rejects(final String pcre)
    {
        final PcreException ex = assertThrows(PcreException.class, () -> PcreTranslator.translate(pcre, flags("")));
        assertTrue(ex.invalid(), ex.getMessage());
        assertEquals("invalid expression", ex.feature());
    }

    static Stream<String> invalid()
    {
        return Stream.of("a\\", "[a", "(a", "a)", "\\i", "\\u0041", "[\\d-z]", "[a-\\d]", "[z-a]", "a{3,2}",
            "a{70000}", "\\x{100}", "\\o{400}", "(?P=nope)", "\\k<nope>", "\\9", "(a)\\2", "[\\8]", "[[.a.]]",
            "[[:nope:]]", "(?z)", "\\c\u0001", "(?<1a>x)");
    }
}
