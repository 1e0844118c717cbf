package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The pure-Java {@link Prefilter}: one matcher per group, immutable and shared. Two algorithms, measured
 * against each other on the same literals and payloads (BENCHMARKS.md, section 12): {@link Algorithm#DFA}
 * ({@link AhoCorasick}), the default because it measured faster here, and {@link Algorithm#QGRAM}
 * ({@link QgramFilter}), kept because its tables are a twentieth of the size.
 */
final class JavaPrefilter implements Prefilter
{
    /** System property choosing the algorithm: {@code dfa} (default) or {@code qgram}. */
    static final String ALGORITHM_PROP_NAME = "opensase.ips.java-prefilter";

    /** The algorithms. */
    enum Algorithm
    {
        QGRAM,
        DFA;

        static Algorithm fromSystemProperty()
        {
            return "qgram".equals(System.getProperty(ALGORITHM_PROP_NAME, "dfa")) ? QGRAM : DFA;
        }
    }

    private final Algorithm algorithm;
    private final QgramFilter[] filters;
    private final AhoCorasick[][] automata;
    private final int[] literalCounts;
    private final int idLimit;
    private final boolean singleMatch;
    private final String note;

    private JavaPrefilter(
        final Algorithm algorithm,
        final QgramFilter[] filters,
        final AhoCorasick[][] automata,
        final int[] literalCounts,
        final int idLimit,
        final boolean singleMatch,
        final String note)
    {
        this.algorithm = algorithm;
        this.filters = filters;
        this.automata = automata;
        this.literalCounts = literalCounts;
        this.idLimit = idLimit;
        this.singleMatch = singleMatch;
        this.note = note;
    }

    /** @param note why this engine runs when another was possible (appended to the description), or null. */
    static JavaPrefilter compile(
        final List<List<Literal>> groups,
        final boolean singleMatch,
        final String note,
        final Algorithm algorithm)
    {
        final QgramFilter[] filters = new QgramFilter[groups.size()];
        final AhoCorasick[][] automata = new AhoCorasick[groups.size()][];
        final int[] counts = new int[groups.size()];
        int idLimit = 0;
        for (int g = 0; g < groups.size(); g++)
        {
            final List<Literal> literals = groups.get(g);
            counts[g] = literals.size();
            for (final Literal literal : literals)
            {
                idLimit = Math.max(idLimit, literal.id() + 1);
            }
            if (!literals.isEmpty())
            {
                if (algorithm == Algorithm.DFA)
                {
                    automata[g] = AhoCorasick.buildAll(literals).toArray(AhoCorasick[]::new);
                }
                else
                {
                    filters[g] = QgramFilter.build(literals);
                }
            }
        }
        return new JavaPrefilter(algorithm, filters, automata, counts, idLimit, singleMatch, note);
    }

    @Override
    public PrefilterEngine engine()
    {
        return PrefilterEngine.JAVA;
    }

    @Override
    public String description()
    {
        int literals = 0;
        int used = 0;
        long bytes = 0;
        for (int g = 0; g < literalCounts.length; g++)
        {
            literals += literalCounts[g];
            if (null != filters[g])
            {
                used++;
                bytes += filters[g].memoryBytes();
            }
            if (null != automata[g])
            {
                used++;
                for (final AhoCorasick automaton : automata[g])
                {
                    bytes += automaton.memoryBytes();
                }
            }
        }
        return String.format(Locale.ROOT, "java %s, %d literals in %d groups, %.1f MB%s",
            algorithm == Algorithm.DFA ? "aho-corasick dfa" : "q-gram filter", literals, used, bytes / 1e6,
            null == note ? "" : " (" + note + ")");
    }

    Algorithm algorithm()
    {
        return algorithm;
    }

    @Override
    public int groupCount()
    {
        return literalCounts.length;
    }

    @Override
    public int literalCount(final int group)
    {
        return literalCounts[group];
    }

    @Override
    public int idLimit()
    {
        return idLimit;
    }

    @Override
    public boolean singleMatch()
    {
        return singleMatch;
    }

    @Override
    public PrefilterScanner newScanner()
    {
        return new Scanner();
    }

    @Override
    public void close()
    {
    }

    /** Per-thread state: the stamps that suppress repeated literals in single-match mode. */
    private final class Scanner implements PrefilterScanner
    {
        private final int[] seen = singleMatch ? new int[idLimit] : null;
        /** The copy of the bytes scanned: raw for the DFA (see {@link AhoCorasick#scan}), folded for q-grams. */
        private byte[] text = new byte[64 * 1024];
        private int[] candidates = new int[64 * 1024];
        private final QgramFilter.Live[] live = new QgramFilter.Live[filters.length];
        private int stamp;
        private long scans;

        @Override
        public int scan(final int group, final MemorySegment data, final long offset, final int length,
            final MatchSink sink)
        {
            final QgramFilter filter = filters[group];
            final AhoCorasick[] parts = automata[group];
            if ((null == filter && null == parts) || length <= 0)
            {
                return 0;
            }
            scans++;
            if (null != seen && ++stamp == 0)
            {
                Arrays.fill(seen, 0);
                stamp = 1;
            }
            if (null == filter)
            {
                if (text.length < length)
                {
                    text = new byte[Math.max(length, 2 * text.length)];
                }
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, text, 0, length);
                int found = 0;
                for (final AhoCorasick automaton : parts)
                {
                    found += automaton.scan(text, length, sink, seen, stamp);
                }
                return found;
            }
            if (text.length < length + 8)
            {
                text = new byte[Math.max(length + 8, 2 * text.length)];
                candidates = new int[text.length];
            }
            QgramFilter.foldInto(data, offset, length, text);
            if (null != seen && null == live[group])
            {
                live[group] = filter.newLive();
            }
            return filter.scan(text, length, data, offset, sink, seen, stamp, live[group], candidates);
        }

        @Override
        public long scans()
        {
            return scans;
        }

        @Override
        public void close()
        {
        }
    }
}
