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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        final String refused = eveRefused(eveFile, pcap, rules);
        if (null != refused)
        {
            System.err.println("opensase: " + refused);
            return 2;
        }
        final IpsSettings settings = new IpsSettings(rules, Map.of(), Map.of(), mode, options.has("midstream"), null,
            options.has("classification") ? Path.of(options.get("classification")) : null,
            options.has("dlp") ? Path.of(options.get("dlp")) : null);
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
     * Why the EVE file cannot be written, or null: it must be a regular file (or not exist yet) and none of the
     * inputs, which writing it would destroy (found by a tester: {@code --eve} naming the capture emptied it).
     */
    private static String eveRefused(final Path eve, final Path pcap, final List<Path> rules) throws IOException
    {
        if (Files.exists(eve) && !Files.isRegularFile(eve))
        {
            return eve + ": the EVE file must be a regular file";
        }
        final List<Path> inputs = new java.util.ArrayList<>(rules);
        inputs.add(pcap);
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
