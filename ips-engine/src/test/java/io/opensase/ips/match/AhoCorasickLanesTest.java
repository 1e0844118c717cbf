package io.opensase.ips.match;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static io.opensase.ips.match.MatchTesting.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DFA's scan splits a long buffer into four lanes, puts only the first {@link AhoCorasick#PREFIX} bytes
 * of a literal into the automaton and splits a group too large for 16-bit states over several automata.
 * Each case here is checked against a naive search written in the test: every occurrence of every literal,
 * compared byte by byte (folding A-Z for nocase literals).
 */
class AhoCorasickLanesTest
{
    private static final byte[] ALPHABET = "abAB-/\u00e9".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void shouldFindLiteralsAcrossEveryLaneBoundaryOfLongBuffers()
    {
        final Random random = new Random(7);
        final List<Literal> literals = new ArrayList<>();
        for (int id = 0; id < 60; id++)
        {
            // Lengths 1..80: some past the 32-byte prefix, so the lanes' overlap is the prefix's, not theirs.
            final int length = 1 + random.nextInt(id < 40 ? 6 : 80);
            literals.add(new Literal(id, randomBytes(random, length, 3), random.nextBoolean()));
        }
        try (Prefilter prefilter = JavaPrefilter.compile(List.of(literals), false, null, JavaPrefilter.Algorithm.DFA);
            PrefilterScanner scanner = prefilter.newScanner())
        {
            for (int round = 0; round < 300; round++)
            {
                final byte[] text = randomBytes(random, random.nextInt(3_000), 3);
                // Plant long literals where the quarters meet and at the very end.
                for (int k = 0; k < 4 && text.length > 100; k++)
                {
                    final Literal planted = literals.get(40 + random.nextInt(20));
                    final int at = Math.max(0, Math.min(text.length - planted.length(),
                        text.length * k / 4 - planted.length() / 2 + random.nextInt(9) - 4));
                    System.arraycopy(planted.bytes(), 0, text, at, Math.min(planted.length(), text.length - at));
                }
                assertEquals(naive(literals, text), scan(scanner, text), "round " + round);
            }
        }
    }

    @Test
    void shouldConfirmTheBytesOfALongLiteralPastItsPrefix()
    {
        final String longLiteral = "0123456789abcdefghijklmnopqrstuvWXYZ"; // 36 bytes, 4 past the prefix
        final List<Literal> literals = List.of(
            new Literal(0, longLiteral.getBytes(StandardCharsets.ISO_8859_1), true),
            new Literal(1, longLiteral.getBytes(StandardCharsets.ISO_8859_1), false));
        try (Prefilter prefilter = JavaPrefilter.compile(List.of(literals), false, null, JavaPrefilter.Algorithm.DFA);
            PrefilterScanner scanner = prefilter.newScanner())
        {
            final String prefixOnly = longLiteral.substring(0, 32);
            assertEquals(Set.of(), scan(scanner, bytes("xx" + prefixOnly + "wxy!")));
            assertEquals(Set.of(), scan(scanner, bytes("xx" + prefixOnly)), "prefix at the end, rest cut off");
            assertEquals(Set.of(pair(0, 38)), scan(scanner, bytes("xx" + prefixOnly + "wxyz")));
            assertEquals(Set.of(pair(0, 38), pair(1, 38)), scan(scanner, bytes("xx" + longLiteral)));
            assertEquals(Set.of(pair(0, 36)), scan(scanner, bytes(longLiteral.toUpperCase())));
        }
    }

    @Test
    void shouldSplitAGroupTooLargeForSixteenBitStates()
    {
        final Random random = new Random(11);
        final List<Literal> literals = new ArrayList<>();
        for (int id = 0; id < 2_500; id++)
        {
            // 2,500 x 32 random bytes: about 80,000 trie states, more than 65,536.
            literals.add(new Literal(id, randomBytes(random, 32, 256), false));
        }
        assertTrue(AhoCorasick.buildAll(literals).size() > 1);
        try (Prefilter prefilter = JavaPrefilter.compile(List.of(literals), true, null, JavaPrefilter.Algorithm.DFA);
            PrefilterScanner scanner = prefilter.newScanner())
        {
            final byte[] text = randomBytes(random, 4_000, 256);
            for (int k = 0; k < 20; k++)
            {
                System.arraycopy(literals.get(k * 120).bytes(), 0, text, k * 190, 32);
            }
            final Set<Integer> ids = new TreeSet<>();
            scanner.scan(0, MemorySegment.ofArray(text), 0, text.length, (id, end) -> assertTrue(ids.add(id)));
            final Set<Integer> expected = new TreeSet<>();
            for (final long found : naive(literals, text))
            {
                expected.add((int)(found >>> 32));
            }
            assertEquals(20, expected.size());
            assertEquals(expected, ids);
        }
    }

    private static Set<Long> scan(final PrefilterScanner scanner, final byte[] text)
    {
        final Set<Long> found = new TreeSet<>();
        scanner.scan(0, MemorySegment.ofArray(text), 0, text.length, (id, end) -> assertTrue(found.add(pair(id, end))));
        return found;
    }

    private static Set<Long> naive(final List<Literal> literals, final byte[] text)
    {
        final Set<Long> found = new TreeSet<>();
        for (final Literal literal : literals)
        {
            final byte[] pattern = literal.bytes();
            for (int at = 0; at + pattern.length <= text.length; at++)
            {
                int i = 0;
                while (i < pattern.length && same(text[at + i], pattern[i], literal.nocase()))
                {
                    i++;
                }
                if (i == pattern.length)
                {
                    found.add(pair(literal.id(), at + pattern.length));
                }
            }
        }
        return found;
    }

    private static boolean same(final byte a, final byte b, final boolean nocase)
    {
        if (a == b)
        {
            return true;
        }
        return nocase && Character.toLowerCase((char)(a & 0xFF)) == Character.toLowerCase((char)(b & 0xFF))
            && (a & 0xFF) < 128 && Character.isLetter((char)(a & 0xFF));
    }

    private static byte[] randomBytes(final Random random, final int length, final int alphabet)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = alphabet >= 256 ? (byte)random.nextInt(256) : ALPHABET[random.nextInt(alphabet)];
        }
        return bytes;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
