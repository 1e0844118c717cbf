package io.opensase.ips.rules.pcre;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Test oracle: the system's libpcre2-8 (the library Suricata links), called through FFM, so that the
 * translator's Java patterns are checked against PCRE2 itself rather than against expectations written
 * from its documentation. Compiles in 8-bit non-UTF mode with the default newline, as Suricata does.
 * Debian always has the library (grep depends on it); a test using this fails, not skips, without it.
 */
@SuppressWarnings("restricted")
final class Pcre2 implements AutoCloseable
{
    static final int CASELESS = 0x00000008;
    static final int DOLLAR_ENDONLY = 0x00000010;
    static final int DOTALL = 0x00000020;
    static final int EXTENDED = 0x00000080;
    static final int MULTILINE = 0x00000400;
    static final int UNGREEDY = 0x00040000;
    static final int ANCHORED = 0x80000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup("libpcre2-8.so.0", Arena.global());
    private static final MethodHandle COMPILE = handle("pcre2_compile_8", FunctionDescriptor.of(ValueLayout.ADDRESS,
        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
        ValueLayout.ADDRESS));
    private static final MethodHandle MATCH_DATA = handle("pcre2_match_data_create_from_pattern_8",
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle MATCH = handle("pcre2_match_8", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
        ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle OVECTOR = handle("pcre2_get_ovector_pointer_8",
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle ERROR_MESSAGE = handle("pcre2_get_error_message_8",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CODE_FREE = handle("pcre2_code_free_8",
        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    private static final MethodHandle MATCH_DATA_FREE = handle("pcre2_match_data_free_8",
        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private final MemorySegment code;
    private final MemorySegment matchData;

    private static MethodHandle handle(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LIB.find(name).orElseThrow(), descriptor);
    }

    private Pcre2(final MemorySegment code, final MemorySegment matchData)
    {
        this.code = code;
        this.matchData = matchData;
    }

    /** Thrown when PCRE2 refuses to compile a pattern. */
    static final class CompileError extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        CompileError(final String message)
        {
            super(message);
        }
    }

    /** @param pattern ISO-8859-1 chars, one per byte. */
    static Pcre2 compile(final String pattern, final int options)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final byte[] bytes = pattern.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            final MemorySegment p = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, p, ValueLayout.JAVA_BYTE, 0, bytes.length);
            final MemorySegment error = arena.allocate(ValueLayout.JAVA_INT);
            final MemorySegment offset = arena.allocate(ValueLayout.JAVA_LONG);
            final MemorySegment code = (MemorySegment)COMPILE.invokeExact(p, (long)bytes.length, options, error,
                offset, MemorySegment.NULL);
            if (code.equals(MemorySegment.NULL))
            {
                final MemorySegment buffer = arena.allocate(256);
                final int n = (int)ERROR_MESSAGE.invokeExact(error.get(ValueLayout.JAVA_INT, 0), buffer, 256L);
                final String message = n > 0 ? buffer.getString(0) : "error " + error.get(ValueLayout.JAVA_INT, 0);
                throw new CompileError(message + " at offset " + offset.get(ValueLayout.JAVA_LONG, 0));
            }
            final MemorySegment data = (MemorySegment)MATCH_DATA.invokeExact(code, MemorySegment.NULL);
            return new Pcre2(code, data);
        }
        catch (final CompileError ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /**
     * @return {start, end} of the first match, or null when none; {-2, rc} when matching failed with an
     *         error (match limit).
     */
    long[] find(final byte[] subject)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment s = arena.allocate(Math.max(1, subject.length));
            MemorySegment.copy(subject, 0, s, ValueLayout.JAVA_BYTE, 0, subject.length);
            final int rc = (int)MATCH.invokeExact(code, s, (long)subject.length, 0L, 0, matchData,
                MemorySegment.NULL);
            if (rc == -1)
            {
                return null;
            }
            if (rc < 0)
            {
                return new long[] {-2, rc};
            }
            final MemorySegment ovector = ((MemorySegment)OVECTOR.invokeExact(matchData)).reinterpret(16);
            return new long[] {ovector.get(ValueLayout.JAVA_LONG, 0), ovector.get(ValueLayout.JAVA_LONG, 8)};
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
            MATCH_DATA_FREE.invokeExact(matchData);
            CODE_FREE.invokeExact(code);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }
}
