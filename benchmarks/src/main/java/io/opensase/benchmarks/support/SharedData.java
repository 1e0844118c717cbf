package io.opensase.benchmarks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared test captures, read in place from the directory named by the {@code opensase.data} system
 * property. Without it, {@code ../shared/data} is tried against the working directory, then against the
 * repository root found from this jar's location ({@code <root>/benchmarks/target/benchmarks.jar}).
 */
public final class SharedData
{
    public static final String DATA_PROP_NAME = "opensase.data";
    public static final String DATA_DEFAULT = "../shared/data";

    /** Capture set: every capture under {@code pcap/mixed}. */
    public static final String MIXED = "mixed";
    /** Capture set: every capture under {@code pcap/}. */
    public static final String ALL = "all";

    private SharedData()
    {
    }

    public static Path root()
    {
        final String configured = System.getProperty(DATA_PROP_NAME);
        if (null != configured)
        {
            return existing(Path.of(configured).toAbsolutePath().normalize());
        }
        final Path fromWorkingDirectory = Path.of(DATA_DEFAULT).toAbsolutePath().normalize();
        if (Files.isDirectory(fromWorkingDirectory))
        {
            return fromWorkingDirectory;
        }
        final Path repository = repositoryRoot();
        return existing(null == repository ? fromWorkingDirectory : repository.resolve(DATA_DEFAULT).normalize());
    }

    /**
     * @param set {@link #MIXED} or {@link #ALL}.
     * @return every {@code .pcap} and {@code .pcapng} file of the set, sorted by path.
     */
    public static List<Path> captures(final String set)
    {
        final Path directory = switch (set)
        {
            case MIXED -> root().resolve("pcap/mixed");
            case ALL -> root().resolve("pcap");
            default -> throw new IllegalArgumentException("unknown capture set '" + set + "': mixed or all");
        };
        try (Stream<Path> files = Files.walk(directory))
        {
            final List<Path> captures = files
                .filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                .sorted()
                .toList();
            if (captures.isEmpty())
            {
                throw new IllegalStateException("no captures under " + directory);
            }
            return captures;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path existing(final Path root)
    {
        if (!Files.isDirectory(root))
        {
            throw new IllegalStateException("shared test data not found at " + root
                + "; set -D" + DATA_PROP_NAME + "=DIR (the folder holding pcap/)");
        }
        return root;
    }

    private static Path repositoryRoot()
    {
        final CodeSource source = SharedData.class.getProtectionDomain().getCodeSource();
        if (null == source || null == source.getLocation())
        {
            return null;
        }
        try
        {
            final Path target = Path.of(source.getLocation().toURI()).getParent();
            return null == target || null == target.getParent() ? null : target.getParent().getParent();
        }
        catch (final URISyntaxException | IllegalArgumentException ex)
        {
            return null;
        }
    }
}
