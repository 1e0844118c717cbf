package io.opensase.ips.match;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static io.opensase.ips.match.MatchTesting.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tries to make the Java DFA ({@link AhoCorasick}: four lanes, 32-byte prefixes, 16-bit states, groups split
 * over several automata) disagree with Hyperscan and with a plain search written here: the bytes next to the
 * ASCII letters ('@' '[' '`' '{', and 0xC1/0xE1, which differ from 'A'/'a' only in the high bit), literals of
 * 1 to 1,024 bytes with nocase and case-sensitive twins, prefixes and suffixes of each other, every plant
 * position in every buffer length around the lanes' threshold, buffers past the scanner's 64 KiB scratch, native
 * segments at an offset, and a group of exactly 65,536 states and one more.
 */
class AhoCorasickDifferentialTest
{
    /** 33 bytes: the 32-byte prefix ends in "\u00c1", the last byte 'Z' is confirmed past it. */
    private static final String LONG = "abcdefghijklmnopqrstuvwxyz@[`{\u00c1\u00e1Z";
    private static final byte[] NEIGHBOURS = {'@', 'A', 'Z', '[', '`', 'a', 'z', '{', 'b', 'B', (byte)0x80,
        (byte)0xC1, (byte)0xE1, (byte)0xDA, (byte)0xFA, (byte)0xFF, 0, 'q', 'Q'};
    private static final int[] LENGTHS = {1, 2, 3, 7, 31, 32, 33, 34, 63, 64, 65, 200, 1024};

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * 400 bytes of '.', scanned as four lanes (longest prefix 32: 400 >= 256 + 3 x 31); lane length
     * (400 + 93 + 3) / 4 = 124, so the quarters end at 124, 217 (124 + 124 - 31) and 310. Hand-placed: the
     * exact literal with its prefix ending on the first quarter's last byte, its upper-case form with its prefix
     * ending one byte into the third quarter, the exact one with its prefix ending on the third quarter's last
     * byte; and three near misses, one byte each changed to its neighbour 0x20 away ('[' to '{',
     * 0xE1 to 0xC1, '@' to '`'), which no folding may accept, at the very start, just after, and at the end.
     */
    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldFoldOnlyLettersOfALongLiteralAcrossQuarterEnds(final MatchTesting.Engine engine)
    {
        final List<Literal> literals = List.of(new Literal(0, bytes(LONG), true), new Literal(1, bytes(LONG), false));
        final byte[] text = bytes(".".repeat(400));
        System.arraycopy(bytes(LONG), 0, text, 92, 33); // prefix ends at 124
        System.arraycopy(bytes("ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{\u00c1\u00e1Z"), 0, text, 186, 33); // prefix ends at 218
        System.arraycopy(bytes(LONG), 0, text, 278, 33); // prefix ends at 310
        System.arraycopy(bytes("abcdefghijklmnopqrstuvwxyz@{`{\u00c1\u00e1Z"), 0, text, 0, 33);
        System.arraycopy(bytes("abcdefghijklmnopqrstuvwxyz@[`{\u00c1\u00c1Z"), 0, text, 40, 33);
        System.arraycopy(bytes("abcdefghijklmnopqrstuvwxyz`[`{\u00c1\u00e1Z"), 0, text, 367, 33);
        for (final boolean single : new boolean[] {false, true})
        {
            try (Prefilter p = engine.compile(List.of(literals), single); PrefilterScanner s = p.newScanner())
            {
                final Set<Long> found = MatchTesting.scan(s, 0, MemorySegment.ofArray(text));
                if (single)
                {
                    assertEquals(Set.of(0, 1), MatchTesting.ids(found));
                }
                else
                {
                    assertEquals(Set.of(pair(0, 125), pair(1, 125), pair(0, 219), pair(0, 311), pair(1, 311)), found);
                }
            }
        }
    }

    /**
     * One plant of {@link #LONG} at every position of every buffer length from 20 below the lanes' threshold
     * (349) to 60 above, in '.' filler: five literals that are prefixes, suffixes, a one-byte infix and case
     * twins of it must each end where the plant puts them, no more, no less, on the DFA and on Hyperscan.
     */
    @Test
    void shouldFindAPlantAtEveryPositionOfEveryLengthAroundTheLaneThreshold()
    {
        final byte[] longBytes = bytes(LONG);
        final List<Literal> literals = List.of(
            new Literal(0, longBytes, true),
            new Literal(1, longBytes, false),
            new Literal(2, bytes("{"), false),
            new Literal(3, Arrays.copyOf(longBytes, 31), false),
            new Literal(4, Arrays.copyOfRange(longBytes, 1, 33), true));
        try (Prefilter dfa = MatchTesting.Engine.JAVA_DFA.compile(List.of(literals), false);
            Prefilter hyperscan = MatchTesting.Engine.HYPERSCAN.compile(List.of(literals), false);
            PrefilterScanner d = dfa.newScanner();
            PrefilterScanner h = hyperscan.newScanner())
        {
            int scans = 0;
            for (int length = 329; length <= 409; length++)
            {
                for (int at = 0; at + 33 <= length; at++)
                {
                    final byte[] text = new byte[length];
                    Arrays.fill(text, (byte)'.');
                    System.arraycopy(longBytes, 0, text, at, 33);
                    final Set<Long> expected = Set.of(pair(0, at + 33), pair(1, at + 33), pair(2, at + 30),
                        pair(3, at + 31), pair(4, at + 33));
                    final MemorySegment data = MemorySegment.ofArray(text);
                    final int l = length;
                    final int a = at;
                    assertEquals(expected, MatchTesting.scan(d, 0, data), () -> "dfa length " + l + " at " + a);
                    assertEquals(expected, MatchTesting.scan(h, 0, data), () -> "hyperscan length " + l + " at " + a);
                    scans++;
                }
            }
            assertEquals(27_297, scans);
        }
    }

    /**
     * One-byte literals only: the lanes do not overlap and start at 256 bytes. Each byte below planted at
     * every position of every length from 250 to 262 in '.' filler: 'a' and 'A' find the nocase "a", '{' the
     * case-sensitive "{", 0xC1 the nocase 0xC1; their neighbours 0x20 away ('[', 0xE1, '@', '`') find nothing.
     */
    @Test
    void shouldFindOneByteLiteralsAtEveryPositionWhereTheLanesDoNotOverlap()
    {
        final List<Literal> literals = List.of(new Literal(0, bytes("a"), true), new Literal(1, bytes("{"), false),
            new Literal(2, new byte[] {(byte)0xC1}, true));
        final byte[] planted = {'a', 'A', '{', (byte)0xC1, '[', (byte)0xE1, '@', '`'};
        final int[] literalOf = {0, 0, 1, 2, -1, -1, -1, -1};
        try (Prefilter dfa = MatchTesting.Engine.JAVA_DFA.compile(List.of(literals), false);
            Prefilter hyperscan = MatchTesting.Engine.HYPERSCAN.compile(List.of(literals), false);
            PrefilterScanner d = dfa.newScanner();
            PrefilterScanner h = hyperscan.newScanner())
        {
            for (int length = 250; length <= 262; length++)
            {
                for (int at = 0; at < length; at++)
                {
                    for (int k = 0; k < planted.length; k++)
                    {
                        final byte[] text = new byte[length];
                        Arrays.fill(text, (byte)'.');
                        text[at] = planted[k];
                        final Set<Long> expected = literalOf[k] < 0 ? Set.of() : Set.of(pair(literalOf[k], at + 1));
                        final MemorySegment data = MemorySegment.ofArray(text);
                        final String where = "length " + length + " at " + at + " byte " + (planted[k] & 0xFF);
                        assertEquals(expected, MatchTesting.scan(d, 0, data), () -> "dfa " + where);
                        assertEquals(expected, MatchTesting.scan(h, 0, data), () -> "hyperscan " + where);
                    }
                }
            }
        }
    }

    /**
     * Seeded random groups over the letters' neighbours and high bytes, with twins, prefixes, suffixes and
     * extensions of their literals; buffers of every length within 40 of the lanes' threshold and random ones
     * up to 3,000 bytes and past 64 KiB, with literals (some case-flipped, some cut one short) planted to end
     * or start next to where the quarters and the lanes meet; heap or native memory at an offset; an empty
     * group and a one-literal group scanned between. Every engine against the plain search, in both modes.
     */
    @Test
    void shouldAgreeWithAPlainSearchOnRandomGroupsOfTheLettersNeighbours()
    {
        long matches = 0;
        for (int set = 0; set < 8; set++)
        {
            final Random random = new Random(0xdfa0L + set);
            final int alphabet = 2 + random.nextInt(NEIGHBOURS.length - 1);
            final List<Literal> literals = randomLiterals(random, alphabet);
            final List<List<Literal>> groups = List.of(List.of(), literals,
                List.of(new Literal(literals.size(), bytes("a"), true)));
            final Map<MatchTesting.Engine, Prefilter> compiled = new EnumMap<>(MatchTesting.Engine.class);
            final Map<MatchTesting.Engine, Prefilter> compiledSingle = new EnumMap<>(MatchTesting.Engine.class);
            try (Arena arena = Arena.ofConfined())
            {
                for (final MatchTesting.Engine engine : MatchTesting.Engine.values())
                {
                    compiled.put(engine, engine.compile(groups, false));
                    compiledSingle.put(engine, engine.compile(groups, true));
                }
                final int overlap = longestPrefix(literals) - 1;
                final List<Integer> lengths = new ArrayList<>();
                for (int length = 256 + 3 * overlap - 40; length < 256 + 3 * overlap + 40; length++)
                {
                    lengths.add(length);
                }
                for (int k = 0; k < 10; k++)
                {
                    lengths.add(random.nextInt(3_000));
                }
                lengths.add(64 * 1024 + random.nextInt(5_000));
                for (final MatchTesting.Engine engine : MatchTesting.Engine.values())
                {
                    try (PrefilterScanner all = compiled.get(engine).newScanner();
                        PrefilterScanner single = compiledSingle.get(engine).newScanner())
                    {
                        final Random texts = new Random(set);
                        for (final int length : lengths)
                        {
                            final byte[] text = plantedText(texts, alphabet, length, literals, overlap);
                            final int pad = texts.nextInt(40);
                            final MemorySegment data = texts.nextBoolean() ? arena.allocate(length + 2L * pad + 1)
                                : MemorySegment.ofArray(new byte[length + 2 * pad + 1]);
                            data.fill((byte)'A');
                            MemorySegment.copy(MemorySegment.ofArray(text), 0, data, pad, length);
                            final Set<Long> expected = plainSearch(literals, text);
                            all.scan(0, data, pad, length, (id, end) -> fail(id));
                            all.scan(2, data, pad, length, (id, end) -> { });
                            final int s = set;
                            assertEquals(expected, scan(all, data, pad, length, false),
                                () -> engine + " set " + s + " length " + length + " literals " + literals);
                            single.scan(2, data, pad, length, (id, end) -> { });
                            final Set<Long> once = scan(single, data, pad, length, true);
                            assertEquals(MatchTesting.ids(expected), MatchTesting.ids(once),
                                () -> engine + " single-match, set " + s + " length " + length);
                            assertTrue(expected.containsAll(once), () -> engine + " single-match end not a match");
                            matches += expected.size();
                        }
                    }
                }
            }
            finally
            {
                compiled.values().forEach(Prefilter::close);
                compiledSingle.values().forEach(Prefilter::close);
            }
        }
        assertTrue(matches > 5_000, "matches " + matches);
    }

    /**
     * 2,113 literals of 32 bytes whose first bytes take 32 values and whose first two bytes are all distinct
     * need 1 + 32 + 2,113 x 31 = 65,536 states: the most one automaton holds, the last state number 0xFFFF.
     * One one-byte literal more needs 65,537 and splits the group. Both must find exactly what a plain
     * search finds.
     */
    @Test
    void shouldMatchWithTheLastSixteenBitStateAndAcrossTheSplitOneStateLater()
    {
        final Random random = new Random(5);
        final List<Literal> literals = new ArrayList<>();
        for (int i = 0; i < 2_113; i++)
        {
            final byte[] b = new byte[32];
            b[0] = (byte)(i / 67);
            b[1] = (byte)(i % 67);
            for (int j = 2; j < 32; j++)
            {
                b[j] = (byte)random.nextInt(256);
            }
            literals.add(new Literal(i, b, random.nextBoolean()));
        }
        final List<AhoCorasick> whole = AhoCorasick.buildAll(literals);
        assertEquals(1, whole.size());
        assertEquals(65_536, whole.getFirst().states());
        final List<Literal> oneMore = new ArrayList<>(literals);
        oneMore.add(new Literal(2_113, new byte[] {(byte)0xF0}, false));
        assertEquals(2, AhoCorasick.buildAll(oneMore).size());
        for (final List<Literal> group : List.of(literals, oneMore))
        {
            final byte[] text = new byte[group.size() * 40];
            random.nextBytes(text);
            for (int i = 0; i < group.size(); i++)
            {
                final byte[] b = flipCase(random, group.get(i).bytes());
                System.arraycopy(b, 0, text, i * 40 + random.nextInt(8), b.length);
            }
            final Set<Long> expected = MatchTesting.reference(group, text, text.length);
            assertTrue(expected.size() > 1_000, "matches " + expected.size());
            try (Prefilter p = MatchTesting.Engine.JAVA_DFA.compile(List.of(group), false);
                PrefilterScanner s = p.newScanner())
            {
                assertEquals(expected, scan(s, 0, MemorySegment.ofArray(text), 0, text.length, false),
                    "literals " + group.size());
            }
        }
    }

    /**
     * A group split over several automata, buffers from 70 KB to 200 KB (past the scanner's 64 KiB copy) in
     * native memory at an offset: each literal at most once in single-match mode (the parts share the stamps),
     * and, once the copy has grown, no allocation on either mode's scan path.
     */
    @Test
    void shouldScanPastTheScratchAndAcrossSplitPartsWithoutAllocating()
    {
        final Random random = new Random(99);
        final List<Literal> literals = new ArrayList<>();
        for (int i = 0; i < 2_200; i++)
        {
            final byte[] b = new byte[i % 7 == 0 ? 33 : i % 7 == 1 ? 1_024 : 32];
            random.nextBytes(b);
            literals.add(new Literal(literals.size(), b, random.nextBoolean()));
            if (i % 10 == 0)
            {
                literals.add(new Literal(literals.size(), b, !literals.getLast().nocase()));
            }
        }
        assertTrue(AhoCorasick.buildAll(literals).size() > 1);
        final List<List<Literal>> groups = List.of(List.of(), literals, List.of(new Literal(0, bytes("x"), false)));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        try (Arena arena = Arena.ofConfined();
            Prefilter all = MatchTesting.Engine.JAVA_DFA.compile(groups, false);
            Prefilter once = MatchTesting.Engine.JAVA_DFA.compile(groups, true);
            PrefilterScanner a = all.newScanner();
            PrefilterScanner o = once.newScanner())
        {
            final byte[] text = new byte[200_000];
            random.nextBytes(text);
            for (int p = 0; p < 600; p++)
            {
                final byte[] b = flipCase(random, literals.get(random.nextInt(literals.size())).bytes());
                System.arraycopy(b, 0, text, random.nextInt(text.length - b.length + 1), b.length);
            }
            final MemorySegment data = arena.allocate(text.length + 64);
            MemorySegment.copy(MemorySegment.ofArray(text), 0, data, 64, text.length);
            for (final int length : new int[] {70_000, 131_073, 200_000})
            {
                final Set<Long> expected = MatchTesting.reference(literals, text, length);
                assertTrue(expected.size() > 50, "matches " + expected.size());
                assertEquals(expected, scan(a, data, 64, length, false), "every match, " + length);
                assertEquals(MatchTesting.ids(expected), MatchTesting.ids(scan(o, data, 64, length, true)),
                    "single-match, " + length);
            }
            final long[] sum = new long[1];
            final MatchSink sink = (id, end) -> sum[0] += id + end;
            for (final PrefilterScanner s : List.of(a, o))
            {
                for (int i = 0; i < 200; i++)
                {
                    s.scan(i % 3, data, 64 + i % 50, 100_000 - i, sink);
                }
                long allocated = Long.MAX_VALUE;
                for (int round = 0; round < 3; round++)
                {
                    final long before = threads.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < 60; i++)
                    {
                        s.scan(i % 3, data, 64 + i % 50, 100_000 - i, sink);
                    }
                    allocated = Math.min(allocated, threads.getThreadAllocatedBytes(thread) - before);
                }
                assertEquals(0, allocated, "bytes allocated in 60 scans");
            }
            assertTrue(sum[0] > 0);
        }
    }

    private static void fail(final int id)
    {
        throw new AssertionError("the empty group reported literal " + id);
    }

    private static int longestPrefix(final List<Literal> literals)
    {
        int longest = 0;
        for (final Literal literal : literals)
        {
            longest = Math.max(longest, Math.min(AhoCorasick.PREFIX, literal.length()));
        }
        return longest;
    }

    /** Literals over the first {@code alphabet} neighbours, each maybe followed by a relative of it. */
    private static List<Literal> randomLiterals(final Random random, final int alphabet)
    {
        final List<Literal> literals = new ArrayList<>();
        final int count = 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
        for (int i = 0; i < count; i++)
        {
            final int length = random.nextInt(3) == 0 ? 1 + random.nextInt(40) : LENGTHS[random.nextInt(LENGTHS.length)];
            final byte[] b = randomBytes(random, alphabet, length);
            literals.add(new Literal(literals.size(), b, random.nextBoolean()));
            final byte[] relative = switch (random.nextInt(6))
            {
                case 0 -> b; // its twin of the other case mode (below)
                case 1 -> flipCase(random, b);
                case 2 -> Arrays.copyOf(b, 1 + random.nextInt(b.length));
                case 3 ->
                {
                    final byte[] longer = Arrays.copyOf(b, b.length + 1 + random.nextInt(40));
                    System.arraycopy(randomBytes(random, alphabet, longer.length - b.length), 0, longer, b.length,
                        longer.length - b.length);
                    yield longer;
                }
                case 4 -> Arrays.copyOfRange(b, random.nextInt(b.length), b.length);
                default -> null;
            };
            if (null != relative)
            {
                final boolean nocase = relative == b ? !literals.getLast().nocase() : random.nextBoolean();
                literals.add(new Literal(literals.size(), relative, nocase));
            }
        }
        return literals;
    }

    private static byte[] randomBytes(final Random random, final int alphabet, final int length)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = NEIGHBOURS[random.nextInt(alphabet)];
        }
        return b;
    }

    /** Random text with literals planted to end, or have their 32-byte prefix end, near the lanes' seams. */
    private static byte[] plantedText(final Random random, final int alphabet, final int length,
        final List<Literal> literals, final int overlap)
    {
        final byte[] text = randomBytes(random, alphabet, length);
        if (0 == length)
        {
            return text;
        }
        final int lane = (length + 3 * overlap + 3) >>> 2;
        final int[] seams = {lane, 2 * lane - overlap, 3 * lane - 2 * overlap, lane - overlap,
            2 * lane - 2 * overlap, 3 * lane - 3 * overlap, length, 0, random.nextInt(length)};
        for (int p = 0, plants = 1 + random.nextInt(12); p < plants; p++)
        {
            byte[] b = literals.get(random.nextInt(literals.size())).bytes();
            if (random.nextInt(3) == 0)
            {
                b = flipCase(random, b);
            }
            if (random.nextInt(5) == 0)
            {
                b = Arrays.copyOf(b, Math.max(1, b.length - 1));
            }
            final int prefixEnd = seams[random.nextInt(seams.length)] + random.nextInt(5) - 2
                + (random.nextBoolean() ? 0 : Math.min(AhoCorasick.PREFIX, b.length));
            final int end = prefixEnd + (random.nextBoolean() ? 0 : b.length - Math.min(AhoCorasick.PREFIX, b.length));
            final int start = Math.max(0, Math.min(length - b.length, end - b.length));
            for (int i = 0; i < b.length && start + i < length; i++)
            {
                text[start + i] = b[i];
            }
        }
        return text;
    }

    private static byte[] flipCase(final Random random, final byte[] in)
    {
        final byte[] b = in.clone();
        for (int i = 0; i < b.length; i++)
        {
            final int c = b[i] & 0xFF;
            if (random.nextBoolean() && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            {
                b[i] = (byte)(c ^ 0x20);
            }
        }
        return b;
    }

    /** Scans group 1 (group 0 for a one-group prefilter), failing on a pair or, single-match, an id twice. */
    private static Set<Long> scan(final PrefilterScanner scanner, final MemorySegment data, final long offset,
        final int length, final boolean single)
    {
        return scan(scanner, 1, data, offset, length, single);
    }

    private static Set<Long> scan(final PrefilterScanner scanner, final int group, final MemorySegment data,
        final long offset, final int length, final boolean single)
    {
        final Set<Long> found = new TreeSet<>();
        final Set<Integer> ids = new TreeSet<>();
        final List<Long> repeated = new ArrayList<>();
        final int count = scanner.scan(group, data, offset, length, (id, end) ->
        {
            if (!found.add(pair(id, end)) || (single && !ids.add(id)))
            {
                repeated.add(pair(id, end));
            }
        });
        assertTrue(repeated.isEmpty(), () -> "reported again: " + repeated);
        assertEquals(found.size(), count, "returned count");
        return found;
    }

    /** Every (id, end): each literal compared at each position, A-Z and a-z alike for nocase ones only. */
    private static Set<Long> plainSearch(final List<Literal> literals, final byte[] text)
    {
        final Set<Long> found = new TreeSet<>();
        for (final Literal literal : literals)
        {
            final byte[] p = literal.bytes();
            for (int at = 0; at + p.length <= text.length; at++)
            {
                int i = 0;
                while (i < p.length && same(text[at + i] & 0xFF, p[i] & 0xFF, literal.nocase()))
                {
                    i++;
                }
                if (i == p.length)
                {
                    found.add(pair(literal.id(), at + p.length));
                }
            }
        }
        return found;
    }

    private static boolean same(final int a, final int b, final boolean nocase)
    {
        return a == b || (nocase && Character.isLetter(a) && a < 0x80 && (a ^ 0x20) == b);
    }
}
