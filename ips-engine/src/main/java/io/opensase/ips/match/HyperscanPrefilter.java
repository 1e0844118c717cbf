package io.opensase.ips.match;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The Hyperscan {@link Prefilter}: one block-mode database per group, compiled by {@code hs_compile_multi}
 * from the literals written as {@code \xHH} escapes ({@code HS_FLAG_CASELESS} for nocase ones,
 * {@code HS_FLAG_SINGLEMATCH} in single-match mode), and one scratch prototype sized for all of them.
 * Immutable once compiled; each scanner clones the prototype ({@code hs_clone_scratch}).
 * <p>
 * With the {@link HyperscanShim} (the system's library where the shim was built), a scan is one critical
 * downcall that reads heap or native bytes in place; a match handler in C writes the matches into the scanner's
 * native buffer, and the sink is called for each once the scan is over. The buffer holds every literal of the
 * largest group, which single-match mode never exceeds; in every-match mode a scan that fills it is run again
 * with twice the room. Without the shim a scan hands Hyperscan the address of the bytes when they are in native
 * memory, and otherwise first copies them into the scanner's native staging buffer; matches come back through an
 * FFM upcall bound to the scanner, with primitive arguments only (the context pointer travels as a
 * {@code long}), which calls the sink. Either way nothing is allocated per scan or per match.
 */
@SuppressWarnings("restricted")
final class HyperscanPrefilter implements Prefilter
{
    private static final int INITIAL_STAGING = 64 * 1024;
    /** Matches the shim's buffer first holds in every-match mode. */
    private static final int EVERY_MATCH_ROOM = 4096;
    private static final MethodHandle ON_MATCH;

    static
    {
        try
        {
            ON_MATCH = MethodHandles.lookup().findVirtual(Scanner.class, "onMatch",
                MethodType.methodType(int.class, int.class, long.class, long.class, int.class, long.class));
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final HyperscanLibrary library;
    private final MemorySegment[] databases;
    private final int[] literalCounts;
    private final MemorySegment prototype;
    private final int idLimit;
    private final boolean singleMatch;
    private final long databaseBytes;
    private boolean closed;

    private HyperscanPrefilter(
        final HyperscanLibrary library,
        final MemorySegment[] databases,
        final int[] literalCounts,
        final MemorySegment prototype,
        final int idLimit,
        final boolean singleMatch,
        final long databaseBytes)
    {
        this.library = library;
        this.databases = databases;
        this.literalCounts = literalCounts;
        this.prototype = prototype;
        this.idLimit = idLimit;
        this.singleMatch = singleMatch;
        this.databaseBytes = databaseBytes;
    }

    static HyperscanPrefilter compile(
        final HyperscanLibrary library,
        final List<List<Literal>> groups,
        final boolean singleMatch)
    {
        final MemorySegment[] databases = new MemorySegment[groups.size()];
        final int[] counts = new int[groups.size()];
        int idLimit = 0;
        long bytes = 0;
        MemorySegment scratch = MemorySegment.NULL;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment holder = arena.allocate(ValueLayout.ADDRESS);
            final MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            for (int g = 0; g < groups.size(); g++)
            {
                final List<Literal> literals = groups.get(g);
                counts[g] = literals.size();
                for (final Literal literal : literals)
                {
                    idLimit = Math.max(idLimit, literal.id() + 1);
                }
                if (literals.isEmpty())
                {
                    continue;
                }
                databases[g] = compileGroup(library, literals, singleMatch);
                check((int)library.databaseSize.invokeExact(databases[g], size), "hs_database_size");
                bytes += size.get(ValueLayout.JAVA_LONG, 0);
                holder.set(ValueLayout.ADDRESS, 0, scratch);
                check((int)library.allocScratch.invokeExact(databases[g], holder), "hs_alloc_scratch");
                scratch = holder.get(ValueLayout.ADDRESS, 0);
            }
        }
        catch (final RuntimeException ex)
        {
            free(library, databases, scratch);
            throw ex;
        }
        catch (final Throwable t)
        {
            free(library, databases, scratch);
            throw new IllegalStateException(t);
        }
        return new HyperscanPrefilter(library, databases, counts, scratch, idLimit, singleMatch, bytes);
    }

    private static MemorySegment compileGroup(
        final HyperscanLibrary library,
        final List<Literal> literals,
        final boolean singleMatch) throws Throwable
    {
        try (Arena arena = Arena.ofConfined())
        {
            final int n = literals.size();
            final MemorySegment expressions = arena.allocate(ValueLayout.ADDRESS, n);
            final MemorySegment flags = arena.allocate(ValueLayout.JAVA_INT, n);
            final MemorySegment ids = arena.allocate(ValueLayout.JAVA_INT, n);
            for (int i = 0; i < n; i++)
            {
                final Literal literal = literals.get(i);
                expressions.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(escape(literal)));
                flags.setAtIndex(ValueLayout.JAVA_INT, i, (literal.nocase() ? HyperscanLibrary.HS_FLAG_CASELESS : 0)
                    | (singleMatch ? HyperscanLibrary.HS_FLAG_SINGLEMATCH : 0));
                ids.setAtIndex(ValueLayout.JAVA_INT, i, literal.id());
            }
            final MemorySegment db = arena.allocate(ValueLayout.ADDRESS);
            final MemorySegment error = arena.allocate(ValueLayout.ADDRESS);
            final int rc = (int)library.compileMulti.invokeExact(expressions, flags, ids, n,
                HyperscanLibrary.HS_MODE_BLOCK, MemorySegment.NULL, db, error);
            if (HyperscanLibrary.HS_SUCCESS != rc)
            {
                final MemorySegment e = error.get(ValueLayout.ADDRESS, 0).reinterpret(16);
                final String message = e.get(ValueLayout.ADDRESS, 0).reinterpret(4096).getString(0);
                final int expression = e.get(ValueLayout.JAVA_INT, 8);
                final int ignored = (int)library.freeCompileError.invokeExact(e);
                throw new IllegalStateException("hs_compile_multi refused "
                    + (expression >= 0 && expression < n ? "literal " + literals.get(expression) : "the set")
                    + ": " + message);
            }
            return db.get(ValueLayout.ADDRESS, 0);
        }
    }

    /** The literal as a Hyperscan expression: every byte as {@code \xHH}, so nothing in it is syntax. */
    static String escape(final Literal literal)
    {
        final byte[] bytes = literal.bytes();
        final StringBuilder sb = new StringBuilder(bytes.length * 4);
        for (final byte b : bytes)
        {
            sb.append(String.format(Locale.ROOT, "\\x%02x", b & 0xFF));
        }
        return sb.toString();
    }

    private static void check(final int rc, final String call)
    {
        if (HyperscanLibrary.HS_SUCCESS != rc)
        {
            throw new IllegalStateException(call + " returned " + rc);
        }
    }

    private static void free(
        final HyperscanLibrary library,
        final MemorySegment[] databases,
        final MemorySegment scratch)
    {
        try
        {
            for (final MemorySegment db : databases)
            {
                if (null != db)
                {
                    final int ignored = (int)library.freeDatabase.invokeExact(db);
                }
            }
            if (!MemorySegment.NULL.equals(scratch))
            {
                final int ignored = (int)library.freeScratch.invokeExact(scratch);
            }
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public PrefilterEngine engine()
    {
        return PrefilterEngine.HYPERSCAN;
    }

    @Override
    public String description()
    {
        int literals = 0;
        int used = 0;
        for (int g = 0; g < databases.length; g++)
        {
            literals += literalCounts[g];
            used += null == databases[g] ? 0 : 1;
        }
        return String.format(Locale.ROOT, "hyperscan %s (%s), %d literals in %d block-mode databases, %.1f MB, %s",
            library.version(), library.name(), literals, used, databaseBytes / 1e6, library.matchPath());
    }

    /** The library the databases were compiled by. */
    HyperscanLibrary library()
    {
        return library;
    }

    @Override
    public int groupCount()
    {
        return databases.length;
    }

    @Override
    public int literalCount(final int group)
    {
        return literalCounts[group];
    }

    @Override
    public int idLimit()
    {
        return idLimit;
    }

    @Override
    public boolean singleMatch()
    {
        return singleMatch;
    }

    @Override
    public PrefilterScanner newScanner()
    {
        if (closed)
        {
            throw new IllegalStateException("prefilter closed");
        }
        return new Scanner();
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            free(library, databases, prototype);
        }
    }

    /** One thread's scratch space and match buffer (with the shim), or staging buffer and match upcall. */
    final class Scanner implements PrefilterScanner
    {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment scratch;
        private final MemorySegment upcall;
        private MemorySegment staging;
        /** The shim's match buffer: {@link HyperscanShim#HEADER_INTS} ints, then (id, end) pairs. */
        private MemorySegment matches;
        private MatchSink sink;
        private int found;
        private Throwable failure;
        private long scans;
        private boolean closed;

        private Scanner()
        {
            final MemorySegment holder = arena.allocate(ValueLayout.ADDRESS);
            try
            {
                holder.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
                if (!MemorySegment.NULL.equals(prototype))
                {
                    check((int)library.cloneScratch.invokeExact(prototype, holder), "hs_clone_scratch");
                }
            }
            catch (final RuntimeException ex)
            {
                arena.close();
                throw ex;
            }
            catch (final Throwable t)
            {
                arena.close();
                throw new IllegalStateException(t);
            }
            scratch = holder.get(ValueLayout.ADDRESS, 0);
            if (null != library.shim)
            {
                upcall = MemorySegment.NULL;
                staging = MemorySegment.NULL;
                int largest = 0;
                for (final int count : literalCounts)
                {
                    largest = Math.max(largest, count);
                }
                matches = matchBuffer(Math.max(largest, singleMatch ? 1 : EVERY_MATCH_ROOM));
            }
            else
            {
                upcall = HyperscanLibrary.linker().upcallStub(ON_MATCH.bindTo(this), HyperscanLibrary.MATCH_HANDLER,
                    arena);
                staging = arena.allocate(INITIAL_STAGING, 64);
            }
        }

        private MemorySegment matchBuffer(final int capacity)
        {
            final MemorySegment buffer = arena.allocate(ValueLayout.JAVA_INT,
                HyperscanShim.HEADER_INTS + 2L * capacity);
            buffer.setAtIndex(ValueLayout.JAVA_INT, 0, capacity);
            return buffer;
        }

        @Override
        public int scan(final int group, final MemorySegment data, final long offset, final int length,
            final MatchSink sink)
        {
            final MemorySegment database = databases[group];
            if (null == database || length <= 0)
            {
                return 0;
            }
            Objects.checkFromIndexSize(offset, length, data.byteSize());
            scans++;
            return null != library.shim ? scanThroughShim(database, data, offset, length, sink)
                : scanThroughUpcalls(database, data, offset, length, sink);
        }

        private int scanThroughShim(final MemorySegment database, final MemorySegment data, final long offset,
            final int length, final MatchSink sink)
        {
            int rc;
            try
            {
                rc = (int)library.shim.scan.invokeExact(database, data, offset, length, scratch, matches);
                while (HyperscanLibrary.HS_SCAN_TERMINATED == rc)
                {
                    // Every-match mode filled the buffer: the matches are not all there, so scan again with room.
                    matches = matchBuffer(2 * matches.getAtIndex(ValueLayout.JAVA_INT, 0));
                    rc = (int)library.shim.scan.invokeExact(database, data, offset, length, scratch, matches);
                }
            }
            catch (final Throwable t)
            {
                throw new IllegalStateException("hs_scan failed", t);
            }
            if (HyperscanLibrary.HS_SUCCESS != rc)
            {
                throw new IllegalStateException("hs_scan returned " + rc);
            }
            final int count = matches.getAtIndex(ValueLayout.JAVA_INT, 1);
            for (int i = HyperscanShim.HEADER_INTS, end = i + 2 * count; i < end; i += 2)
            {
                sink.onMatch(matches.getAtIndex(ValueLayout.JAVA_INT, i),
                    matches.getAtIndex(ValueLayout.JAVA_INT, i + 1));
            }
            return count;
        }

        private int scanThroughUpcalls(final MemorySegment database, final MemorySegment data, final long offset,
            final int length, final MatchSink sink)
        {
            final long address;
            if (data.isNative())
            {
                address = data.address() + offset;
            }
            else
            {
                if (staging.byteSize() < length)
                {
                    staging = arena.allocate(Math.max(length, 2 * staging.byteSize()), 64);
                }
                MemorySegment.copy(data, offset, staging, 0, length);
                address = staging.address();
            }
            this.sink = sink;
            found = 0;
            final int rc;
            try
            {
                rc = (int)library.scan.invokeExact(database, address, length, 0, scratch, upcall, 0L);
            }
            catch (final Throwable t)
            {
                throw new IllegalStateException("hs_scan failed", t);
            }
            finally
            {
                this.sink = null;
                // Hyperscan read the memory through its bare address: an automatic arena must not free it before.
                Reference.reachabilityFence(data);
            }
            if (null != failure)
            {
                final Throwable t = failure;
                failure = null;
                throw new IllegalStateException("match sink failed during hs_scan", t);
            }
            if (HyperscanLibrary.HS_SUCCESS != rc)
            {
                throw new IllegalStateException("hs_scan returned " + rc);
            }
            return found;
        }

        /** The upcall: primitives in, primitive out; never lets an exception reach native code. */
        private int onMatch(final int id, final long from, final long to, final int flags, final long context)
        {
            try
            {
                sink.onMatch(id, (int)to);
                found++;
                return 0;
            }
            catch (final Throwable t)
            {
                failure = t;
                return 1;
            }
        }

        @Override
        public long scans()
        {
            return scans;
        }

        @Override
        public void close()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            try
            {
                if (!MemorySegment.NULL.equals(scratch))
                {
                    check((int)library.freeScratch.invokeExact(scratch), "hs_free_scratch");
                }
            }
            catch (final RuntimeException ex)
            {
                throw ex;
            }
            catch (final Throwable t)
            {
                throw new IllegalStateException(t);
            }
            finally
            {
                arena.close();
            }
        }
    }
}
