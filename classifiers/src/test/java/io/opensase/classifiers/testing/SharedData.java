package io.opensase.classifiers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared test inputs, read in place from the directory named by the {@code opensase.data} system
 * property (default {@code ../shared/data}). Tests fail, rather than skip, when it is missing: CI always
 * has it.
 */
public final class SharedData
{
    private SharedData()
    {
    }

    public static Path root()
    {
        final Path root = Path.of(System.getProperty("opensase.data", "../shared/data")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root))
        {
            throw new IllegalStateException("shared test data not found at " + root
                + "; set -Dopensase.data=DIR (the folder holding pcap/, acl/, ids-rules/)");
        }
        return root;
    }

    public static Path resolve(final String relative)
    {
        return root().resolve(relative);
    }

    /** Every .pcap and .pcapng file under {@code pcap/}, sorted by path. */
    public static List<Path> captures()
    {
        try (Stream<Path> files = Files.walk(resolve("pcap")))
        {
            return files.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                .sorted()
                .toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Path relative to the data root, for test names and messages. */
    public static String name(final Path capture)
    {
        return root().relativize(capture).toString();
    }
}
