package io.opensase.ips.match;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Hyperscan shim ({@code libopensase_hs.so}): built with the module and used by the system's library, so the
 * product's scans run through it; what the shim path does that the upcall path does not (buffer growth, heap
 * bytes read in place, a failing sink). Its matches against the upcall path's and a plain search's are in
 * {@link PrefilterDifferentialTest} and {@link AhoCorasickDifferentialTest} ({@code HYPERSCAN} and
 * {@code HYPERSCAN_UPCALLS}).
 */
class HyperscanShimTest
{
    private static final List<Literal> A = List.of(new Literal(7, "a".getBytes(StandardCharsets.US_ASCII), false));

    @Test
    void shouldScanThroughTheShimWithTheSystemLibrary()
    {
        final HyperscanLibrary system = HyperscanLibrary.system();
        assertTrue(system.matchPath().startsWith("matches collected in C by /")
            && system.matchPath().endsWith("/ips-engine/target/native/" + HyperscanShim.FILE_NAME),
            "the shim the build made serves the system's library: " + system.matchPath());
        try (Prefilter prefilter = Prefilters.compile(List.of(A), PrefilterEngine.HYPERSCAN, true))
        {
            assertTrue(prefilter.description().endsWith(system.matchPath()), prefilter.description());
        }
        final HyperscanLibrary byName = HyperscanLibrary.load(HyperscanLibrary.SONAME);
        assertEquals("matches through FFM upcalls", byName.matchPath());
    }

    /**
     * Every-match mode with 10,000 matches in one scan: more than the shim's buffer first holds (4,096), so the
     * scan is run again with room, and the sink sees each match once, ending at 1, 2, ... 10,000.
     */
    @Test
    void shouldGrowTheBufferAndReportEveryMatchOnce()
    {
        final byte[] text = new byte[10_000];
        Arrays.fill(text, (byte)'a');
        try (Prefilter prefilter = Prefilters.compile(List.of(A), PrefilterEngine.HYPERSCAN, false);
            PrefilterScanner scanner = prefilter.newScanner())
        {
            for (int round = 0; round < 2; round++)
            {
                final List<Integer> ends = new ArrayList<>();
                final int found = scanner.scan(0, MemorySegment.ofArray(text), 0, text.length, (id, end) ->
                {
                    assertEquals(7, id);
                    ends.add(end);
                });
                assertEquals(10_000, found);
                assertEquals(10_000, ends.size());
                for (int i = 0; i < ends.size(); i++)
                {
                    assertEquals(i + 1, ends.get(i));
                }
            }
        }
    }

    /** Heap bytes are read in place at their offset, native ones likewise; ends count from the offset. */
    @Test
    void shouldReadHeapAndNativeBytesAtTheirOffset()
    {
        final byte[] text = "xxxxabcaxxa".getBytes(StandardCharsets.US_ASCII);
        try (Prefilter prefilter = Prefilters.compile(List.of(A), PrefilterEngine.HYPERSCAN, false);
            PrefilterScanner scanner = prefilter.newScanner();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment heap = MemorySegment.ofArray(text);
            final MemorySegment offHeap = arena.allocate(text.length).copyFrom(heap);
            for (final MemorySegment data : List.of(heap, offHeap))
            {
                final List<Integer> ends = new ArrayList<>();
                scanner.scan(0, data, 4, 6, (id, end) -> ends.add(end));
                assertEquals(List.of(1, 4), ends, "the a's at 4 and 7 of 'abcaxx', not the one at 10");
            }
            assertThrows(IndexOutOfBoundsException.class, () -> scanner.scan(0, heap, 6, 6, (id, end) -> { }));
        }
    }

    /** A sink's exception reaches the caller as it is, and the scanner scans on afterwards. */
    @Test
    void shouldLetASinkFailureThroughAndScanOn()
    {
        final MemorySegment text = MemorySegment.ofArray("aaa".getBytes(StandardCharsets.US_ASCII));
        final IllegalArgumentException failure = new IllegalArgumentException("sink");
        try (Prefilter prefilter = Prefilters.compile(List.of(A), PrefilterEngine.HYPERSCAN, true);
            PrefilterScanner scanner = prefilter.newScanner())
        {
            assertSame(failure, assertThrows(IllegalArgumentException.class,
                () -> scanner.scan(0, text, 0, 3, (id, end) ->
                {
                    throw failure;
                })));
            final List<Integer> ends = new ArrayList<>();
            assertEquals(1, scanner.scan(0, text, 0, 3, (id, end) -> ends.add(end)));
            assertEquals(List.of(1), ends, "single-match mode: the first a only");
        }
    }
}
