package io.opensase.core.cli;

import io.opensase.classifiers.acl.AclFormatException;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.ClassBenchFormat;
import io.opensase.core.bench.Bench;
import io.opensase.core.bench.BenchMode;
import io.opensase.core.bench.BenchSettings;
import io.opensase.core.bench.CaptureFolder;
import io.opensase.core.bench.TraceCapture;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code opensase bench}: the engine against {@code dpdk-testpmd} on a looped capture. Exits 0 when both
 * sides ran (whatever the ratio), 1 when either failed. With {@code --rules}, the engine's worker also runs
 * a firewall made of a ClassBench rule file, and without {@code --capture} the capture is drawn from the rules.
 * With {@code --mode ips} it runs the IPS stage with the {@code --ips-rules} given, by default over every
 * shared capture; a {@code --capture} folder is replayed as one capture of its Ethernet packets.
 */
final class BenchCommand
{
    static final String USAGE = """
        opensase bench [--capture FILE] [--mode passthrough|flow|established|rewrite] [--rules FILE] [--seconds N]
                       [--report FILE]
        opensase bench --mode ips --ips-rules FILE|DIR [--ips-rules FILE|DIR ...] [--capture FILE|DIR] [--seconds N]
                       [--report FILE]""";

    private static final Set<String> OPTIONS = Set.of("capture", "mode", "seconds", "report", "rules", "ips-rules");
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
        final List<Path> ipsRules = ipsRules(options, mode);
        final Path rules = options.has("rules") ? Path.of(options.get("rules")) : null;
        final List<AclRule> aclRules = null == rules ? List.of() : readRules(rules);
        Path drawn = null;
        final Bench.Result result;
        try
        {
            final Path capture;
            final Path folder = options.has("capture") ? Path.of(options.get("capture"))
                : BenchMode.IPS == mode ? sharedCaptures() : null;
            if (null != folder && Files.isDirectory(folder))
            {
                drawn = Files.createTempFile("opensase-bench-", ".pcap");
                final CaptureFolder.Written written = CaptureFolder.concatenate(folder, drawn);
                out.printf(Locale.ROOT, "opensase bench: %d packets of %d captures under %s (%d of another link type "
                    + "left out)%n", written.packets(), written.files(), folder, written.otherLinkTypes());
                if (0 == written.packets())
                {
                    throw new UsageException(folder + ": no Ethernet packet in its captures");
                }
                capture = drawn;
            }
            else if (null != folder)
            {
                capture = folder;
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
            if (null != folder && Files.isDirectory(folder))
            {
                settings = settings.madeFrom(folder);
            }
            if (null != rules)
            {
                settings = settings.withRules(rules, aclRules);
            }
            if (!ipsRules.isEmpty())
            {
                settings = settings.withIps(ipsRules);
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
        throw new UsageException("--mode must be passthrough, flow, established, rewrite or ips, got '" + name + "'");
    }

    /** The {@code --ips-rules} given: required with {@code --mode ips}, refused without it. */
    private static List<Path> ipsRules(final Options options, final BenchMode mode) throws UsageException
    {
        final List<Path> files = options.all("ips-rules").stream().map(Path::of).toList();
        if (BenchMode.IPS == mode && files.isEmpty())
        {
            throw new UsageException("--mode ips needs --ips-rules FILE or DIR (for ET Open: "
                + sharedData("ids-rules/et-open") + ")");
        }
        if (BenchMode.IPS != mode && !files.isEmpty())
        {
            throw new UsageException("--ips-rules needs --mode ips");
        }
        if (BenchMode.IPS == mode && options.has("rules"))
        {
            throw new UsageException("--mode ips runs no firewall: --rules goes with --mode flow or established");
        }
        for (final Path file : files)
        {
            if (!Files.exists(file))
            {
                throw new UsageException(file + ": no such rule file or folder");
            }
        }
        return files;
    }

    /** {@code path} under the shared data folder ({@code -Dopensase.data}, through {@code OPENSASE_DATA}). */
    private static Path sharedData(final String path)
    {
        return Path.of(System.getProperty("opensase.data", "../shared/data"), path);
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

    /** The default input of IPS mode: every shared capture, the folder {@code pcap} of the shared data. */
    private static Path sharedCaptures() throws UsageException
    {
        final Path all = sharedData("pcap");
        if (!Files.isDirectory(all))
        {
            throw new UsageException(all + " not found: give --capture FILE or DIR, or -Dopensase.data=DIR (through "
                + "OPENSASE_DATA=DIR for bin/opensase)");
        }
        return all;
    }

    /** The default input: the largest capture in the shared data's pcap/mixed folder. */
    private static Path largestMixedCapture() throws UsageException, IOException
    {
        final Path mixed = sharedData("pcap/mixed");
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
