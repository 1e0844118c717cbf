package io.opensase.ips.match;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static io.opensase.ips.match.MatchTesting.pair;
import static io.opensase.ips.match.MatchTesting.scan;
import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-worked cases every prefilter engine must answer the same way. */
class PrefilterTest
{
    private static Literal literal(final int id, final String text, final boolean nocase)
    {
        return new Literal(id, text.getBytes(StandardCharsets.ISO_8859_1), nocase);
    }

    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldReportEveryEndOfOverlappingLiterals(final MatchTesting.Engine engine)
    {
        final List<Literal> literals = List.of(literal(0, "ab", false), literal(1, "bca", false),
            literal(2, "abcab", false), literal(3, "b", false), literal(4, "aaaa", false));
        try (Prefilter p = engine.compile(List.of(literals), false); PrefilterScanner s = p.newScanner())
        {
            assertEquals(Set.of(pair(0, 2), pair(3, 2), pair(1, 4), pair(0, 5), pair(3, 5), pair(2, 5)),
                scan(s, 0, segment("abcab")));
            assertEquals(Set.of(pair(4, 4), pair(4, 5), pair(4, 6)), scan(s, 0, segment("aaaaaa")));
            assertEquals(Set.of(), scan(s, 0, segment("")));
            assertEquals(Set.of(), scan(s, 0, segment("xyz")));
        }
    }

    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldScanOnlyTheRangeGivenInHeapAndNativeMemory(final MatchTesting.Engine engine)
    {
        final List<Literal> literals = List.of(literal(0, "abc", false), literal(1, "Zz", true));
        final byte[] bytes = "abcxxABCzZabc".getBytes(StandardCharsets.ISO_8859_1);
        try (Arena arena = Arena.ofConfined(); Prefilter p = engine.compile(List.of(literals), false);
            PrefilterScanner s = p.newScanner())
        {
            final MemorySegment off = arena.allocate(bytes.length);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, off, 0, bytes.length);
            for (final MemorySegment data : List.of(MemorySegment.ofArray(bytes), off))
            {
                // Bytes 3..9 ("xxABCzZ"): ends count from byte 3; the "abc" on either side is outside.
                assertEquals(Set.of(pair(1, 7)), range(s, data, 3, 7));
                // Bytes 1..11: "abc" starting at 0 and ending at 13 are cut; only "zZ" at 8..9.
                assertEquals(Set.of(pair(1, 9)), range(s, data, 1, 11));
                assertEquals(Set.of(pair(0, 3)), range(s, data, 10, 3));
                assertEquals(Set.of(), range(s, data, 10, 0));
            }
        }
    }

    private static Set<Long> range(final PrefilterScanner s, final MemorySegment data, final long offset,
        final int length)
    {
        final Set<Long> found = new java.util.TreeSet<>();
        s.scan(0, data, offset, length, (id, end) -> found.add(pair(id, end)));
        return found;
    }

    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldFoldOnlyAsciiLettersOfNocaseLiterals(final MatchTesting.Engine engine)
    {
        final List<Literal> literals = List.of(literal(0, "GET /", true), literal(1, "Host", false),
            literal(2, "\u00e9t\u00e9", true), literal(3, "x-Y", true), literal(4, "@[", true));
        try (Prefilter p = engine.compile(List.of(literals), false); PrefilterScanner s = p.newScanner())
        {
            assertEquals(Set.of(pair(0, 5), pair(1, 9)), scan(s, 0, segment("get /Host")));
            assertEquals(Set.of(), scan(s, 0, segment("HOST host hOST")));
            // 0xC9 is the upper case of 0xE9 in Latin-1, but not in ASCII: no fold.
            assertEquals(Set.of(), scan(s, 0, segment("\u00c9T\u00c9")));
            assertEquals(Set.of(pair(2, 3)), scan(s, 0, segment("\u00e9T\u00e9")));
            assertEquals(Set.of(pair(3, 3), pair(4, 5)), scan(s, 0, segment("X-y@[")));
            // '@' and '[' lie just outside A-Z, and fold to nothing: '`' and '{' are other bytes.
            assertEquals(Set.of(), scan(s, 0, segment("`{ `[ @{")));
        }
    }

    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldFindLiteralsAtBothEdgesAndShortLiteralsEverywhere(final MatchTesting.Engine engine)
    {
        final List<Literal> literals = List.of(literal(0, "\u0000\u0000", false), literal(1, "\u00ff", false),
            literal(2, "abc", true), literal(3, "abcd", false), literal(4, "cdabc", false));
        try (Prefilter p = engine.compile(List.of(literals), false); PrefilterScanner s = p.newScanner())
        {
            assertEquals(Set.of(pair(2, 3), pair(3, 4), pair(4, 7), pair(2, 7), pair(1, 8), pair(0, 10),
                pair(0, 11)), scan(s, 0, segment("abcdabc\u00ff\u0000\u0000\u0000")));
            assertEquals(Set.of(pair(1, 1)), scan(s, 0, segment("\u00ff")));
            assertEquals(Set.of(pair(2, 3)), scan(s, 0, segment("ABC")));
        }
    }

    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldReportEachLiteralOnceInSingleMatchMode(final MatchTesting.Engine engine)
    {
        final List<Literal> literals = List.of(literal(0, "ab", false), literal(1, "\u0000\u0000", false),
            literal(2, "b", false), literal(3, "never", false));
        try (Prefilter p = engine.compile(List.of(literals), true); PrefilterScanner s = p.newScanner())
        {
            for (int round = 0; round < 3; round++)
            {
                final Set<Long> found = scan(s, 0, segment("abab\u0000\u0000\u0000\u0000abab"));
                assertEquals(Set.of(0, 1, 2), MatchTesting.ids(found));
                assertEquals(3, found.size());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldKeepGroupsApart(final MatchTesting.Engine engine)
    {
        final List<List<Literal>> groups = List.of(List.of(literal(0, "alpha", false)), List.of(),
            List.of(literal(7, "beta", false), literal(5, "alpha", true)));
        try (Prefilter p = engine.compile(groups, false); PrefilterScanner s = p.newScanner())
        {
            assertEquals(3, p.groupCount());
            assertEquals(8, p.idLimit());
            assertEquals(Set.of(pair(0, 5)), scan(s, 0, segment("alpha beta")));
            assertEquals(Set.of(), scan(s, 1, segment("alpha beta")));
            assertEquals(Set.of(pair(5, 5), pair(7, 10)), scan(s, 2, segment("ALPHA beta")));
        }
    }

    @ParameterizedTest
    @EnumSource(MatchTesting.Engine.class)
    void shouldScanNativeAndHeapMemoryAlike(final MatchTesting.Engine engine)
    {
        final List<Literal> literals = List.of(literal(0, "needle", true));
        try (Prefilter p = engine.compile(List.of(literals), false); PrefilterScanner s = p.newScanner();
            Arena arena = Arena.ofConfined())
        {
            final byte[] bytes = new byte[100_000];
            System.arraycopy("NEEDLE".getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 99_994, 6);
            final MemorySegment heap = MemorySegment.ofArray(bytes);
            final MemorySegment off = arena.allocate(bytes.length);
            off.copyFrom(heap);
            assertEquals(Set.of(pair(0, 100_000)), scan(s, 0, heap));
            assertEquals(Set.of(pair(0, 100_000)), scan(s, 0, off));
            assertEquals(Set.of(pair(0, 6)), scan(s, 0, off.asSlice(99_994)));
        }
    }

    @Test
    void shouldRefuseAnIdTwiceInAGroup()
    {
        assertThrows(IllegalArgumentException.class, () -> Prefilters.compile(
            List.of(List.of(literal(1, "a", false), literal(1, "b", false))), PrefilterEngine.JAVA, false));
    }

    /** The matcher puts a packet rule's payload literal in two groups (see RuleMatcher.PACKET_PAYLOAD_GROUP). */
    @Test
    void shouldTakeOneIdInTwoGroups()
    {
        try (Prefilter prefilter = Prefilters.compile(
            List.of(List.of(literal(1, "a", false)), List.of(literal(1, "a", false))), PrefilterEngine.JAVA, false))
        {
            assertEquals(1, prefilter.literalCount(0));
            assertEquals(1, prefilter.literalCount(1));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MatchTesting.Engine.class, names = {"JAVA_QGRAM", "JAVA_DFA"})
    void shouldAllocateNothingWhileScanning(final MatchTesting.Engine engine)
    {
        final List<List<Literal>> groups = MatchTesting.etOpenGroups();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final byte[] text = ("GET /index.php?id=1 HTTP/1.1\r\nHost: a.example\r\nUser-Agent: Mozilla/5.0\r\n"
            + "\u0000\u0000\u0001\u00ff").repeat(20).getBytes(StandardCharsets.ISO_8859_1);
        for (final boolean single : new boolean[] {true, false})
        {
            try (Prefilter p = engine.compile(groups, single); PrefilterScanner s = p.newScanner();
                Arena arena = Arena.ofConfined())
            {
                final MemorySegment data = arena.allocate(text.length);
                data.copyFrom(MemorySegment.ofArray(text));
                final long[] sum = new long[1];
                final MatchSink sink = (id, end) -> sum[0] += id + end;
                for (int i = 0; i < 20_000; i++)
                {
                    s.scan(i % groups.size(), data, sink);
                }
                // The least over a few rounds, so that a one-off compiler event (a deoptimisation
                // re-creating an object it had scalar-replaced) does not count.
                long allocated = Long.MAX_VALUE;
                for (int round = 0; round < 5; round++)
                {
                    final long before = threads.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < 20_000; i++)
                    {
                        s.scan(i % groups.size(), data, sink);
                    }
                    allocated = Math.min(allocated, threads.getThreadAllocatedBytes(thread) - before);
                }
                assertTrue(sum[0] > 0);
                assertEquals(0, allocated,
                    engine + " single " + single + " allocated " + allocated + " bytes in 20,000 scans");
            }
        }
    }
}
