package io.opensase.core.ips.verify;

import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A suricata-verify case directory, read the way suricata-verify's runner reads it: the capture is the
 * {@code pcap} named in test.yaml or else the one {@code *.pcap}/{@code *.pcapng} in the directory; the rules
 * are the one {@code *.rules} file in the directory (run with {@code -S}, so a rule file named in the case's
 * suricata.yaml is not used); {@code args} are split on single whitespace characters into Suricata arguments.
 *
 * @param directory    the case directory
 * @param name         its name: the path below the suite root ({@code http-evader/http-evader-000}), or the
 *                     directory name when loaded alone
 * @param pcaps        the capture to read (none when the case says {@code pcap: false})
 * @param ruleFiles    the rule file (none: detection disabled)
 * @param args         every argument token from {@code args}
 * @param settings     the {@code --set key=value} arguments, the last one of a key winning
 * @param checksumsOff {@code -k none}: checksums are not validated
 * @param filters      the checks, in order
 * @param requires     what Suricata build the case requires
 * @param suricataYaml the case's own suricata.yaml (outputs, policies), or null
 * @param unsupported  what in the case this scorer cannot reproduce, each with its test.yaml line; every one
 *                     fails the case when scored
 */
public record VerifyCase(Path directory, String name, List<Path> pcaps, List<Path> ruleFiles, List<String> args,
    Map<String, String> settings, boolean checksumsOff, List<Filter> filters, Requires requires, Path suricataYaml,
    List<String> unsupported)
{
    public static final String TEST_YAML = "test.yaml";

    /** Python's {@code re.split(r"\s", arg)}: one Unicode whitespace character at a time. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);

    public VerifyCase
    {
        pcaps = List.copyOf(pcaps);
        ruleFiles = List.copyOf(ruleFiles);
        args = List.copyOf(args);
        settings = Map.copyOf(settings);
        filters = List.copyOf(filters);
        unsupported = List.copyOf(unsupported);
    }

    /** Loads the case in {@code caseDirectory}, named after the directory. */
    public static VerifyCase load(final Path caseDirectory) throws VerifyFormatException
    {
        return load(caseDirectory, String.valueOf(caseDirectory.toAbsolutePath().normalize().getFileName()));
    }

    /**
     * Loads the case in {@code caseDirectory}.
     *
     * @throws VerifyFormatException naming test.yaml and the line, when it is not valid YAML or not a case
     *     description (checks that are not a list, a filter without a count), or when the directory holds more
     *     than one capture or rule file set
     */
    public static VerifyCase load(final Path caseDirectory, final String name) throws VerifyFormatException
    {
        final Path file = caseDirectory.resolve(TEST_YAML);
        final CaseYaml yaml = new CaseYaml(file);
        final Node root = yaml.compose(read(file));
        final Map<String, CaseYaml.Entry> top = null == root || null == yaml.value(root)
            ? Map.of() : yaml.mapping(root, "a test description");
        final List<String> unsupported = new ArrayList<>();
        Requires requires = Requires.NONE;
        final List<String> args = new ArrayList<>();
        final List<Integer> argLines = new ArrayList<>();
        final List<Filter> filters = new ArrayList<>();
        CaseYaml.Entry pcapEntry = null;
        for (final CaseYaml.Entry entry : top.values())
        {
            switch (entry.key())
            {
                case "requires" -> requires = Requires.read(yaml, entry.value(), unsupported);
                case "args" -> readArgs(yaml, entry.value(), args, argLines, unsupported);
                case "checks" -> readChecks(yaml, entry.value(), filters);
                case "pcap" -> pcapEntry = entry;
                default -> unsupported.add(TEST_YAML + ":" + entry.line() + ": '" + entry.key() + "' "
                    + unsupportedKeyReason(entry.key()));
            }
        }
        final Map<String, String> settings = new LinkedHashMap<>();
        final boolean checksumsOff = readOptions(file, args, argLines, settings);
        final List<Path> pcaps = pcaps(caseDirectory, yaml, pcapEntry);
        final List<Path> rules = rules(caseDirectory, unsupported);
        final Path suricataYaml = caseDirectory.resolve("suricata.yaml");
        return new VerifyCase(caseDirectory, name, pcaps, rules, args, settings, checksumsOff, filters, requires,
            Files.isRegularFile(suricataYaml) ? suricataYaml : null, unsupported);
    }

    /**
     * Whether suricata-verify runs this case in IPS mode: {@code --simulate-ips} is given, or (its runner's
     * convention) the directory name contains "ips".
     */
    public boolean simulatesIps()
    {
        return args.contains("--simulate-ips")
            || String.valueOf(directory.toAbsolutePath().normalize().getFileName()).contains("ips");
    }

    /** The arguments that are neither {@code --set key=value} nor {@code -k MODE}, for the caller to judge. */
    public List<String> otherArgs()
    {
        final List<String> other = new ArrayList<>();
        for (int i = 0; i < args.size(); i++)
        {
            if ("--set".equals(args.get(i)) || "-k".equals(args.get(i)))
            {
                i++;
                continue;
            }
            other.add(args.get(i));
        }
        return other;
    }

    /**
     * Why suricata-verify would skip this case on an engine with {@code features}: each missing feature, and a
     * missing capture. Empty when it would run.
     */
    public List<String> unmetRequirements(final Set<String> features)
    {
        final List<String> unmet = new ArrayList<>();
        for (final String feature : requires.unmetFeatures(features))
        {
            unmet.add("requires feature " + feature);
        }
        if (requires.pcap() && pcaps.isEmpty())
        {
            unmet.add("no pcap file found");
        }
        return unmet;
    }

    private static String read(final Path file) throws VerifyFormatException
    {
        try
        {
            return Files.readString(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new VerifyFormatException(file, 0, "no " + TEST_YAML + " in this case directory");
        }
        catch (final MalformedInputException ex)
        {
            throw new VerifyFormatException(file, 0, "not UTF-8 text");
        }
        catch (final IOException ex)
        {
            throw new VerifyFormatException(file, 0, "cannot be read: " + ex.getMessage());
        }
    }

    private static String unsupportedKeyReason(final String key)
    {
        return switch (key)
        {
            case "command" -> "runs its own command line instead of Suricata over the capture";
            case "setup", "pre-check" -> "runs a shell script around the test";
            case "skip" -> "skips by uid, build feature or Suricata configuration";
            case "exit-code" -> "expects a particular exit code from Suricata";
            case "env" -> "sets environment variables for Suricata";
            case "count", "retry" -> "runs Suricata more than once";
            default -> "is not a test.yaml key suricata-verify knows";
        };
    }

    private static void readArgs(final CaseYaml yaml, final Node node, final List<String> args,
        final List<Integer> argLines, final List<String> unsupported) throws VerifyFormatException
    {
        for (final Node item : yaml.sequence(node, "args"))
        {
            final String arg = yaml.text(item, "an argument");
            if (arg.indexOf('$') >= 0)
            {
                unsupported.add(TEST_YAML + ":" + CaseYaml.line(item) + ": argument '" + arg
                    + "' refers to the runner's environment");
            }
            for (final String token : WHITESPACE.split(arg, -1))
            {
                if (!token.isEmpty())
                {
                    args.add(token);
                    argLines.add(CaseYaml.line(item));
                }
            }
        }
    }

    /** Reads {@code --set} and {@code -k} from the tokens; returns whether checksums are off. */
    private static boolean readOptions(final Path file, final List<String> args, final List<Integer> argLines,
        final Map<String, String> settings) throws VerifyFormatException
    {
        boolean checksumsOff = false;
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (!"--set".equals(arg) && !"-k".equals(arg))
            {
                continue;
            }
            if (i + 1 == args.size())
            {
                throw new VerifyFormatException(file, argLines.get(i), "args: " + arg + " needs a value");
            }
            final String value = args.get(++i);
            if ("-k".equals(arg))
            {
                checksumsOff = "none".equals(value);
                continue;
            }
            final int equals = value.indexOf('=');
            if (equals <= 0)
            {
                throw new VerifyFormatException(file, argLines.get(i), "args: --set " + value + " is not key=value");
            }
            settings.put(value.substring(0, equals), value.substring(equals + 1));
        }
        return checksumsOff;
    }

    private static void readChecks(final CaseYaml yaml, final Node node, final List<Filter> filters)
        throws VerifyFormatException
    {
        if (null == yaml.value(node))
        {
            return;
        }
        final List<Node> checks = yaml.sequence(node, "checks");
        for (int i = 0; i < checks.size(); i++)
        {
            final int number = i + 1;
            for (final CaseYaml.Entry entry : yaml.mapping(checks.get(i), "check #" + number).values())
            {
                filters.add(Filter.FILTER.equals(entry.key()) ? Filter.read(yaml, number, entry)
                    : Filter.notAFilter(number, entry.line(), entry.key()));
            }
        }
    }

    private static List<Path> pcaps(final Path directory, final CaseYaml yaml, final CaseYaml.Entry entry)
        throws VerifyFormatException
    {
        if (null != entry)
        {
            final Object value = yaml.value(entry.value());
            if (!Requires.truthy(value))
            {
                return List.of();
            }
            if (!(value instanceof String name))
            {
                throw yaml.error(entry.value(), "pcap must name a file");
            }
            final Path pcap = directory.resolve(name);
            if (!Files.exists(pcap))
            {
                throw yaml.error(entry.value(), "PCAP filename does not exist: " + name);
            }
            return List.of(pcap);
        }
        final List<Path> pcaps = listed(directory, "*.{pcap,pcapng}");
        if (pcaps.size() > 1)
        {
            throw new VerifyFormatException(directory, 0, "more than one pcap file: " + pcaps.stream()
                .map(path -> String.valueOf(path.getFileName())).toList());
        }
        return pcaps;
    }

    private static List<Path> rules(final Path directory, final List<String> unsupported)
        throws VerifyFormatException
    {
        final List<Path> rules = listed(directory, "*.rules");
        if (rules.size() > 2)
        {
            throw new VerifyFormatException(directory, 0, "more than one rule file: " + rules.stream()
                .map(path -> String.valueOf(path.getFileName())).toList());
        }
        for (final Path rule : rules)
        {
            final String fileName = String.valueOf(rule.getFileName());
            if (rules.size() == 2 || fileName.endsWith("firewall.rules"))
            {
                unsupported.add(fileName + ": firewall rule files (with td.rules) are not supported");
            }
            else if (fileName.startsWith("min"))
            {
                unsupported.add(fileName + ": a rule file named for the Suricata version it needs is not supported");
            }
        }
        return rules;
    }

    /** The files in {@code directory} matching {@code glob}, sorted, skipping hidden ones as Python's glob does. */
    private static List<Path> listed(final Path directory, final String glob) throws VerifyFormatException
    {
        final List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, glob))
        {
            for (final Path path : stream)
            {
                if (!String.valueOf(path.getFileName()).startsWith("."))
                {
                    found.add(path);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new VerifyFormatException(directory, 0, "cannot list the case directory: " + ex.getMessage());
        }
        found.sort(null);
        return found;
    }
}
