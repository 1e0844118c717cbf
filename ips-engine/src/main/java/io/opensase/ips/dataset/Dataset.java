package io.opensase.ips.dataset;

import io.opensase.ips.rules.DatasetMatch;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.io.Writer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One named set of a {@link Datasets} registry: its values in an off-heap Chronicle Map shared by every
 * worker thread. Chronicle Map splits the table into segments, each with its own lock in the map's memory:
 * a lookup takes its segment's read lock, an add or a remove its write lock, so workers block each other
 * only on the same segment and never on the Java heap. Each worker passes its own scratch
 * {@link StringBuilder} for the key, so a lookup allocates nothing on the Java side.
 * <p>
 * The set holds at most {@link #capacity()} values: an add beyond it fails (the {@code set} does not hold,
 * as Suricata's does when its memcap is reached) and is counted in {@link #refusedAdds()}. Workers adding at
 * the same moment may each pass the check, so the set can end up to one value per worker over its capacity;
 * the map is allowed to grow past its configured size ({@code maxBloatFactor} 2) rather than fail then.
 */
public final class Dataset implements AutoCloseable
{
    /** The value every key maps to; a Long, whose size Chronicle knows, so nothing is serialised by reflection. */
    private static final Long PRESENT = 1L;

    private final String name;
    private final DatasetMatch.Type type;
    private final Path load;
    private final Path state;
    private final long capacity;
    private final ChronicleMap<CharSequence, Long> map;
    private final AtomicLong refusedAdds = new AtomicLong();
    /** Values held, kept here because the map's own count visits every segment under its lock. */
    private final AtomicLong size = new AtomicLong();

    Dataset(
        final String name,
        final DatasetMatch.Type type,
        final Path load,
        final Path state,
        final long capacity,
        final ChronicleMap<CharSequence, Long> map)
    {
        this.name = name;
        this.type = type;
        this.load = load;
        this.state = state;
        this.capacity = capacity;
        this.map = map;
    }

    /**
     * Creates the map and fills it from {@code values}.
     *
     * @param memcap 0 for no limit; else the bytes the map may take off-heap.
     */
    static Dataset create(
        final String name,
        final DatasetMatch.Type type,
        final Path load,
        final Path state,
        final long capacity,
        final long memcap,
        final List<byte[]> values) throws DatasetException
    {
        double averageKey = 0;
        for (final byte[] value : values)
        {
            averageKey += value.length;
        }
        averageKey = values.isEmpty() ? 32 : Math.max(1, averageKey / values.size());
        // Bytes 0x80-0xFF take two bytes in Chronicle's UTF-8 key encoding.
        final ChronicleMap<CharSequence, Long> map = ChronicleMap.of(CharSequence.class, Long.class)
            .name("dataset-" + name)
            .entries(capacity)
            .maxBloatFactor(2.0)
            .averageKeySize(averageKey * 1.5)
            .create();
        if (0 != memcap && map.offHeapMemoryUsed() > memcap)
        {
            final long used = map.offHeapMemoryUsed();
            map.close();
            throw new DatasetException("memcap " + memcap + " bytes is below the " + used
                + " bytes the set takes for " + capacity + " values (hashsize)");
        }
        final Dataset set = new Dataset(name, type, load, state, capacity, map);
        for (final byte[] value : values)
        {
            if (null == map.put(DatasetValues.key(value), PRESENT))
            {
                set.size.incrementAndGet();
            }
        }
        return set;
    }

    public String name()
    {
        return name;
    }

    public DatasetMatch.Type type()
    {
        return type;
    }

    /** The {@code load} file it was filled from, or null. */
    public Path load()
    {
        return load;
    }

    /** The {@code state} file it is read from and written to, or null. */
    public Path state()
    {
        return state;
    }

    /** Values the set may hold. */
    public long capacity()
    {
        return capacity;
    }

    public long size()
    {
        return size.get();
    }

    /** Adds refused because the set held {@link #capacity()} values, over all workers. */
    public long refusedAdds()
    {
        return refusedAdds.get();
    }

    /** Off-heap bytes of the map. */
    public long offHeapBytes()
    {
        return map.offHeapMemoryUsed();
    }

    /** {@code isset}: the {@code length} bytes of {@code data} from {@code offset} are in the set. */
    public boolean contains(final MemorySegment data, final long offset, final int length,
        final StringBuilder scratch)
    {
        return DatasetValues.key(type, data, offset, length, scratch) && map.containsKey(scratch);
    }

    /** {@code set}: true when the value was not in the set and now is. */
    public boolean add(final MemorySegment data, final long offset, final int length, final StringBuilder scratch)
    {
        if (!DatasetValues.key(type, data, offset, length, scratch))
        {
            return false;
        }
        if (size.get() >= capacity)
        {
            if (!map.containsKey(scratch))
            {
                refusedAdds.incrementAndGet();
            }
            return false;
        }
        if (null != map.putIfAbsent(scratch, PRESENT))
        {
            return false;
        }
        size.incrementAndGet();
        return true;
    }

    /** {@code unset}: true when the value was in the set and is removed. */
    public boolean remove(final MemorySegment data, final long offset, final int length,
        final StringBuilder scratch)
    {
        if (!DatasetValues.key(type, data, offset, length, scratch) || null == map.remove(scratch))
        {
            return false;
        }
        size.decrementAndGet();
        return true;
    }

    /** Writes every value to {@code file} in the load format, through a temporary file and a rename. */
    void write(final Path file) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII))
        {
            for (final CharSequence key : map.keySet())
            {
                out.write(DatasetValues.formatLine(type, key));
                out.write('\n');
            }
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close()
    {
        map.close();
    }
}
