package io.opensase.core.metrics;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static io.opensase.core.metrics.StatsFile.INT;
import static io.opensase.core.metrics.StatsFile.LONG;
import static io.opensase.core.metrics.StatsFile.SEQUENCE;
import static io.opensase.core.metrics.StatsFile.SEQUENCE_OFFSET;

/**
 * Reads a {@link StatsFile} another process writes: checks its header and name records once, at
 * {@link #open}, then copies whole updates out of the mapping, reading again when it catches one half-written.
 * One thread at a time.
 */
public final class StatsFileReader implements AutoCloseable
{
    /** How long the sequence may stay odd (an update under way) before the writer is taken to have died in it. */
    static final long STUCK_UPDATE_NS = 1_000_000_000L;
    private static final int SPINS_BEFORE_SLEEP = 100;

    private final Path file;
    private final Object fileKey;
    private final Arena arena;
    private final MemorySegment segment;
    private final List<StatsCounter> counters;
    private final long pid;
    private final long createdNs;
    private final long intervalMs;
    private final long valuesOffset;
    private long tornReads;

    private StatsFileReader(final Path file, final Object fileKey, final Arena arena, final MemorySegment segment,
        final List<StatsCounter> counters, final long valuesOffset)
    {
        this.file = file;
        this.fileKey = fileKey;
        this.arena = arena;
        this.segment = segment;
        this.counters = List.copyOf(counters);
        this.pid = segment.get(LONG, StatsFile.PID_OFFSET);
        this.createdNs = segment.get(LONG, StatsFile.CREATED_OFFSET);
        this.intervalMs = segment.get(LONG, StatsFile.INTERVAL_OFFSET);
        this.valuesOffset = valuesOffset;
    }

    /**
     * Maps {@code file} and checks that it is a stats file of this version, whole.
     *
     * @throws IOException when it cannot be read or is not a stats file this code reads; the message starts
     *                     with the file's name and says what is wrong.
     */
    public static StatsFileReader open(final Path file) throws IOException
    {
        if (Files.isDirectory(file))
        {
            throw new IOException(file + ": is a directory, not a stats file");
        }
        final Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        final Arena arena = Arena.ofShared();
        try
        {
            final MemorySegment segment;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                final long size = channel.size();
                if (size < StatsFile.HEADER_BYTES)
                {
                    throw new IOException(file + ": not an opensase stats file (" + size + " bytes, shorter than the "
                        + StatsFile.HEADER_BYTES + "-byte header)");
                }
                segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            }
            final List<StatsCounter> counters = new ArrayList<>();
            final long valuesOffset = check(file, segment, counters);
            return new StatsFileReader(file, key, arena, segment, counters, valuesOffset);
        }
        catch (final IOException | RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
    }

    /** Checks the header and reads the name records into {@code counters}; returns the values' offset. */
    private static long check(final Path file, final MemorySegment segment, final List<StatsCounter> counters)
        throws IOException
    {
        final byte[] magic = segment.asSlice(0, StatsFile.MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, StatsFile.MAGIC))
        {
            throw new IOException(file + ": not an opensase stats file (it does not start with \"OPENSASESTAT\")");
        }
        final int version = segment.get(INT, StatsFile.VERSION_OFFSET);
        if (StatsFile.VERSION != version)
        {
            throw new IOException(file + ": stats file version " + Integer.toUnsignedString(version) + "; this "
                + "opensase reads version " + StatsFile.VERSION);
        }
        final int count = segment.get(INT, StatsFile.COUNT_OFFSET);
        if (count < 0 || count > StatsFile.MAX_VALUES
            || StatsFile.NAME_RECORD_BYTES != segment.get(INT, StatsFile.NAME_BYTES_OFFSET)
            || StatsFile.HEADER_BYTES != segment.get(INT, StatsFile.NAMES_OFFSET_OFFSET)
            || StatsFile.valuesOffset(count) != segment.get(INT, StatsFile.VALUES_OFFSET_OFFSET))
        {
            throw new IOException(file + ": corrupt stats file header (counts and offsets disagree)");
        }
        if (segment.byteSize() < StatsFile.size(count))
        {
            throw new IOException(file + ": stats file cut short: " + segment.byteSize() + " bytes of "
                + StatsFile.size(count));
        }
        for (int i = 0; i < count; i++)
        {
            final long record = StatsFile.HEADER_BYTES + (long)StatsFile.NAME_RECORD_BYTES * i;
            final int kind = segment.get(ValueLayout.JAVA_BYTE, record);
            final int length = segment.get(ValueLayout.JAVA_BYTE, record + 1);
            final String name = length < 1 || length > StatsCounter.MAX_NAME_LENGTH ? ""
                : new String(segment.asSlice(record + 2, length).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.US_ASCII);
            if ((StatsFile.KIND_COUNTER != kind && StatsFile.KIND_GAUGE != kind) || !name.matches("[a-z0-9_.]+"))
            {
                throw new IOException(file + ": corrupt stats file: name record " + i + " (at byte " + record
                    + ") is not a kind and a name");
            }
            counters.add(new StatsCounter(name, StatsFile.KIND_GAUGE == kind));
        }
        return StatsFile.valuesOffset(count);
    }

    public Path file()
    {
        return file;
    }

    /** The engine process writing the file. */
    public long pid()
    {
        return pid;
    }

    /** How often the engine updates the file, in milliseconds. */
    public long intervalMs()
    {
        return intervalMs;
    }

    public List<StatsCounter> counters()
    {
        return counters;
    }

    /** Updates caught half-written and read again, since {@link #open}. */
    public long tornReads()
    {
        return tornReads;
    }

    /**
     * True when the name now leads to another file than the one mapped (a later run made a new one) or to
     * none.
     */
    public boolean replaced()
    {
        try
        {
            return !Objects.equals(fileKey, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * The latest whole update.
     *
     * @throws IOException when one update has stayed half-written for a second: the writer died in it. A writer
     *                     that keeps finishing updates is alive, however often it beats this reader.
     */
    public StatsSnapshot read() throws IOException
    {
        final long[] values = new long[counters.size()];
        long deadline = System.nanoTime() + STUCK_UPDATE_NS;
        long seen = -1;
        int attempt = 0;
        while (true)
        {
            final long before = (long)SEQUENCE.getAcquire(segment, SEQUENCE_OFFSET);
            if (before != seen)
            {
                seen = before;
                deadline = System.nanoTime() + STUCK_UPDATE_NS;
            }
            if (0 == (before & 1))
            {
                final long updatedNs = segment.get(LONG, StatsFile.UPDATED_OFFSET);
                final long state = segment.get(LONG, StatsFile.STATE_OFFSET);
                for (int i = 0; i < values.length; i++)
                {
                    values[i] = segment.get(LONG, valuesOffset + 8L * i);
                }
                VarHandle.loadLoadFence();
                if (before == (long)SEQUENCE.getOpaque(segment, SEQUENCE_OFFSET))
                {
                    return new StatsSnapshot(pid, createdNs, updatedNs, before, (int)state, counters, values);
                }
            }
            tornReads++;
            if (System.nanoTime() - deadline > 0)
            {
                throw new IOException(file + ": an update has been under way for over a second; the engine (pid "
                    + pid + ") may have died while writing it");
            }
            if (++attempt < SPINS_BEFORE_SLEEP)
            {
                Thread.onSpinWait();
            }
            else
            {
                sleepMs();
            }
        }
    }

    private static void sleepMs() throws IOException
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading the stats file");
        }
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
