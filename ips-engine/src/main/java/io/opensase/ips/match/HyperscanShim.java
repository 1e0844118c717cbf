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
import java.util.List;

/**
 * {@code libopensase_hs.so} ({@code src/main/c/opensase_hs_shim.c}): {@code hs_scan} with a match handler in C
 * that writes each match into a buffer. Bound as a critical function, a scan is one downcall with no thread-state
 * transition, over heap arrays in place, and no FFM upcall per match (BENCHMARKS.md section 29: a scan through FFM
 * then costs 1.05-1.09 times the C API's, against 1.13-1.16 with upcalls).
 * <p>
 * Looked for once per process: at the path in system property {@value #PATH_PROPERTY} when it is set (and only
 * there; {@code none} turns the shim off), else at {@code target/native/} next to the classes directory or the jar
 * this class came from. Never under the working directory: a library planted in a folder above it would run inside
 * the engine (found by a tester). The shim links the system's {@code libhs.so.5}, so it serves only
 * {@link HyperscanLibrary#system()}'s databases.
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

    /** The shim, or null when there is none to load ({@link #whyMissing()} says why). */
    static HyperscanShim find()
    {
        synchronized (LOCK)
        {
            if (null == found && null == missing)
            {
                final String property = System.getProperty(PATH_PROPERTY);
                final List<String> tried = new ArrayList<>();
                if ("none".equals(property))
                {
                    missing = "turned off by -D" + PATH_PROPERTY + "=none";
                }
                else if (null != property && !property.isBlank())
                {
                    found = load(Path.of(property).toAbsolutePath(), tried);
                    missing = null != found ? null
                        : "-D" + PATH_PROPERTY + " names no shim that loads: " + String.join("; ", tried);
                }
                else
                {
                    final Path beside = besideTheClasses(tried);
                    found = null == beside ? null : load(beside, tried);
                    missing = null != found ? null : "no " + FILE_NAME + " (" + String.join("; ", tried) + ")";
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

    /** {@code target/native/} next to where this class was loaded from, or null when that cannot be told. */
    private static Path besideTheClasses(final List<String> tried)
    {
        try
        {
            final Path code = Path.of(HyperscanShim.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (null != code.getParent())
            {
                return code.getParent().resolve("native").resolve(FILE_NAME);
            }
            tried.add("the classes were loaded from " + code);
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            tried.add("cannot tell where the classes were loaded from: " + ex);
        }
        return null;
    }
}
