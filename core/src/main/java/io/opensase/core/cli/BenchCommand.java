package io.opensase.core.cli;

import io.opensase.classifiers.acl.AclFormatException;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.ClassBenchFormat;
import io.opensase.core.bench.Bench;
import io.opensase.core.bench.BenchMode;
import io.opensase.core.bench.BenchSettings;
import io.opensase.core.bench.TraceCapture;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code opensase bench}: the engine against {@code dpdk-testpmd} on a looped capture. Exits 0 when both
 * sides ran (whatever the ratio), 1 when either failed. With {@code --rules}, the engine's worker also runs
 * a firewall made of a ClassBench rule file, and without {@code --capture} the capture is drawn from the rules.
 */
final class BenchCommand
{
    static final String USAGE = """
        opensase bench [--capture FILE] [--mode passthrough|flow|established|rewrite] [--rules FILE] [--seconds N]
                       [--report FILE]""";

    private static final Set<String> OPTIONS = Set.of("capture", "mode", "seconds", "report", "rules");
    private static final int DEFAULT_SECONDS = 10;
    /** Frames of a capture drawn from rules: each its own flow, as many as net_pcap replays. */
    private static final int TRACE_FRAMES = 8_192;
    private static final long TRACE_SEED = 1;

    private BenchCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final Options options = new Options(args, OPTIONS);
        final BenchMode mode = options.has("mode") ? mode(options.get("mode")) : BenchMode.PASSTHROUGH;
        final int seconds = options.has("seconds") ? options.integer("seconds", 1, 3600) : DEFAULT_SECONDS;
        final Path rules = options.has("rules") ? Path.of(options.get("rules")) : null;
        final List<AclRule> aclRules = null == rules ? List.of() : readRules(rules);
        Path drawn = null;
        final Bench.Result result;
        try
        {
            final Path capture;
            if (options.has("capture"))
            {
                capture = Path.of(options.get("capture"));
            }
            else if (null != rules)
            {
                drawn = Files.createTempFile("opensase-bench-", ".pcap");
                TraceCapture.write(aclRules, TRACE_FRAMES, TRACE_SEED, drawn);
                capture = drawn;
            }
            else
            {
                capture = largestMixedCapture();
            }
            BenchSettings settings = BenchSettings.of(capture, mode, seconds);
            if (null != rules)
            {
                settings = settings.withRules(rules, aclRules);
            }
            result = Bench.run(settings);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
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
        finally
        {
            if (null != drawn)
            {
                Files.deleteIfExists(drawn);
            }
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
        throw new UsageException("--mode must be passthrough, flow, established or rewrite, got '" + name + "'");
    }

    private static List<AclRule> readRules(final Path file) throws UsageException, IOException
    {
        try
        {
            final List<AclRule> rules = ClassBenchFormat.readRules(file);
            if (rules.isEmpty())
            {
                throw new UsageException(file + ": no rules");
            }
            return rules;
        }
        catch (final AclFormatException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        catch (final NoSuchFileException ex)
        {
            throw new UsageException(file + ": no such file");
        }
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
