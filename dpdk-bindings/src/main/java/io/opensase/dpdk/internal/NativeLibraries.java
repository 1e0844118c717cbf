package io.opensase.dpdk.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads the DPDK libraries and the shim once per class loader; immutable afterwards, so any thread may read it.
 * <p>
 * DPDK is loaded by its versioned names ({@code librte_eal.so.23} ...): the unversioned ones exist only with the
 * development package. The shim is loaded from the path in system property {@value #SHIM_PATH_PROP_NAME} when it
 * is set, and only from there; otherwise from {@code target/native/} next to the classes directory or the jar this
 * class came from, and finally through {@link System#loadLibrary(String)} ({@code java.library.path}). Never from
 * under the working directory: a library planted in a folder above it would run inside the engine (found by a
 * tester in the Hyperscan shim's lookup, which was the same). Every failed step is kept as a suppressed exception of
 * {@link #failure()}.
 */
public final class NativeLibraries
{
    /** System property naming the shim library file. */
    public static final String SHIM_PATH_PROP_NAME = "opensase.dpdk.shim";
    public static final String SHIM_LIBRARY_NAME = "opensase_dpdk";
    public static final String SHIM_FILE_NAME = "lib" + SHIM_LIBRARY_NAME + ".so";
    public static final List<String> DPDK_LIBRARIES = List.of(
        "librte_eal.so.23", "librte_mempool.so.23", "librte_mbuf.so.23", "librte_ring.so.23", "librte_ethdev.so.23");

    static final SymbolLookup LOOKUP;
    private static final String SHIM_LOCATION;
    private static final IllegalStateException FAILURE;

    static
    {
        final List<Throwable> failures = new ArrayList<>();
        SymbolLookup lookup = Linker.nativeLinker().defaultLookup();
        for (final String library : DPDK_LIBRARIES)
        {
            try
            {
                lookup = SymbolLookup.libraryLookup(library, Arena.global()).or(lookup);
            }
            catch (final IllegalArgumentException ex)
            {
                failures.add(new IllegalStateException("cannot load " + library + " (DPDK 22.11 runtime)", ex));
            }
        }

        final List<Throwable> shimFailures = new ArrayList<>();
        final String[] location = new String[1];
        final SymbolLookup shim = loadShim(shimFailures, location);
        if (null == shim)
        {
            final IllegalStateException missing = new IllegalStateException("cannot load the DPDK shim " +
                SHIM_FILE_NAME + ": build it with `mvn -pl dpdk-bindings compile` on a machine where " +
                "`pkg-config --exists libdpdk` succeeds, or set -D" + SHIM_PATH_PROP_NAME + "=/path/to/" +
                SHIM_FILE_NAME);
            shimFailures.forEach(missing::addSuppressed);
            failures.add(missing);
        }
        else
        {
            lookup = shim.or(lookup);
        }

        LOOKUP = lookup;
        SHIM_LOCATION = location[0];
        if (failures.isEmpty())
        {
            FAILURE = null;
        }
        else
        {
            FAILURE = new IllegalStateException("DPDK is not usable from Java: " + summary(failures) +
                ". Install DPDK 22.11 (Debian 12: apt-get install dpdk dpdk-dev libdpdk-dev), rebuild this module, " +
                "and run the JVM with --enable-native-access=ALL-UNNAMED");
            failures.forEach(FAILURE::addSuppressed);
        }
    }

    private NativeLibraries()
    {
    }

    /** Why DPDK or the shim could not be loaded, with every attempt as a suppressed exception; null if loaded. */
    public static IllegalStateException failure()
    {
        return FAILURE;
    }

    /** Where the shim was loaded from, or null when it was not. */
    public static String shimLocation()
    {
        return SHIM_LOCATION;
    }

    static String failureSummary()
    {
        return null == FAILURE ? "the symbol is missing from the loaded libraries" : FAILURE.getMessage();
    }

    private static String summary(final List<Throwable> failures)
    {
        final StringBuilder text = new StringBuilder();
        for (final Throwable failure : failures)
        {
            text.append(text.isEmpty() ? "" : "; ").append(failure.getMessage());
        }
        return text.toString();
    }

    private static SymbolLookup loadShim(final List<Throwable> failures, final String[] location)
    {
        final String named = System.getProperty(SHIM_PATH_PROP_NAME);
        final boolean onlyNamed = null != named && !named.isBlank();
        final Set<Path> candidates = onlyNamed ? Set.of(Path.of(named).toAbsolutePath()) : shimCandidates(failures);
        for (final Path candidate : candidates)
        {
            if (!Files.isRegularFile(candidate))
            {
                failures.add(new IllegalStateException("no " + SHIM_FILE_NAME + " at " + candidate));
                continue;
            }
            try
            {
                final SymbolLookup lookup = SymbolLookup.libraryLookup(candidate, Arena.global());
                location[0] = candidate.toString();
                return lookup;
            }
            catch (final IllegalArgumentException ex)
            {
                failures.add(new IllegalStateException("cannot load " + candidate, ex));
            }
        }
        if (onlyNamed)
        {
            return null;
        }
        try
        {
            System.loadLibrary(SHIM_LIBRARY_NAME);
            location[0] = "System.loadLibrary(\"" + SHIM_LIBRARY_NAME + "\")";
            return SymbolLookup.loaderLookup();
        }
        catch (final UnsatisfiedLinkError | SecurityException ex)
        {
            failures.add(ex);
        }
        return null;
    }

    /** Where the shim is looked for without the property: {@code target/native/} beside the classes or jar. */
    private static Set<Path> shimCandidates(final List<Throwable> failures)
    {
        final Set<Path> candidates = new LinkedHashSet<>();
        try
        {
            final Path code =
                Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path targetDirectory = code.getParent();
            if (null != targetDirectory)
            {
                candidates.add(targetDirectory.resolve("native").resolve(SHIM_FILE_NAME));
            }
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            failures.add(new IllegalStateException("cannot tell where " + NativeLibraries.class.getName() +
                " was loaded from", ex));
        }
        return candidates;
    }
}
