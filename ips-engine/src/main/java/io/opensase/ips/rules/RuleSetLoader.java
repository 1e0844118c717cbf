package io.opensase.ips.rules;

import io.opensase.ips.dataset.DatasetException;
import io.opensase.ips.dataset.Datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads rule files into a {@link RuleSet}. Never stops at a bad rule: each active rule is either loaded or
 * skipped with a {@link SkipReason}. Off the packet path.
 * <p>
 * File format, as Suricata reads it: bytes are taken as they are (ISO-8859-1, one char per byte); a line
 * ending in a backslash continues on the next line (the backslash is removed, nothing is inserted); a
 * (joined) line that is blank or starts with {@code #} after leading white space is a comment; every other
 * line is one rule, named by the number of its first line. When two rules have the same gid and sid, the one
 * with the higher rev is kept (the first one on a tie) and the other is skipped as a duplicate.
 */
public final class RuleSetLoader
{
    /** The classification file looked for next to the rules by {@link #load(Path, Variables)}. */
    public static final String CLASSIFICATION_FILE = "classification.config";

    private final Variables variables;
    private final Classifications classifications;
    private final Datasets datasets;
    private final Path datasetDirectory;

    /**
     * @param classifications the classes {@code classtype} may name, or null to accept any.
     */
    public RuleSetLoader(final Variables variables, final Classifications classifications)
    {
        this(variables, classifications, null, null);
    }

    /**
     * A loader that opens the sets of {@code dataset} keywords as it reads them, so that a rule whose set
     * cannot be opened (unreadable or malformed {@code load} file, {@code memcap} or {@code hashsize} out of
     * range, a type or file that disagrees with an earlier rule naming the same set) is skipped with the
     * reason and loading goes on. Compile the rules with the same registry
     * ({@code RuleMatcher.compile(rules, engine, limit, datasets)}) so that the matcher uses these sets.
     *
     * @param datasets         where sets are opened, shared by every rule naming them; null to open none
     *                         while loading.
     * @param datasetDirectory where a relative {@code load} file is looked for when it is not next to the rule
     *                         file (Suricata's default rule path), or null.
     */
    public RuleSetLoader(
        final Variables variables,
        final Classifications classifications,
        final Datasets datasets,
        final Path datasetDirectory)
    {
        this.variables = variables;
        this.classifications = classifications;
        this.datasets = datasets;
        this.datasetDirectory = datasetDirectory;
    }

    /**
     * Loads a rule file, or every {@code *.rules} file of a folder in name order. Classes come from the
     * {@value #CLASSIFICATION_FILE} in that folder (the file's folder for a file) when there is one; without
     * it, any {@code classtype} is accepted.
     *
     * @throws IOException when a file cannot be read (a bad rule is not an exception).
     */
    public static RuleSet load(final Path path, final Variables variables) throws IOException
    {
        return load(path, variables, null);
    }

    /**
     * As {@link #load(Path, Variables)}, opening the sets of {@code dataset} keywords in {@code datasets}
     * (see {@link #RuleSetLoader(Variables, Classifications, Datasets, Path)}); the folder is the dataset
     * directory.
     */
    public static RuleSet load(final Path path, final Variables variables, final Datasets datasets)
        throws IOException
    {
        final Path folder = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        final Path config = null == folder ? null : folder.resolve(CLASSIFICATION_FILE);
        final Classifications classes = null != config && Files.isRegularFile(config)
            ? Classifications.read(config) : null;
        return new RuleSetLoader(variables, classes, datasets, folder).load(files(path));
    }

    /** The rule files {@link #load(Path, Variables)} reads for {@code path}. */
    public static List<Path> files(final Path path) throws IOException
    {
        if (!Files.isDirectory(path))
        {
            return List.of(path);
        }
        try (Stream<Path> list = Files.list(path))
        {
            return list.filter(p -> p.getFileName().toString().endsWith(".rules") && Files.isRegularFile(p))
                .sorted()
                .toList();
        }
    }

    /** Loads the files in order, as one rule set. */
    public RuleSet load(final List<Path> files) throws IOException
    {
        final Accumulator acc = new Accumulator(new RuleParser(variables, classifications, datasetDirectory), datasets);
        for (final Path file : files)
        {
            final String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            acc.read(content, file);
        }
        return acc.result();
    }

    /** Loads rules given as text (one rule per logical line, as in a file). */
    public RuleSet loadText(final String text)
    {
        final Accumulator acc = new Accumulator(new RuleParser(variables, classifications, datasetDirectory), datasets);
        acc.read(text, null);
        return acc.result();
    }

    private static final class Accumulator
    {
        final RuleParser parser;
        final Datasets datasets;
        final List<Rule> rules = new ArrayList<>();
        final List<SkippedRule> skipped = new ArrayList<>();
        final Map<Long, Integer> bySid = new HashMap<>();

        Accumulator(final RuleParser parser, final Datasets datasets)
        {
            this.parser = parser;
            this.datasets = datasets;
        }

        void read(final String content, final Path file)
        {
            final String[] lines = content.split("\n", -1);
            final StringBuilder logical = new StringBuilder();
            int first = -1;
            for (int n = 0; n < lines.length; n++)
            {
                String line = lines[n];
                if (line.endsWith("\r"))
                {
                    line = line.substring(0, line.length() - 1);
                }
                if (first < 0)
                {
                    first = n + 1;
                }
                if (line.endsWith("\\"))
                {
                    logical.append(line, 0, line.length() - 1);
                    if (n + 1 < lines.length)
                    {
                        continue;
                    }
                }
                else
                {
                    logical.append(line);
                }
                rule(logical.toString(), new RuleSource(file, first));
                logical.setLength(0);
                first = -1;
            }
        }

        private void rule(final String line, final RuleSource origin)
        {
            final String text = line.strip();
            if (text.isEmpty() || text.startsWith("#"))
            {
                return;
            }
            final Rule rule;
            try
            {
                rule = parser.parse(text, origin);
            }
            catch (final RuleException ex)
            {
                skipped.add(new SkippedRule(origin, text, ex.reason()));
                return;
            }
            catch (final RuntimeException ex)
            {
                skipped.add(new SkippedRule(origin, text, new SkipReason(SkipReason.Category.INTERNAL_ERROR,
                    ex.getClass().getSimpleName(), String.valueOf(ex.getMessage()))));
                return;
            }
            final SkipReason datasetError = openDatasets(rule);
            if (null != datasetError)
            {
                skipped.add(new SkippedRule(origin, text, datasetError));
                return;
            }
            final long key = rule.gid() << 32 | rule.sid();
            final Integer previous = bySid.get(key);
            if (null == previous)
            {
                bySid.put(key, rules.size());
                rules.add(rule);
                return;
            }
            final Rule kept = rules.get(previous);
            final String sid = rule.gid() + ":" + rule.sid();
            if (rule.meta().rev() > kept.meta().rev())
            {
                rules.set(previous, rule);
                skipped.add(new SkippedRule(kept.origin(), kept.text(), duplicate(sid, rule, kept)));
            }
            else
            {
                skipped.add(new SkippedRule(origin, text, duplicate(sid, kept, rule)));
            }
        }

        /** Opens the sets the rule names; the reason it must be skipped, or null. */
        private SkipReason openDatasets(final Rule rule)
        {
            if (null == datasets)
            {
                return null;
            }
            for (final BufferInspection inspection : rule.inspections())
            {
                for (final BufferMatch match : inspection.matches())
                {
                    if (match instanceof DatasetMatch d)
                    {
                        try
                        {
                            datasets.open(d);
                        }
                        catch (final DatasetException ex)
                        {
                            return new SkipReason(SkipReason.Category.DATASET_ERROR, d.name(), ex.getMessage());
                        }
                    }
                }
            }
            return null;
        }

        private static SkipReason duplicate(final String sid, final Rule kept, final Rule dropped)
        {
            return new SkipReason(SkipReason.Category.DUPLICATE_SID, sid, "rev " + dropped.meta().rev()
                + " dropped for rev " + kept.meta().rev() + " at " + kept.origin());
        }

        RuleSet result()
        {
            return new RuleSet(rules, skipped);
        }
    }
}
