package io.opensase.ips.match;

import io.opensase.classifiers.testing.SharedData;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.Variables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: rules from text, the shared ET Open rules, literal groups, a naive literal search. */
final class MatchTesting
{
    private static RuleSet etOpen;

    private MatchTesting()
    {
    }

    /**
     * The engines a prefilter test runs on: both Java algorithms, and Hyperscan both with its matches collected by
     * the shim (the system's library, as the product runs it) and through FFM upcalls (a library loaded by name).
     */
    enum Engine
    {
        JAVA_QGRAM,
        JAVA_DFA,
        HYPERSCAN,
        HYPERSCAN_UPCALLS;

        Prefilter compile(final List<List<Literal>> groups, final boolean singleMatch)
        {
            return switch (this)
            {
                case JAVA_QGRAM -> JavaPrefilter.compile(groups, singleMatch, null, JavaPrefilter.Algorithm.QGRAM);
                case JAVA_DFA -> JavaPrefilter.compile(groups, singleMatch, null, JavaPrefilter.Algorithm.DFA);
                case HYPERSCAN -> Prefilters.compile(groups, PrefilterEngine.HYPERSCAN, singleMatch);
                case HYPERSCAN_UPCALLS -> HyperscanPrefilter.compile(HyperscanLibrary.load(HyperscanLibrary.SONAME),
                    groups, singleMatch);
            };
        }
    }

    /** Rules from text, with every address and port variable {@code any}; every rule must load. */
    static List<Rule> rules(final String... lines)
    {
        final RuleSet set = new RuleSetLoader(Variables.anyDefaults(), null).loadText(String.join("\n", lines));
        assertTrue(set.skipped().isEmpty(), () -> "skipped: " + set.skipped());
        return set.rules();
    }

    /** Prefilter scans one match of {@code input} makes, with a matcher of {@code rules} on {@code engine}. */
    static long scans(final List<Rule> rules, final PrefilterEngine engine, final MatchInput input)
    {
        try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            worker.match(input);
            return worker.prefilterScans();
        }
    }

    /** The sids one match of {@code input} reports, with a matcher of {@code rules} on {@code engine}. */
    static Set<Long> sids(final List<Rule> rules, final PrefilterEngine engine, final MatchInput input)
    {
        try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            return sids(worker, input);
        }
    }

    /** The sids {@code worker} reports matching {@code input}. */
    static Set<Long> sids(final RuleMatcher.Worker worker, final MatchInput input)
    {
        final Set<Long> sids = new TreeSet<>();
        for (int i = 0, n = worker.match(input); i < n; i++)
        {
            sids.add(worker.sid(i));
        }
        return sids;
    }

    static synchronized RuleSet etOpen()
    {
        if (null == etOpen)
        {
            try
            {
                etOpen = RuleSetLoader.load(SharedData.resolve("ids-rules/et-open"), Variables.suricataDefaults());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return etOpen;
    }

    /**
     * Every fast pattern of the loaded ET Open rules (negated ones too), one literal per distinct
     * (buffer, bytes, nocase), grouped by buffer ordinal; ids unique across groups.
     */
    static List<List<Literal>> etOpenGroups()
    {
        final List<List<Literal>> groups = new ArrayList<>();
        for (int b = 0; b < Buffer.values().length; b++)
        {
            groups.add(new ArrayList<>());
        }
        final Map<String, Literal> seen = new LinkedHashMap<>();
        for (final Rule rule : etOpen().rules())
        {
            final FastPattern fast = FastPattern.of(rule);
            if (null == fast)
            {
                continue;
            }
            final String key = fast.buffer() + ":" + fast.nocase() + ":" + Arrays.toString(fast.bytes());
            if (!seen.containsKey(key))
            {
                final Literal literal = new Literal(seen.size(), fast.bytes(), fast.nocase());
                seen.put(key, literal);
                groups.get(fast.buffer().ordinal()).add(literal);
            }
        }
        return groups;
    }

    static MemorySegment segment(final String text)
    {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static int fold(final int b)
    {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Every (id, end) of every literal in {@code data}, by plain comparison at each position. */
    static Set<Long> reference(final List<Literal> literals, final byte[] data, final int length)
    {
        final List<List<Literal>> byFirst = new ArrayList<>();
        for (int b = 0; b < 256; b++)
        {
            byFirst.add(new ArrayList<>());
        }
        for (final Literal literal : literals)
        {
            byFirst.get(fold(literal.bytes()[0] & 0xFF)).add(literal);
        }
        final Set<Long> found = new TreeSet<>();
        for (int start = 0; start < length; start++)
        {
            for (final Literal literal : byFirst.get(fold(data[start] & 0xFF)))
            {
                final byte[] p = literal.bytes();
                if (start + p.length > length)
                {
                    continue;
                }
                int j = 0;
                while (j < p.length && (literal.nocase() ? fold(data[start + j] & 0xFF) == fold(p[j] & 0xFF)
                    : data[start + j] == p[j]))
                {
                    j++;
                }
                if (j == p.length)
                {
                    found.add(pair(literal.id(), start + p.length));
                }
            }
        }
        return found;
    }

    static long pair(final int id, final int end)
    {
        return ((long)id << 32) | end;
    }

    /** Scans and collects (id, end) pairs, failing on a pair reported twice. */
    static Set<Long> scan(final PrefilterScanner scanner, final int group, final MemorySegment data)
    {
        final Set<Long> found = new TreeSet<>();
        final List<Long> duplicates = new ArrayList<>();
        final int count = scanner.scan(group, data, (id, end) ->
        {
            if (!found.add(pair(id, end)))
            {
                duplicates.add(pair(id, end));
            }
        });
        assertTrue(duplicates.isEmpty(), () -> "reported twice: " + duplicates);
        assertTrue(count == found.size(), "returned count " + count + " but reported " + found.size());
        return found;
    }

    static Set<Integer> ids(final Set<Long> pairs)
    {
        final Set<Integer> ids = new TreeSet<>();
        for (final long p : pairs)
        {
            ids.add((int)(p >>> 32));
        }
        return ids;
    }
}
