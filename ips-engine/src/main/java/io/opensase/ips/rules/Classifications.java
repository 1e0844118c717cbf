package io.opensase.ips.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes of a {@code classification.config} ({@code config classification: name,description,priority}):
 * a rule's {@code classtype} must name one, and takes its priority unless the rule sets {@code priority}.
 */
public final class Classifications
{
    /** A class. */
    public record Classification(String name, String description, int priority)
    {
    }

    private final Map<String, Classification> byName;

    private Classifications(final Map<String, Classification> byName)
    {
        this.byName = Map.copyOf(byName);
    }

    public static Classifications of(final List<Classification> classes)
    {
        final Map<String, Classification> map = new HashMap<>();
        classes.forEach(c -> map.put(c.name(), c));
        return new Classifications(map);
    }

    /**
     * Reads a {@code classification.config}. Lines that are blank, comments, or not a classification are
     * skipped.
     *
     * @throws IOException when the file cannot be read, or names a line {@code file:line: reason} when a
     *                     classification line is malformed.
     */
    public static Classifications read(final Path file) throws IOException
    {
        final Map<String, Classification> map = new HashMap<>();
        final List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        for (int n = 0; n < lines.size(); n++)
        {
            final String line = lines.get(n).strip();
            final String prefix = "config classification:";
            if (!line.startsWith(prefix))
            {
                continue;
            }
            final String[] parts = line.substring(prefix.length()).split(",");
            if (parts.length != 3)
            {
                throw new IOException(file + ":" + (n + 1) + ": expected name,description,priority");
            }
            try
            {
                final String name = parts[0].strip();
                map.put(name, new Classification(name, parts[1].strip(), Integer.parseInt(parts[2].strip())));
            }
            catch (final NumberFormatException ex)
            {
                throw new IOException(file + ":" + (n + 1) + ": priority '" + parts[2].strip() + "' is not a number");
            }
        }
        return new Classifications(map);
    }

    /**
     * Reads a classification file named outright (in a configuration, or with {@code --classification}). One
     * that holds no class is refused, as every rule with a classtype would be skipped against it.
     *
     * @throws IOException {@code file: reason} when the file cannot be read, holds no class, or as {@link #read}.
     */
    public static Classifications readNamed(final Path file) throws IOException
    {
        final Classifications classes;
        try
        {
            classes = read(file);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            throw new IOException(file + ": no such file", ex);
        }
        catch (final java.nio.file.AccessDeniedException ex)
        {
            throw new IOException(file + ": permission denied", ex);
        }
        catch (final java.nio.file.FileSystemException ex)
        {
            throw new IOException(file + ": cannot read: " + ex.getReason(), ex);
        }
        if (0 == classes.size())
        {
            throw new IOException(file + ": no 'config classification:' lines; not a classification.config");
        }
        return classes;
    }

    /** @return the class, or null. */
    public Classification get(final String name)
    {
        return byName.get(name);
    }

    public int size()
    {
        return byName.size();
    }
}
