package io.opensase.ips.match;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The Hyperscan C API (libhs, Debian's libhyperscan5: 5.4) through FFM: the handful of functions the
 * prefilter calls, bound once per loaded library. Immutable and shared.
 * <p>
 * Loading runs {@code dlopen} on the name and checks {@code hs_valid_platform()} (Hyperscan needs SSSE3); a
 * failure throws {@link Unavailable} with the reason. {@link #system()} tries {@value #SONAME}, then
 * {@code libhs.so}, once per process, and keeps the outcome.
 */
@SuppressWarnings("restricted")
public final class HyperscanLibrary
{
    /** The run-time library of Debian's libhyperscan5. */
    public static final String SONAME = "libhs.so.5";

    static final int HS_SUCCESS = 0;
    static final int HS_SCAN_TERMINATED = -3;
    static final int HS_FLAG_CASELESS = 1;
    static final int HS_FLAG_SINGLEMATCH = 8;
    static final int HS_MODE_BLOCK = 1;

    /** {@code int (*match_event_handler)(unsigned id, unsigned long long from, unsigned long long to,
     * unsigned flags, void *context)}, with the context passed as a plain 64-bit value. */
    static final FunctionDescriptor MATCH_HANDLER = FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
        ValueLayout.JAVA_LONG);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Object LOCK = new Object();
    private static HyperscanLibrary system;
    private static Unavailable systemFailure;

    final String name;
    final String version;
    final MethodHandle compileMulti;
    final MethodHandle freeCompileError;
    final MethodHandle allocScratch;
    final MethodHandle cloneScratch;
    final MethodHandle freeScratch;
    final MethodHandle freeDatabase;
    final MethodHandle databaseSize;
    final MethodHandle scratchSize;
    /**
     * {@code hs_scan(db, data, length, flags, scratch, handler, context)}: not a critical call, it calls back.
     * The data pointer goes in as its address in a {@code long} (C passes a pointer and a 64-bit integer the
     * same way on the 64-bit platforms FFM runs on), so that part of a segment is scanned without a slice.
     */
    final MethodHandle scan;
    /** {@link #system()}'s shim, which scans without upcalls; null for a library loaded by name or without one. */
    final HyperscanShim shim;
    private final String matchPath;

    /** Hyperscan could not be loaded or cannot run here. */
    public static final class Unavailable extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        Unavailable(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    private HyperscanLibrary(final String name, final SymbolLookup lookup, final boolean withShim)
    {
        this.name = name;
        this.shim = withShim ? HyperscanShim.find() : null;
        if (null != shim)
        {
            matchPath = "matches collected in C by " + shim.location;
        }
        else
        {
            matchPath = "matches through FFM upcalls" + (withShim ? ": " + HyperscanShim.whyMissing() : "");
        }
        final MethodHandle versionHandle = handle(lookup, "hs_version", FunctionDescriptor.of(ValueLayout.ADDRESS));
        final MethodHandle valid = handle(lookup, "hs_valid_platform", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        compileMulti = handle(lookup, "hs_compile_multi", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        freeCompileError = handle(lookup, "hs_free_compile_error",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        allocScratch = handle(lookup, "hs_alloc_scratch",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        cloneScratch = handle(lookup, "hs_clone_scratch",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        freeScratch = handle(lookup, "hs_free_scratch",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        freeDatabase = handle(lookup, "hs_free_database",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        databaseSize = handle(lookup, "hs_database_size",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        scratchSize = handle(lookup, "hs_scratch_size",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        scan = handle(lookup, "hs_scan", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG));
        try
        {
            final int rc = (int)valid.invokeExact();
            if (HS_SUCCESS != rc)
            {
                throw new Unavailable(name + ": hs_valid_platform() returned " + rc
                    + ": this CPU lacks what Hyperscan needs (SSSE3)", null);
            }
            final MemorySegment text = (MemorySegment)versionHandle.invokeExact();
            version = text.reinterpret(256).getString(0);
        }
        catch (final Unavailable ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new Unavailable(name + ": " + t, t);
        }
    }

    /**
     * Loads the library {@code name} (a file name searched as {@code dlopen} searches, or a path), without the
     * shim: its scans take their matches through FFM upcalls.
     *
     * @throws Unavailable when it cannot be loaded, lacks a function, or cannot run on this CPU.
     */
    public static HyperscanLibrary load(final String name)
    {
        return load(name, false);
    }

    private static HyperscanLibrary load(final String name, final boolean withShim)
    {
        final SymbolLookup lookup;
        try
        {
            lookup = SymbolLookup.libraryLookup(name, Arena.global());
        }
        catch (final IllegalArgumentException | IllegalCallerException ex)
        {
            throw new Unavailable("cannot load " + name + ": " + ex.getMessage(), ex);
        }
        return new HyperscanLibrary(name, lookup, withShim);
    }

    /**
     * The system's Hyperscan: {@value #SONAME}, else {@code libhs.so}, with the shim where {@link HyperscanShim}
     * finds it. Tried once per process.
     *
     * @throws Unavailable with both reasons when neither loads.
     */
    public static HyperscanLibrary system()
    {
        synchronized (LOCK)
        {
            if (null == system && null == systemFailure)
            {
                try
                {
                    system = load(SONAME, true);
                }
                catch (final Unavailable first)
                {
                    try
                    {
                        system = load("libhs.so", true);
                    }
                    catch (final Unavailable second)
                    {
                        first.addSuppressed(second);
                        systemFailure = first;
                    }
                }
            }
            if (null != systemFailure)
            {
                throw systemFailure;
            }
            return system;
        }
    }

    static Linker linker()
    {
        return LINKER;
    }

    /** The file name it was loaded by. */
    public String name()
    {
        return name;
    }

    /** How scans report their matches: through the shim (and where it is), or through FFM upcalls and why. */
    public String matchPath()
    {
        return matchPath;
    }

    /** What {@code hs_version()} returns, e.g. {@code 5.4.0 2021-...}. */
    public String version()
    {
        return version;
    }

    private static MethodHandle handle(final SymbolLookup lookup, final String function, final FunctionDescriptor d)
    {
        final MemorySegment symbol = lookup.find(function)
            .orElseThrow(() -> new Unavailable("the library has no " + function, null));
        return LINKER.downcallHandle(symbol, d);
    }
}
