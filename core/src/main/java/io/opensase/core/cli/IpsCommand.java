package io.opensase.core.cli;

import io.opensase.core.ips.EveFileSink;
import io.opensase.core.ips.IpsCaptureRun;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsPolicy;
import io.opensase.core.ips.IpsSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code opensase ips}: runs IPS rules over a capture on one worker and writes EVE lines, for checking rules
 * and the engine against known traffic. The load report and the counts go to stderr.
 */
final class IpsCommand
{
    static final String USAGE = """
        opensase ips --rules FILE [--rules FILE ...] --pcap FILE --eve FILE [--mode ids|ips] [--midstream]
                     [--classification FILE] [--dlp FILE]""";

    private static final Set<String> OPTIONS = Set.of("rules", "pcap", "eve", "mode", "classification", "dlp");

    private IpsCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final Options options = new Options(args, OPTIONS, Set.of("midstream"), Set.of("rules"));
        if (!options.has("rules") || !options.has("pcap") || !options.has("eve"))
        {
            throw new UsageException("ips needs --rules FILE, --pcap FILE and --eve FILE");
        }
        final IpsMode mode = switch (null == options.get("mode") ? "ids" : options.get("mode"))
        {
            case "ids" -> IpsMode.IDS;
            case "ips" -> IpsMode.IPS;
            default -> throw new UsageException("--mode must be ids or ips, got '" + options.get("mode") + "'");
        };
        final List<Path> rules = options.all("rules").stream().map(Path::of).toList();
        final Path eveFile = Path.of(options.get("eve"));
        final Path pcap = Path.of(options.get("pcap"));
        final Path classification = options.has("classification") ? Path.of(options.get("classification")) : null;
        final Path dlp = options.has("dlp") ? Path.of(options.get("dlp")) : null;
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
        String refused = inputRefused(inputs);
        refused = null == refused ? eveRefused(eveFile, inputs.keySet()) : refused;
        if (null != refused)
        {
            System.err.println("opensase: " + refused);
            return 2;
        }
        final IpsSettings settings = new IpsSettings(rules, Map.of(), Map.of(), mode, options.has("midstream"), null,
            classification, dlp);
        try (IpsPolicy policy = IpsPolicy.load(settings);
            EveFileSink eve = new EveFileSink(eveFile, true))
        {
            System.err.println(policy.loadReport());
            final IpsCounters counters;
            try
            {
                counters = IpsCaptureRun.run(policy, pcap, eve);
            }
            catch (final UncheckedIOException ex)
            {
                throw ex.getCause();
            }
            System.err.println(counters.summary());
        }
        return 0;
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
     * Why the EVE file cannot be written, or null: it must be a regular file (or not exist yet, in a folder that
     * does) and none of the inputs, which writing it would destroy (found by a tester: {@code --eve} naming the
     * capture emptied it).
     */
    private static String eveRefused(final Path eve, final Collection<Path> inputs) throws IOException
    {
        if (Files.exists(eve) && !Files.isRegularFile(eve))
        {
            return eve + ": the EVE file must be a regular file";
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
