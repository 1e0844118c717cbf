package io.opensase.core.cli;

import io.opensase.core.bench.Bench;
import io.opensase.core.bench.BenchMode;
import io.opensase.core.bench.BenchSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code opensase bench}: the engine against {@code dpdk-testpmd} on a looped capture. Exits 0 when both
 * sides ran (whatever the ratio), 1 when either failed.
 */
final class BenchCommand
{
    static final String USAGE = """
        opensase bench [--capture FILE] [--mode passthrough|flow|established] [--seconds N] [--report FILE]""";

    private static final Set<String> OPTIONS = Set.of("capture", "mode", "seconds", "report");
    private static final int DEFAULT_SECONDS = 10;

    private BenchCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final Options options = new Options(args, OPTIONS);
        final BenchMode mode = options.has("mode") ? mode(options.get("mode")) : BenchMode.PASSTHROUGH;
        final Path capture = options.has("capture") ? Path.of(options.get("capture")) : largestMixedCapture();
        final int seconds = options.has("seconds") ? options.integer("seconds", 1, 3600) : DEFAULT_SECONDS;
        final BenchSettings settings;
        try
        {
            settings = BenchSettings.of(capture, mode, seconds);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        final Bench.Result result;
        try
        {
            result = Bench.run(settings);
        }
        catch (final IllegalStateException ex)
        {
            System.err.println("opensase: bench failed: " + ex.getMessage());
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            System.err.println("opensase: bench interrupted");
            return 1;
        }
        out.print(result.summary());
        if (options.has("report"))
        {
            Files.writeString(Path.of(options.get("report")), result.json(), StandardCharsets.UTF_8);
        }
        return 0;
    }

    private static BenchMode mode(final String name) throws UsageException
    {
        for (final BenchMode mode : BenchMode.values())
        {
            if (mode.cliName().equals(name))
            {
                return mode;
            }
        }
        throw new UsageException("--mode must be passthrough, flow or established, got '" + name + "'");
    }

    /** The default input: the largest capture in the shared data's pcap/mixed folder. */
    private static Path largestMixedCapture() throws UsageException, IOException
    {
        final Path mixed = Path.of(System.getProperty("opensase.data", "../shared/data"), "pcap", "mixed");
        if (!Files.isDirectory(mixed))
        {
            throw new UsageException(mixed + " not found: give --capture FILE, or -Dopensase.data=DIR (through "
                + "OPENSASE_DATA=DIR for bin/opensase)");
        }
        try (Stream<Path> files = Files.list(mixed))
        {
            return files.filter(f -> f.toString().endsWith(".pcap"))
                .max(Comparator.comparingLong(BenchCommand::size))
                .orElseThrow(() -> new UsageException(mixed + " holds no .pcap file: give --capture FILE"));
        }
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
