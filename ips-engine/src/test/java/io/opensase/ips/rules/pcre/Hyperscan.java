package io.opensase.ips.rules.pcre;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

/**
 * Test helper: one expression compiled by the system's Hyperscan (Debian's libhyperscan5, a test dependency
 * installed by {@code bin/install-test-deps}) in block mode, answering only whether a subject matches.
 * Used to check the translator's claim of which expressions Hyperscan runs exactly.
 */
@SuppressWarnings("restricted")
final class Hyperscan implements AutoCloseable
{
    static final int CASELESS = 1;
    static final int DOTALL = 2;
    static final int MULTILINE = 4;
    static final int SINGLEMATCH = 8;
    static final int ALLOWEMPTY = 16;
    static final int PREFILTER = 128;
    private static final int MODE_BLOCK = 1;
    private static final int SCAN_TERMINATED = -3;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup("libhs.so.5", Arena.global());
    private static final MethodHandle COMPILE = handle("hs_compile", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
        ValueLayout.ADDRESS));
    private static final MethodHandle FREE_COMPILE_ERROR = handle("hs_free_compile_error",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle ALLOC_SCRATCH = handle("hs_alloc_scratch",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle SCAN = handle("hs_scan", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
        ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle FREE_DATABASE = handle("hs_free_database",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle FREE_SCRATCH = handle("hs_free_scratch",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MemorySegment ON_MATCH;

    static
    {
        try
        {
            final MethodHandle target = MethodHandles.lookup().findStatic(Hyperscan.class, "onMatch",
                MethodType.methodType(int.class, int.class, long.class, long.class, int.class, MemorySegment.class));
            final FunctionDescriptor handler = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
            ON_MATCH = LINKER.upcallStub(target, handler, Arena.global());
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final MemorySegment database;
    private final MemorySegment scratch;

    private static MethodHandle handle(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LIB.find(name).orElseThrow(), descriptor);
    }

    private static int onMatch(final int id, final long from, final long to, final int flags, final MemorySegment c)
    {
        return 1;
    }

    private Hyperscan(final MemorySegment database, final MemorySegment scratch)
    {
        this.database = database;
        this.scratch = scratch;
    }

    /** Thrown when Hyperscan refuses an expression. */
    static final class CompileError extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        CompileError(final String message)
        {
            super(message);
        }
    }

    /** @param expression ISO-8859-1 chars, one per byte (NUL-terminated for Hyperscan here). */
    static Hyperscan compile(final String expression, final int flags)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final byte[] bytes = expression.getBytes(StandardCharsets.ISO_8859_1);
            final MemorySegment text = arena.allocate(bytes.length + 1L);
            MemorySegment.copy(bytes, 0, text, ValueLayout.JAVA_BYTE, 0, bytes.length);
            final MemorySegment db = arena.allocate(ValueLayout.ADDRESS);
            final MemorySegment error = arena.allocate(ValueLayout.ADDRESS);
            final int rc = (int)COMPILE.invokeExact(text, flags, MODE_BLOCK, MemorySegment.NULL, db, error);
            if (rc != 0)
            {
                final MemorySegment e = error.get(ValueLayout.ADDRESS, 0).reinterpret(16);
                final String message = e.get(ValueLayout.ADDRESS, 0).reinterpret(1024).getString(0);
                final int ignored = (int)FREE_COMPILE_ERROR.invokeExact(e);
                throw new CompileError(message);
            }
            final MemorySegment database = db.get(ValueLayout.ADDRESS, 0);
            final MemorySegment scratchHolder = arena.allocate(ValueLayout.ADDRESS);
            scratchHolder.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
            final int src = (int)ALLOC_SCRATCH.invokeExact(database, scratchHolder);
            if (src != 0)
            {
                throw new IllegalStateException("hs_alloc_scratch: " + src);
            }
            return new Hyperscan(database, scratchHolder.get(ValueLayout.ADDRESS, 0));
        }
        catch (final CompileError | IllegalStateException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    boolean matches(final byte[] subject)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment s = arena.allocate(Math.max(1, subject.length));
            MemorySegment.copy(subject, 0, s, ValueLayout.JAVA_BYTE, 0, subject.length);
            final int rc = (int)SCAN.invokeExact(database, s, subject.length, 0, scratch, ON_MATCH, MemorySegment.NULL);
            if (rc != 0 && rc != SCAN_TERMINATED)
            {
                throw new IllegalStateException("hs_scan: " + rc);
            }
            return rc == SCAN_TERMINATED;
        }
        catch (final IllegalStateException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close()
    {
        try
        {
            final int a = (int)FREE_SCRATCH.invokeExact(scratch);
            final int b = (int)FREE_DATABASE.invokeExact(database);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }
}
