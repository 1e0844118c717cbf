package io.opensase.dpdk;

import io.opensase.dpdk.internal.Layouts;
import io.opensase.dpdk.internal.NativeLibraries;
import io.opensase.dpdk.internal.opensase_dpdk_h;
import io.opensase.dpdk.internal.rte_mbuf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether DPDK and the shim are usable in this process, checked once (libraries, versions, struct layouts);
 * immutable afterwards, so any thread may ask.
 */
public final class Dpdk
{
    private static final int LOG_EXCERPT_BYTES = 4096;
    private static final int LOG_EXCERPT_LINES = 6;

    private Dpdk()
    {
    }

    /** Whether {@link #ensureAvailability()} would pass. */
    public static boolean isAvailable()
    {
        return null == Availability.FAILURE;
    }

    /**
     * Fails fast, the way Netty's {@code Epoll.ensureAvailability} does, when the DPDK libraries or the shim
     * cannot be loaded, when the shim was compiled against another DPDK release than the one loaded, or when the
     * struct layouts the shim was compiled with differ from the Java ones.
     *
     * @throws IllegalStateException saying what is missing and what to do; its cause carries each failed attempt
     *                               as a suppressed exception.
     */
    public static void ensureAvailability()
    {
        if (null != Availability.FAILURE)
        {
            throw new IllegalStateException(Availability.FAILURE.getMessage(), Availability.FAILURE);
        }
    }

    /** The loaded DPDK's {@code rte_version()}, e.g. "DPDK 22.11.11". */
    public static String version()
    {
        ensureAvailability();
        return opensase_dpdk_h.rte_version().getString(0);
    }

    /** The DPDK release the shim was compiled against, as "year.month.minor". */
    public static String shimCompiledVersion()
    {
        ensureAvailability();
        return opensase_dpdk_h.opensase_compiled_version().getString(0);
    }

    /** Where the shim was loaded from. */
    public static String shimLocation()
    {
        ensureAvailability();
        return NativeLibraries.shimLocation();
    }

    static String strerror(final int errno)
    {
        return opensase_dpdk_h.rte_strerror(errno).getString(0);
    }

    /** Position in DPDK's log, to quote what it says from here on if a call fails. */
    static long logPosition()
    {
        return opensase_dpdk_h.opensase_log_position();
    }

    /** The last lines DPDK logged since {@code position}, joined with " | "; empty if none. */
    static String logSince(final long position)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(LOG_EXCERPT_BYTES);
            opensase_dpdk_h.opensase_log_read(position, buffer, LOG_EXCERPT_BYTES);
            final List<String> lines = Arrays.stream(buffer.getString(0).split("\n"))
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_EXCERPT_LINES), lines.size()));
        }
    }

    /** The exception for a failed control call, quoting DPDK's log since {@code logPosition}. */
    static DpdkException failure(final String operation, final int errno, final long logPosition, final String fix)
    {
        return new DpdkException(operation, errno, strerror(errno), logSince(logPosition), fix);
    }

    private static final class Availability
    {
        static final IllegalStateException FAILURE = check();

        private static IllegalStateException check()
        {
            if (null != NativeLibraries.failure())
            {
                return NativeLibraries.failure();
            }
            try
            {
                return compare();
            }
            catch (final UnsatisfiedLinkError ex)
            {
                return new IllegalStateException("the DPDK shim at " + NativeLibraries.shimLocation() + " lacks a " +
                    "function these bindings call, so it is older than them: rebuild it (mvn -pl dpdk-bindings " +
                    "compile)", ex);
            }
        }

        private static IllegalStateException compare()
        {
            final List<String> problems = new ArrayList<>();
            final String loaded = opensase_dpdk_h.rte_version().getString(0);
            final String compiled = opensase_dpdk_h.opensase_compiled_version().getString(0);
            final String checked = opensase_dpdk_h.CHECKED_AGAINST;
            if (!release(loaded).equals(release(compiled)) || !release(compiled).equals(release(checked)))
            {
                problems.add("the loaded DPDK is " + loaded + ", the shim was compiled against " + compiled +
                    " and the Java bindings were checked against " + checked + ": all three must be the same " +
                    "release (year.month); rebuild the shim (mvn -pl dpdk-bindings compile) and run LayoutTest");
            }
            final List<String> mismatches = Layouts.mismatches(Layouts.shim(), true);
            if (!mismatches.isEmpty())
            {
                problems.add("the shim was compiled with struct layouts that differ from the Java ones in " +
                    "io.opensase.dpdk.internal (" + String.join("; ", mismatches) + "): update those classes " +
                    "for this DPDK build and run LayoutTest");
            }
            final long dynfieldEnd = rte_mbuf.dynfield1$offset + rte_mbuf.dynfield1$size;
            if (Mbuf.TIMESTAMP_NS < rte_mbuf.dynfield1$offset || Mbuf.WIRE_LEN + Integer.BYTES > dynfieldEnd)
            {
                problems.add("Mbuf.TIMESTAMP_NS and Mbuf.WIRE_LEN must lie inside rte_mbuf.dynfield1 [" +
                    rte_mbuf.dynfield1$offset + ", " + dynfieldEnd + ")");
            }
            return problems.isEmpty() ? null : new IllegalStateException("DPDK bindings do not match: " +
                String.join("; ", problems));
        }

        private static String release(final String version)
        {
            final String[] parts = version.replaceAll("^[^0-9]*", "").split("\\.");
            return parts.length < 2 ? version : parts[0] + "." + parts[1];
        }
    }
}
