package io.opensase.ips.match;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code libopensase_hs.so} ({@code src/main/c/opensase_hs_shim.c}): {@code hs_scan} with a match handler in C
 * that writes each match into a buffer. Bound as a critical function, a scan is one downcall with no thread-state
 * transition, over heap arrays in place, and no FFM upcall per match (BENCHMARKS.md section 29: a scan through FFM
 * then costs 1.05-1.09 times the C API's, against 1.13-1.16 with upcalls).
 * <p>
 * Looked for once per process, in order: at the path in system property {@value #PATH_PROPERTY}; at
 * {@code target/native/} next to the classes directory or the jar this class came from; at
 * {@code ips-engine/target/native/} under the working directory or any directory above it. The shim links the
 * system's {@code libhs.so.5}, so it serves only {@link HyperscanLibrary#system()}'s databases.
 */
@SuppressWarnings("restricted")
final class HyperscanShim
{
    /** System property naming the shim's file. */
    static final String PATH_PROPERTY = "opensase.hs.shim";
    static final String FILE_NAME = "libopensase_hs.so";

    /** Ints before the (id, end) pairs in a match buffer: its capacity in matches, then the matches written. */
    static final int HEADER_INTS = 2;

    private static final Object LOCK = new Object();
    private static HyperscanShim found;
    private static String missing;

    /**
     * {@code int opensase_hs_scan(db, base, offset, length, scratch, matches)}, critical: the data may be a heap
     * segment, read in place; returns {@code hs_scan}'s result, {@code HS_SCAN_TERMINATED} when the buffer filled.
     */
    final MethodHandle scan;
    /** The file it was loaded from. */
    final String location;

    private HyperscanShim(final MethodHandle scan, final String location)
    {
        this.scan = scan;
        this.location = location;
    }

    /** The shim, or null when none of the places holds one that loads ({@link #whyMissing()} says why). */
    static HyperscanShim find()
    {
        synchronized (LOCK)
        {
            if (null == found && null == missing)
            {
                final List<String> tried = new ArrayList<>();
                for (final Path candidate : candidates(tried))
                {
                    found = load(candidate, tried);
                    if (null != found)
                    {
                        break;
                    }
                }
                if (null == found)
                {
                    missing = "no " + FILE_NAME + " (" + String.join("; ", tried) + ")";
                }
            }
            return found;
        }
    }

    /** Why {@link #find()} found no shim; null when it found one or has not looked. */
    static String whyMissing()
    {
        synchronized (LOCK)
        {
            return missing;
        }
    }

    private static HyperscanShim load(final Path candidate, final List<String> tried)
    {
        if (!Files.isRegularFile(candidate))
        {
            tried.add("not at " + candidate);
            return null;
        }
        try
        {
            final MemorySegment symbol = SymbolLookup.libraryLookup(candidate, Arena.global())
                .find("opensase_hs_scan")
                .orElseThrow(() -> new IllegalArgumentException("it has no opensase_hs_scan"));
            final MethodHandle scan = Linker.nativeLinker().downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                Linker.Option.critical(true));
            return new HyperscanShim(scan, candidate.toString());
        }
        catch (final IllegalArgumentException | IllegalCallerException ex)
        {
            tried.add("cannot load " + candidate + ": " + ex.getMessage());
            return null;
        }
    }

    private static Set<Path> candidates(final List<String> tried)
    {
        final Set<Path> candidates = new LinkedHashSet<>();
        final String property = System.getProperty(PATH_PROPERTY);
        if (null != property && !property.isBlank())
        {
            candidates.add(Path.of(property).toAbsolutePath());
        }
        try
        {
            final Path code = Path.of(HyperscanShim.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (null != code.getParent())
            {
                candidates.add(code.getParent().resolve("native").resolve(FILE_NAME));
            }
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            tried.add("cannot tell where the classes were loaded from: " + ex);
        }
        for (Path directory = Path.of("").toAbsolutePath(); null != directory; directory = directory.getParent())
        {
            candidates.add(directory.resolve("ips-engine/target/native").resolve(FILE_NAME));
        }
        return candidates;
    }
}
