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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.opensase.core.metrics.StatsFile.INT;
import static io.opensase.core.metrics.StatsFile.LONG;
import static io.opensase.core.metrics.StatsFile.SEQUENCE;
import static io.opensase.core.metrics.StatsFile.SEQUENCE_OFFSET;

/**
 * Writes a {@link StatsFile}: lays it out whole under a temporary name in the target's folder, then renames it
 * over the target, so that a reader never finds a half-made header; then updates its values in place. One
 * thread writes (the stats sampler); {@link #publish} is not for concurrent use.
 */
public final class StatsFileWriter implements AutoCloseable
{
    private final Path file;
    private final int count;
    private final Arena arena;
    private final MemorySegment segment;
    private final long valuesOffset;
    private long sequence;

    private StatsFileWriter(final Path file, final int count, final Arena arena, final MemorySegment segment)
    {
        this.file = file;
        this.count = count;
        this.arena = arena;
        this.segment = segment;
        this.valuesOffset = StatsFile.valuesOffset(count);
    }

    /**
     * Makes {@code file} (replacing one already there) holding {@code counters}, all zero, in state starting.
     *
     * @throws IOException              when the file cannot be made; the message names it.
     * @throws IllegalArgumentException when two counters share a name.
     */
    public static StatsFileWriter create(final Path file, final List<StatsCounter> counters, final long intervalMs)
        throws IOException
    {
        final Set<String> names = new HashSet<>();
        for (final StatsCounter counter : counters)
        {
            if (!names.add(counter.name()))
            {
                throw new IllegalArgumentException("stats counter '" + counter.name() + "' named twice");
            }
        }
        final Path target = file.toAbsolutePath();
        final Path temporary = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid()
            + ".tmp");
        final Arena arena = Arena.ofShared();
        try
        {
            final MemorySegment segment;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, StatsFile.size(counters.size()), arena);
            }
            layOut(segment, counters, intervalMs);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new StatsFileWriter(target, counters.size(), arena, segment);
        }
        catch (final IOException ex)
        {
            arena.close();
            Files.deleteIfExists(temporary);
            throw new IOException("cannot write the stats file " + file + ": " + reason(ex), ex);
        }
        catch (final RuntimeException ex)
        {
            arena.close();
            Files.deleteIfExists(temporary);
            throw ex;
        }
    }

    private static void layOut(final MemorySegment segment, final List<StatsCounter> counters, final long intervalMs)
    {
        MemorySegment.copy(StatsFile.MAGIC, 0, segment, ValueLayout.JAVA_BYTE, 0,
            StatsFile.MAGIC.length);
        segment.set(INT, StatsFile.VERSION_OFFSET, StatsFile.VERSION);
        segment.set(INT, StatsFile.COUNT_OFFSET, counters.size());
        segment.set(INT, StatsFile.NAME_BYTES_OFFSET, StatsFile.NAME_RECORD_BYTES);
        segment.set(INT, StatsFile.NAMES_OFFSET_OFFSET, StatsFile.HEADER_BYTES);
        segment.set(INT, StatsFile.VALUES_OFFSET_OFFSET, (int)StatsFile.valuesOffset(counters.size()));
        segment.set(LONG, StatsFile.PID_OFFSET, ProcessHandle.current().pid());
        segment.set(LONG, StatsFile.CREATED_OFFSET, StatsFile.epochNs());
        segment.set(LONG, StatsFile.INTERVAL_OFFSET, intervalMs);
        for (int i = 0; i < counters.size(); i++)
        {
            final long record = StatsFile.HEADER_BYTES + (long)StatsFile.NAME_RECORD_BYTES * i;
            final byte[] name = counters.get(i).name().getBytes(StandardCharsets.US_ASCII);
            segment.set(ValueLayout.JAVA_BYTE, record,
                (byte)(counters.get(i).gauge() ? StatsFile.KIND_GAUGE : StatsFile.KIND_COUNTER));
            segment.set(ValueLayout.JAVA_BYTE, record + 1, (byte)name.length);
            MemorySegment.copy(name, 0, segment, ValueLayout.JAVA_BYTE, record + 2, name.length);
        }
    }

    /** The file, as an absolute path. */
    public Path file()
    {
        return file;
    }

    /**
     * Writes {@code values} (in counter order) and {@code state} as one update, stamped with the time now.
     */
    public void publish(final long[] values, final int state)
    {
        if (values.length != count)
        {
            throw new IllegalArgumentException(values.length + " values for " + count + " counters");
        }
        SEQUENCE.setOpaque(segment, SEQUENCE_OFFSET, ++sequence);
        VarHandle.storeStoreFence();
        segment.set(LONG, StatsFile.UPDATED_OFFSET, StatsFile.epochNs());
        segment.set(LONG, StatsFile.STATE_OFFSET, state);
        for (int i = 0; i < count; i++)
        {
            segment.set(LONG, valuesOffset + 8L * i, values[i]);
        }
        SEQUENCE.setRelease(segment, SEQUENCE_OFFSET, ++sequence);
    }

    /** Unmaps the file; it stays on disk with its last update for readers to find. */
    @Override
    public void close()
    {
        arena.close();
    }

    private static String reason(final IOException ex)
    {
        if (ex instanceof java.nio.file.FileSystemException fileSystem && null != fileSystem.getReason())
        {
            return fileSystem.getReason();
        }
        if (ex instanceof java.nio.file.FileSystemException)
        {
            return ex.getClass().getSimpleName();
        }
        return String.valueOf(ex.getMessage());
    }
}
