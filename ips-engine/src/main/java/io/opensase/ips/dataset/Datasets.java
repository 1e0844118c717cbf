package io.opensase.ips.dataset;

import io.opensase.ips.rules.DatasetMatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The named sets of the {@code dataset} keyword, shared by every rule that names them: the first rule to
 * name a set creates it (type, capacity, memcap, {@code load} or {@code state} file), later rules get the
 * same {@link Dataset} and must agree on its type and files, as in Suricata. Sets live as long as the
 * registry, so a registry kept across rule reloads keeps what {@code set} added.
 * <p>
 * Opening and saving run on the control thread; the sets themselves are used by all workers at once (see
 * {@link Dataset}).
 */
public final class Datasets implements AutoCloseable
{
    /** Values a set holds when the rule gives no {@code hashsize}. */
    public static final long DEFAULT_CAPACITY = 65_536;
    /** The largest {@code hashsize} of one set, Suricata's default single-set limit. */
    public static final long MAX_HASHSIZE = 65_536;
    /** Largest load or state file read: a set holds at most {@link #MAX_HASHSIZE} values. */
    static final long MAX_FILE_BYTES = 256L << 20;

    private final Path dataDirectory;
    private final Map<String, Dataset> sets = new LinkedHashMap<>();

    /**
     * @param dataDirectory where {@code state} files are read and written (Suricata's data directory), or
     *                      null: rules with {@code state} are refused.
     */
    public Datasets(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
    }

    /** The set {@code match} names, created on first use. */
    public synchronized Dataset open(final DatasetMatch match) throws DatasetException
    {
        final Path state = null == match.state() ? null : statePath(match);
        final Dataset existing = sets.get(match.name());
        if (null != existing)
        {
            if (existing.type() != match.type())
            {
                throw new DatasetException("set '" + match.name() + "' is a " + existing.type().ruleName()
                    + " set, not " + match.type().ruleName());
            }
            if (null != match.load() && !match.load().equals(existing.load()))
            {
                throw new DatasetException("set '" + match.name() + "' load mismatch: " + match.load() + " != "
                    + existing.load());
            }
            if (null != state && !state.equals(existing.state()))
            {
                throw new DatasetException("set '" + match.name() + "' state mismatch: " + state + " != "
                    + existing.state());
            }
            return existing;
        }
        if (match.hashsize() > MAX_HASHSIZE)
        {
            throw new DatasetException("hashsize " + match.hashsize() + " of set '" + match.name()
                + "' exceeds the single-set limit " + MAX_HASHSIZE);
        }
        // A load file must be readable; a state file is read when an earlier run left one.
        final Path file = null != match.load() ? match.load() : null != state && Files.exists(state) ? state : null;
        final List<byte[]> values = null == file ? List.of() : read(match.type(), file);
        final long capacity = Math.max(0 == match.hashsize() ? DEFAULT_CAPACITY : match.hashsize(), 1);
        if (values.size() > capacity)
        {
            throw new DatasetException(file + " holds " + values.size() + " values, more than the set's hashsize "
                + capacity);
        }
        final Dataset set = Dataset.create(match.name(), match.type(), match.load(), state, capacity,
            match.memcap(), values);
        sets.put(match.name(), set);
        return set;
    }

    /** The set named {@code name}, or null. */
    public synchronized Dataset get(final String name)
    {
        return sets.get(name);
    }

    public synchronized Collection<Dataset> sets()
    {
        return List.copyOf(sets.values());
    }

    /** Writes every set that has a {@code state} file. */
    public synchronized void save() throws IOException
    {
        for (final Dataset set : sets.values())
        {
            if (null != set.state())
            {
                set.write(set.state());
            }
        }
    }

    /** Saves the state files, then frees every map; no worker may use a set after this. */
    @Override
    public synchronized void close() throws IOException
    {
        try
        {
            save();
        }
        finally
        {
            sets.values().forEach(Dataset::close);
            sets.clear();
        }
    }

    private Path statePath(final DatasetMatch match) throws DatasetException
    {
        if (null == dataDirectory)
        {
            throw new DatasetException("set '" + match.name() + "' has a state file but no data directory is set");
        }
        return dataDirectory.resolve(match.state()).toAbsolutePath().normalize();
    }

    private static List<byte[]> read(final DatasetMatch.Type type, final Path file) throws DatasetException
    {
        final List<String> lines;
        try
        {
            // A device (/dev/zero) or a huge file would be read until memory runs out.
            if (Files.exists(file) && !Files.isRegularFile(file))
            {
                throw new DatasetException(file + " is not a regular file");
            }
            if (Files.exists(file) && Files.size(file) > MAX_FILE_BYTES)
            {
                throw new DatasetException(file + " holds " + Files.size(file) + " bytes; a set file is read up to "
                    + MAX_FILE_BYTES);
            }
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            throw new DatasetException("cannot read " + file + ": " + ex, ex);
        }
        final List<byte[]> values = new ArrayList<>(lines.size());
        for (int n = 0; n < lines.size(); n++)
        {
            final String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            try
            {
                values.add(DatasetValues.parseLine(type, line));
            }
            catch (final DatasetException ex)
            {
                throw new DatasetException(file + ":" + (n + 1) + ": " + ex.getMessage(), ex);
            }
        }
        return values;
    }

    @Override
    public String toString()
    {
        return "datasets " + Objects.toString(dataDirectory, "(no data directory)") + " " + sets.keySet();
    }
}
