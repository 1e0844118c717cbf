package io.opensase.core.ips;

import io.opensase.ips.dataset.Datasets;
import io.opensase.ips.dlp.DlpEngine;
import io.opensase.ips.dlp.DlpPolicy;
import io.opensase.ips.dlp.DlpProfile;
import io.opensase.ips.dlp.DlpProfileException;
import io.opensase.ips.match.PrefilterEngine;
import io.opensase.ips.match.RuleMatcher;
import io.opensase.ips.rules.Classifications;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.RuleSource;
import io.opensase.ips.rules.SkippedRule;
import io.opensase.ips.rules.Variables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The rules an IPS stage enforces, compiled off the packet path and shared read-only by every worker: the
 * matcher, the enforced rules' headers and their signature texts.
 */
public final class IpsPolicy implements AutoCloseable
{
    /** 256 MiB: over twenty times the whole shared ET Open set. */
    static final long MAX_RULE_FILE_BYTES = 256L << 20;

    private final IpsSettings settings;
    private final RuleSet loaded;
    private final RuleMatcher matcher;
    private final List<Rule> rules;
    private final RuleHeaders headers;
    private final Classifications classifications;
    /** Null without DLP profiles. */
    private final DlpEngine dlp;
    /** The dataset registry this policy opened itself, closed with it; null when it was given one. */
    private final Datasets ownDatasets;

    private IpsPolicy(final IpsSettings settings, final RuleSet loaded, final RuleMatcher matcher,
        final Classifications classifications, final DlpEngine dlp, final Datasets ownDatasets)
    {
        this.dlp = dlp;
        this.ownDatasets = ownDatasets;
        this.settings = settings;
        this.loaded = loaded;
        this.matcher = matcher;
        this.rules = matcher.enforced();
        this.headers = new RuleHeaders(rules);
        this.classifications = classifications;
    }

    /**
     * Loads and compiles the rule files of {@code settings}, with sets of its own for the {@code dataset}
     * keyword (they start empty and go with the policy). A bad rule is skipped with its reason (see
     * {@link #loadReport()}); only unreadable files fail.
     */
    public static IpsPolicy load(final IpsSettings settings) throws IOException
    {
        final Datasets own = new Datasets(null);
        try
        {
            return load(settings, own, own);
        }
        catch (final IOException | RuntimeException ex)
        {
            own.close();
            throw ex;
        }
    }

    /**
     * As {@link #load(IpsSettings)}, with the {@code dataset} sets of {@code datasets}: a running engine keeps
     * one registry, so that what rules put in a set survives a reload.
     */
    public static IpsPolicy load(final IpsSettings settings, final Datasets datasets) throws IOException
    {
        return load(settings, datasets, null);
    }

    private static IpsPolicy load(final IpsSettings settings, final Datasets datasets, final Datasets own)
        throws IOException
    {
        final Variables variables = Variables.anyDefaults().with(settings.addressVars(), settings.portVars());
        final List<Path> files = new ArrayList<>();
        for (final Path path : settings.ruleFiles())
        {
            files.addAll(RuleSetLoader.files(path));
        }
        for (final Path file : files)
        {
            // Found by a tester: a FIFO hung the load and /dev/zero filled the heap.
            if (!Files.exists(file))
            {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            if (!Files.isRegularFile(file))
            {
                throw new IOException(file + ": not a regular file");
            }
            if (Files.size(file) > MAX_RULE_FILE_BYTES)
            {
                throw new IOException(file + ": " + Files.size(file) + " bytes, more than a rule file may hold ("
                    + MAX_RULE_FILE_BYTES + ")");
            }
        }
        final Classifications classifications = null != settings.classification()
            ? Classifications.readNamed(settings.classification()) : classificationsNear(files);
        final RuleSet loaded = new RuleSetLoader(variables, classifications, datasets, null).load(files);
        final DlpEngine dlp;
        try
        {
            dlp = null == settings.dlp() ? null : DlpEngine.compile(DlpPolicy.load(settings.dlp()));
        }
        catch (final DlpProfileException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
        final RuleMatcher matcher = RuleMatcher.compile(loaded.rules(), PrefilterEngine.fromSystemProperty(),
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT, datasets);
        return new IpsPolicy(settings, loaded, matcher, classifications, dlp, own);
    }

    /**
     * The classification.config beside the first rule file that has one; null when none has: then any class is
     * accepted with priority 3, as the rule loader takes rules without one (a tester found every rule with a
     * classtype skipped instead, blamed on a file that did not exist).
     */
    private static Classifications classificationsNear(final List<Path> files) throws IOException
    {
        for (final Path file : files)
        {
            final Path candidate = file.resolveSibling(RuleSetLoader.CLASSIFICATION_FILE);
            if (Files.isRegularFile(candidate))
            {
                return Classifications.read(candidate);
            }
        }
        return null;
    }

    public IpsSettings settings()
    {
        return settings;
    }

    public RuleMatcher matcher()
    {
        return matcher;
    }

    /** How many rules the matcher enforces. */
    public int enforcedCount()
    {
        return rules.size();
    }

    /** How many rules the rule files hold: loaded and skipped. */
    public int ruleCount()
    {
        return loaded.total();
    }

    /** The enforced rules, indexed as the matcher reports them. */
    List<Rule> rules()
    {
        return rules;
    }

    RuleHeaders headers()
    {
        return headers;
    }

    /** The text of a rule's class for {@code alert.category}; empty when the rule has none or it is unknown. */
    String category(final Rule rule)
    {
        final String classtype = rule.meta().classtype();
        if (null == classtype)
        {
            return "";
        }
        final Classifications.Classification c = null == classifications ? null : classifications.get(classtype);
        return null == c ? "" : c.description();
    }

    /** The DLP profiles compiled, or null when the settings name none. */
    DlpEngine dlp()
    {
        return dlp;
    }

    /**
     * Loaded and skipped rules by reason (the matcher's limit skips among them, with their file and line),
     * then what the matcher enforces, then with DLP the profiles loaded and their actions.
     */
    public String loadReport()
    {
        final RuleSet report;
        if (matcher.limitSkipped().isEmpty())
        {
            report = loaded;
        }
        else
        {
            final Set<RuleSource> past = new HashSet<>();
            matcher.limitSkipped().forEach(s -> past.add(s.origin()));
            final List<SkippedRule> skipped = new ArrayList<>(loaded.skipped());
            skipped.addAll(matcher.limitSkipped());
            report = new RuleSet(loaded.rules().stream().filter(r -> !past.contains(r.origin())).toList(), skipped);
        }
        final String rules = report.report().stripTrailing() + System.lineSeparator() + matcher.startLine();
        return null == dlp ? rules : rules + System.lineSeparator() + dlpLine();
    }

    /**
     * Found by a tester: {@code --dlp} said nothing of what it loaded, as the rules do. Names are the profiles'
     * own, so the line needs no masking.
     */
    private String dlpLine()
    {
        final List<DlpProfile> profiles = dlp.policy().profiles();
        final StringJoiner named = new StringJoiner(", ");
        profiles.forEach(p -> named.add(p.name() + " (" + p.action().yamlName() + ")"));
        return "dlp: " + profiles.size() + (1 == profiles.size() ? " profile" : " profiles") + " from "
            + settings.dlp() + ": " + named;
    }

    @Override
    public void close()
    {
        matcher.close();
        if (null != dlp)
        {
            dlp.close();
        }
        if (null != ownDatasets)
        {
            try
            {
                ownDatasets.close();
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }
}
