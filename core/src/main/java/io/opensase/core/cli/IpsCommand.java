package io.opensase.core.cli;

import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.config.ConfigException;
import io.opensase.core.config.ConfigLoader;
import io.opensase.core.config.IpsConfig;
import io.opensase.core.ips.EveFileSink;
import io.opensase.core.ips.IpsCaptureRun;
import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsSettings;
import io.opensase.core.packet.DropReason;
import io.opensase.core.pipeline.WorkerCounters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code opensase ips}: runs IPS rules over a capture on one worker and writes EVE lines, for checking rules
 * and the engine against known traffic. The load report and the counts go to stderr. With {@code --config}, the
 * variables, and the settings the command line does not give, come from the ips section of a configuration
 * file, and packets are parsed as its parser section says (tunnel depth, extension headers, Teredo ports): an
 * engine configuration, loaded and checked as {@code run --config} loads it, or a file of those two sections
 * alone, without ports ({@link ConfigLoader#loadIps}).
 */
final class IpsCommand
{
    static final String USAGE = """
        opensase ips --rules FILE [--rules FILE ...] --pcap FILE --eve FILE [--config FILE] [--mode ids|ips]
                     [--midstream] [--classification FILE] [--dlp FILE]""";

    private static final Set<String> OPTIONS = Set.of("rules", "pcap", "eve", "mode", "classification", "dlp",
        "config");

    private static final Path DEV_NULL = Path.of("/dev/null");

    private IpsCommand()
    {
    }

    /**
     * @return the exit status, as {@code run}'s: 0 when the whole capture was inspected, 1 when it is no capture
     *         or is corrupt or cut short part-way (what came before was inspected and reported), 2 when the
     *         command line, the configuration or a file cannot be used (an EVE file that cannot be written too).
     */
    static int run(final List<String> args, final PrintStream out)
        throws UsageException, ConfigException, IOException
    {
        final Options options = new Options(args, OPTIONS, Set.of("midstream"), Set.of("rules"));
        if (!options.has("pcap") || !options.has("eve") || !options.has("rules") && !options.has("config"))
        {
            throw new UsageException("ips needs --rules FILE (or --config FILE with ips rules), --pcap FILE and "
                + "--eve FILE");
        }
        final IpsMode mode = switch (options.get("mode"))
        {
            case null -> null;
            case "ids" -> IpsMode.IDS;
            case "ips" -> IpsMode.IPS;
            default -> throw new UsageException("--mode must be ids or ips, got '" + options.get("mode") + "'");
        };
        final List<Path> rules = options.all("rules").stream().map(Path::of).toList();
        final Path eveFile = Path.of(options.get("eve"));
        final Path pcap = Path.of(options.get("pcap"));
        final Path classification = options.has("classification") ? Path.of(options.get("classification")) : null;
        final Path dlp = options.has("dlp") ? Path.of(options.get("dlp")) : null;
        final Path configFile = options.has("config") ? Path.of(options.get("config")) : null;
        final Map<Path, String> inputs = new LinkedHashMap<>();
        rules.forEach(file -> inputs.put(file, "--rules"));
        inputs.put(pcap, "--pcap");
        if (null != classification)
        {
            inputs.put(classification, "--classification");
        }
        if (null != dlp)
        {
            inputs.put(dlp, "--dlp");
        }
        if (null != configFile)
        {
            inputs.put(configFile, "--config");
        }
        final String inputProblem = inputRefused(inputs);
        if (null != inputProblem)
        {
            System.err.println("opensase: " + inputProblem);
            return 2;
        }
        final IpsConfig fileConfig = null == configFile ? null : ConfigLoader.loadIps(configFile);
        final IpsSettings configured = null == fileConfig ? null : fileConfig.ips();
        final Supplier<PacketParser> parsers = null == fileConfig ? PacketParser::new : fileConfig::newParser;
        if (null != configFile && null == configured && rules.isEmpty())
        {
            throw new UsageException(configFile + " has no ips section, so no rules to run: give --rules FILE");
        }
        final IpsSettings settings = settings(configured, rules, mode, options.has("midstream"), classification, dlp);
        final String eveProblem = eveRefused(eveFile, readBy(settings, pcap, configFile));
        if (null != eveProblem)
        {
            System.err.println("opensase: " + eveProblem);
            return 2;
        }
        final String heapProblem = IpsCaptureRun.heapRefusal(settings);
        if (null != heapProblem)
        {
            System.err.println("opensase: " + heapProblem);
            return 2;
        }
        if (null != configured && !rules.isEmpty())
        {
            System.err.println("opensase: --rules given: the rules of " + configFile + " (ips.rules) are not run");
        }
        try (IpsPolicy policy = IpsPolicy.load(settings))
        {
            final EveFileSink eve = new EveFileSink(eveFile, true);
            final WorkerCounters read = new WorkerCounters();
            System.err.println("opensase: " + policy.loadReport().replace("\n", "\nopensase: "));
            final IpsCaptureRun.Outcome outcome;
            try
            {
                outcome = IpsCaptureRun.runToError(policy, pcap, eve, parsers, read);
            }
            catch (final UncheckedIOException ex)
            {
                closeAfterFailure(eve, ex.getCause());
                throw eveNotWritten(eveFile, ex.getCause());
            }
            catch (final IOException | RuntimeException ex)
            {
                closeAfterFailure(eve, ex);
                throw ex;
            }
            try
            {
                // Lines wait in the sink's buffer: a full disk may first show here, before any summary.
                eve.close();
            }
            catch (final IOException ex)
            {
                throw eveNotWritten(eveFile, ex);
            }
            System.err.println(readSummary(read));
            System.err.println(outcome.counters().summary());
            if (null != outcome.captureError())
            {
                // As run: bad input part-way is status 1, after what came before it is reported.
                System.err.println("opensase: " + outcome.captureError().getMessage());
                return 1;
            }
        }
        return 0;
    }

    /**
     * What the capture gave before inspection (found by a tester: a frame larger than a packet buffer was dropped
     * unseen, and the summary only said "0 packets inspected").
     */
    static String readSummary(final WorkerCounters read)
    {
        final StringBuilder reasons = new StringBuilder();
        long dropped = 0;
        for (final DropReason reason : DropReason.values())
        {
            final long n = read.drops(reason);
            if (0 != n)
            {
                dropped += n;
                reasons.append(reasons.isEmpty() ? " (" : ", ").append(reason.reportName()).append('=').append(n);
            }
        }
        long malformed = 0;
        for (final Malformed reason : Malformed.values())
        {
            malformed += read.malformed(reason);
        }
        return String.format(Locale.ROOT, "capture: %d packets read, %d dropped before inspection%s, %d malformed, "
                + "%d snap-truncated", read.get(WorkerCounters.RX_PACKETS), dropped,
            reasons.isEmpty() ? "" : reasons.append(')'), malformed, read.get(WorkerCounters.SNAP_TRUNCATED));
    }

    private static void closeAfterFailure(final EveFileSink eve, final Exception failure)
    {
        try
        {
            eve.close();
        }
        catch (final IOException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    private static IOException eveNotWritten(final Path eveFile, final IOException cause)
    {
        return new IOException(eveFile + ": cannot write the EVE file: " + cause.getMessage() + " (--eve)", cause);
    }

    /**
     * The settings run: the command line's, and where it gives none, those of the configuration's ips section
     * ({@code configured}; null when there is none: variables {@code any}, IDS mode). Rules given on the command
     * line replace the configuration's; {@code midstream} set in either place holds.
     */
    private static IpsSettings settings(final IpsSettings configured, final List<Path> rules, final IpsMode mode,
        final boolean midstream, final Path classification, final Path dlp)
    {
        if (null == configured)
        {
            return new IpsSettings(rules, Map.of(), Map.of(), null == mode ? IpsMode.IDS : mode, midstream, null,
                classification, dlp);
        }
        return new IpsSettings(rules.isEmpty() ? configured.ruleFiles() : rules, configured.addressVars(),
            configured.portVars(), null == mode ? configured.mode() : mode, midstream || configured.midstream(), null,
            null == classification ? configured.classification() : classification,
            null == dlp ? configured.dlp() : dlp, configured.maxStreams(), configured.httpHeaderBlocks());
    }

    /** Every file the run reads, the configuration's among them: the EVE file must be none of them. */
    private static List<Path> readBy(final IpsSettings settings, final Path pcap, final Path configFile)
    {
        final List<Path> files = new ArrayList<>(settings.ruleFiles());
        files.add(pcap);
        Stream.of(settings.classification(), settings.dlp(), configFile).filter(Objects::nonNull).forEach(files::add);
        return files;
    }

    /**
     * Why one of the {@code inputs} (each with the option that named it) cannot be read, or null. Checked before
     * the rules are compiled, which takes seconds with a large rule set (found by a tester: a mistyped
     * {@code --pcap} was reported only after that, and the EVE file emptied).
     */
    private static String inputRefused(final Map<Path, String> inputs)
    {
        for (final Map.Entry<Path, String> input : inputs.entrySet())
        {
            final Path file = input.getKey();
            if (!Files.exists(file))
            {
                return file + ": no such file (" + input.getValue() + ")";
            }
            if (!Files.isRegularFile(file))
            {
                return file + ": not a regular file (" + input.getValue() + ")";
            }
            if (!Files.isReadable(file))
            {
                return file + ": permission denied (" + input.getValue() + ")";
            }
        }
        return null;
    }

    /**
     * Why the EVE file cannot be written, or null: it must be {@code /dev/null} or a regular file (or not exist
     * yet, in a folder that does) and none of the inputs, which writing it would destroy (found by a tester:
     * {@code --eve} naming the capture emptied it).
     */
    private static String eveRefused(final Path eve, final Collection<Path> inputs) throws IOException
    {
        if (Files.exists(eve) && !Files.isRegularFile(eve))
        {
            // Found by a tester: an operator who reads only the summary writes the lines nowhere.
            return Files.isSameFile(eve, DEV_NULL) ? null : eve + ": the EVE file must be a regular file or "
                + DEV_NULL + " (--eve)";
        }
        final Path folder = eve.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder))
        {
            return eve + ": folder " + folder + " does not exist (--eve)";
        }
        if (Files.exists(eve) ? !Files.isWritable(eve) : !Files.isWritable(folder))
        {
            return eve + ": permission denied (--eve)";
        }
        for (final Path input : inputs)
        {
            if (Files.exists(eve) && Files.exists(input) && Files.isSameFile(eve, input)
                || eve.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize()))
            {
                return eve + ": the EVE file is an input of this run (" + input + "); give another file";
            }
        }
        return null;
    }
}
