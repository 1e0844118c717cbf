package io.opensase.ips.match;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /** {@code -Dopensase.hs.shim=none} turns the shim off: the upcalls say so. */
    @Test
    void shouldTurnTheShimOffWhenAskedTo() throws Exception
    {
        assertEquals("matches through FFM upcalls: turned off by -Dopensase.hs.shim=none",
            probe(Path.of("."), System.getProperty("java.class.path"), "-Dopensase.hs.shim=none"));
    }

    /**
     * Found by a tester: a shim named by the property that does not load was silently replaced by the build's; now
     * the path named is the only one tried, and the start-up line says why it did not load.
     */
    @Test
    void shouldTryOnlyTheShimNamed(@TempDir final Path temp) throws Exception
    {
        final Path notALibrary = Files.writeString(temp.resolve(HyperscanShim.FILE_NAME), "not an ELF file\n");
        final String path = probe(Path.of("."), System.getProperty("java.class.path"),
            "-Dopensase.hs.shim=" + notALibrary);
        assertTrue(path.startsWith("matches through FFM upcalls: -Dopensase.hs.shim names no shim that loads: "
            + "cannot load " + notALibrary), path);
    }

    /**
     * Found by a tester: without the property and without a shim beside the classes, one planted in
     * {@code ips-engine/target/native/} under a folder above the working directory was loaded, and its code ran
     * inside the engine. The classes here are a copy with no shim beside them; the working directory is below a
     * folder holding a planted file: nothing is loaded.
     */
    @Test
    void shouldNeverLoadAShimFromAboveTheWorkingDirectory(@TempDir final Path temp) throws Exception
    {
        final Path planted = temp.resolve("ips-engine/target/native/" + HyperscanShim.FILE_NAME);
        Files.createDirectories(planted.getParent());
        Files.copy(Path.of("target/native/" + HyperscanShim.FILE_NAME), planted);
        final Path workingDirectory = Files.createDirectories(temp.resolve("below/here"));
        final Path classes = temp.resolve("copy/classes");
        Files.createDirectories(classes.getParent());
        try (Stream<Path> files = Files.walk(Path.of("target/classes")))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, classes.resolve(Path.of("target/classes").relativize(file).toString()));
            }
        }
        final String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(entry -> Path.of(entry).toAbsolutePath().normalize().equals(Path.of("target/classes")
                .toAbsolutePath().normalize()) ? classes.toString() : Path.of(entry).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
        final String path = probe(workingDirectory, classPath);
        assertEquals("matches through FFM upcalls: no " + HyperscanShim.FILE_NAME + " (not at "
            + temp.resolve("copy/native/" + HyperscanShim.FILE_NAME) + ")", path);
    }

    /** What {@link HyperscanShimProbe} prints in a child JVM with these options (the JVM's warnings left out). */
    private static String probe(final Path workingDirectory, final String classPath, final String... options)
        throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true", "-cp", classPath));
        command.addAll(List.of(options));
        command.add(HyperscanShimProbe.class.getName());
        final Process child = new ProcessBuilder(command).directory(workingDirectory.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, child.waitFor(), out);
        return out;
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
