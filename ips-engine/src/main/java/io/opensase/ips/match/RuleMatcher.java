package io.opensase.ips.match;

import io.opensase.ips.dataset.DatasetException;
import io.opensase.ips.dataset.Datasets;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.Condition;
import io.opensase.ips.rules.Keyword;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.SkipReason;
import io.opensase.ips.rules.SkippedRule;
import io.opensase.ips.rules.StateOp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Matches rules against buffers: a prefilter of one literal per rule (its {@link FastPattern}) picks the
 * candidate rules, verification checks each candidate's keywords on the buffers and packet facts, and a
 * second phase ({@link PostMatch}) applies the rules' flow and host state ({@code flowbits}, {@code xbits})
 * and their rate filters ({@code threshold}, {@code detection_filter}, {@code noalert}) in evaluation order
 * ({@link EvaluationOrder}). Compiled once and shared; each thread matches through its own {@link Worker},
 * which keeps the flowbits of its flows; host-scoped state is shared by all workers in a lock-free
 * {@link HostTable}.
 * <p>
 * Only rules the matcher enforces completely are compiled ({@link #enforced()}); a rule using a keyword
 * marked {@link Keyword.Enforcer#NOT_YET} is listed in {@link #notEnforced()} with those keywords and is
 * never reported. The rule header (protocol, addresses, ports, direction) is not tested here: the caller
 * hands only the rules whose header the packet fits, or refuses the others through a {@link RuleFilter}.
 */
public final class RuleMatcher implements AutoCloseable
{
    /** Default cap on the bytes a pcre sees of its subject (see {@link Inspector}). */
    public static final int DEFAULT_PCRE_SUBJECT_LIMIT = 64 * 1024;
    /**
     * Characters the pcres of one rule's inspection of one buffer may read between them; a match that would
     * read more is aborted and the rule does not hold (see {@link Inspector}).
     */
    public static final long PCRE_STEP_BUDGET = 1 << 20;
    /** Flow handles a worker keeps flowbits for, unless {@link #newWorker(int)} says otherwise. */
    public static final int DEFAULT_WORKER_FLOWS = 1 << 16;
    /** Entries of the shared host table (xbits, threshold counters), unless compiled with another size. */
    public static final int DEFAULT_HOST_ENTRIES = 1 << 16;
    /**
     * Distinct flowbit names a rule set may use: at most 16 longs of bits per flow. The rules using a name past
     * this many (in evaluation order) are skipped ({@link #limitSkipped()}), not the rule set.
     */
    public static final int MAX_FLOWBITS = 1024;
    /**
     * Keywords one inspection of one buffer may chain (with a {@code base64_data} inspection's added): the
     * verifier takes a stack frame pair per keyword, and about 2,500 overflowed a worker's stack. ET Open's
     * longest chain is 18. A rule with a longer chain is skipped alone ({@link #limitSkipped()}).
     */
    public static final int MAX_BUFFER_KEYWORDS = 256;
    /**
     * Longest literal put into the prefilter: a longer fast pattern is put in by its first this many bytes,
     * which verification then checks in full. Hyperscan refused a literal of 8,000 bytes, and with it the set;
     * a short bound also bounds what a stream window's scan reaches back before its new bytes
     * ({@link StreamLiterals}). 64 bytes select as well as the whole: 212 of the 4,547 ET Open rules with a
     * content have one longer.
     */
    public static final int MAX_PREFILTER_LITERAL = 64;

    private static final Buffer[] BUFFERS = Buffer.values();
    /**
     * The prefilter group after the buffers' own: the payload literals of the rules that inspect packets, not
     * streams ({@link PayloadScope}), and may be TCP, scanned instead of the payload's group when a TCP
     * payload went into its flow's stream ({@link MatchInput#payloadInStream}), where the stream rules see it;
     * and only when one of those rules can hold on the packet ({@link PacketRuleGate}).
     */
    static final int PACKET_PAYLOAD_GROUP = BUFFERS.length;
    private static final int PAYLOAD = Buffer.PAYLOAD.ordinal();
    /**
     * Groups after {@link #PACKET_PAYLOAD_GROUP}, each the literals of buffers that often hold the same bytes:
     * an HTTP body is {@code file.data} too, and a header that needed no normalising is its raw lines again.
     * A request's body and a response's have a group each, so that neither is scanned for the other's
     * literals (ET Open: 324 request body literals, 24 response body ones, 461 of {@code file.data}).
     */
    private static final Buffer[][] MERGED_GROUPS = {
        {Buffer.FILE_DATA, Buffer.HTTP_REQUEST_BODY},
        {Buffer.FILE_DATA, Buffer.HTTP_RESPONSE_BODY},
        {Buffer.HTTP_HEADER, Buffer.HTTP_HEADER_RAW}};
    private static final int FIRST_MERGED_GROUP = PACKET_PAYLOAD_GROUP + 1;
    /**
     * The payload group's literals for an input going to the server, and for one going to the client: without
     * those of the rules that need the other direction. Stream windows to the client carry most payload bytes
     * (92 % on the shared captures), and ET Open's payload rules mostly inspect what goes to the server, so
     * that the group for payloads going to the client holds about a third of the literals (187 of 502).
     * Suricata splits its rule groups by direction too. An input with no direction (a packet without a flow)
     * is scanned with the whole payload group.
     */
    static final int PAYLOAD_TO_SERVER_GROUP = FIRST_MERGED_GROUP + MERGED_GROUPS.length;
    static final int PAYLOAD_TO_CLIENT_GROUP = PAYLOAD_TO_SERVER_GROUP + 1;
    /**
     * Pairs of buffer ordinals and the merged group holding both: when both have one value, the same bytes,
     * they are scanned once with it (the pair's buffers marked done, so a buffer in two pairs is scanned with
     * the first that holds).
     */
    private static final int[][] SAME_BYTES = {
        {Buffer.FILE_DATA.ordinal(), Buffer.HTTP_REQUEST_BODY.ordinal(), FIRST_MERGED_GROUP},
        {Buffer.FILE_DATA.ordinal(), Buffer.HTTP_RESPONSE_BODY.ordinal(), FIRST_MERGED_GROUP + 1},
        {Buffer.HTTP_HEADER.ordinal(), Buffer.HTTP_HEADER_RAW.ordinal(), FIRST_MERGED_GROUP + 2}};

    private final List<CompiledRule> rules;
    private final Map<Rule, Set<Keyword>> notEnforced;
    private final List<SkippedRule> limitSkipped;
    private final int loaded;
    private final Prefilter prefilter;
    private final int[][] literalRules;
    /** Sorted: the evaluation order. */
    private final int[] alwaysRules;
    /** {@link #alwaysRules} by the ports their headers name. */
    private final PortIndexedRules alwaysByPort;
    /** Bit b set when the prefilter has literals for buffer ordinal b. */
    private final long scannedBuffers;
    /** Bit b set when an enforced rule inspects buffer ordinal b. */
    private final long inspectedBuffers;
    /** True when {@link #PACKET_PAYLOAD_GROUP} has literals. */
    private final boolean packetPayloadLiterals;
    /** The rules whose literals are {@link #PACKET_PAYLOAD_GROUP}'s: whether a packet can hold any of them. */
    private final PacketRuleGate packetRules;
    /** The prefilter groups of payload literals bound to ports, after the others. */
    private final PayloadPortGroups payloadPortGroups;
    /** Per rule, the few ports it is bound to; null for a rule on any port. */
    private final PortIndexedRules.BoundPorts[] boundPorts;
    /** The longest payload literal less one: how far a stream window's scan starts before its new bytes. */
    private final int payloadLookback;
    /**
     * Per prefilter group, its shortest literal's length: a shorter value (a method, a status code) cannot hold
     * one, and is not handed to the engine, whose every call costs about 0.1 us through FFM with Hyperscan.
     */
    private final int[] shortestLiteral;
    private final int pcreSlots;
    private final int pcreSubjectLimit;
    private final long compileNanos;
    private final int flowbitCount;
    private final HostTable hosts;
    /** The registry this matcher made for itself (closed with it), or null when the caller gave one. */
    private final Datasets ownDatasets;

    private RuleMatcher(
        final List<CompiledRule> rules,
        final Map<Rule, Set<Keyword>> notEnforced,
        final List<SkippedRule> limitSkipped,
        final int loaded,
        final Prefilter prefilter,
        final int[][] literalRules,
        final int[] alwaysRules,
        final List<CompiledRule> packetPayloadRules,
        final PayloadPortGroups payloadPortGroups,
        final int payloadLookback,
        final int[] shortestLiteral,
        final int pcreSlots,
        final int pcreSubjectLimit,
        final long compileNanos,
        final int flowbitCount,
        final HostTable hosts,
        final Datasets ownDatasets)
    {
        this.rules = rules;
        this.notEnforced = notEnforced;
        this.limitSkipped = limitSkipped;
        this.loaded = loaded;
        this.prefilter = prefilter;
        this.literalRules = literalRules;
        this.alwaysRules = alwaysRules;
        this.alwaysByPort = new PortIndexedRules(rules, alwaysRules);
        this.packetPayloadLiterals = prefilter.literalCount(PACKET_PAYLOAD_GROUP) > 0;
        this.packetRules = new PacketRuleGate(packetPayloadRules);
        this.payloadPortGroups = payloadPortGroups;
        this.boundPorts = rules.stream().map(r -> PortIndexedRules.boundPorts(r.rule.header()))
            .toArray(PortIndexedRules.BoundPorts[]::new);
        this.payloadLookback = payloadLookback;
        this.inspectedBuffers = rules.stream().flatMap(r -> r.rule.inspections().stream())
            .mapToLong(i -> 1L << i.buffer().ordinal()).reduce(0, (x, y) -> x | y);
        this.shortestLiteral = shortestLiteral;
        this.scannedBuffers = IntStream.range(0, BUFFERS.length)
            .filter(b -> prefilter.literalCount(b) > 0 || PAYLOAD == b && payloadPortGroups.count() > 0)
            .mapToLong(b -> 1L << b).reduce(0, (x, y) -> x | y);
        this.pcreSlots = pcreSlots;
        this.pcreSubjectLimit = pcreSubjectLimit;
        this.compileNanos = compileNanos;
        this.flowbitCount = flowbitCount;
        this.hosts = hosts;
        this.ownDatasets = ownDatasets;
    }

    /**
     * True when an enforced rule inspects {@code buffer}: a caller may leave out building a buffer no rule
     * reads (such as splitting a header block into {@code http.request_header} lines).
     */
    public boolean inspects(final Buffer buffer)
    {
        return (inspectedBuffers & 1L << buffer.ordinal()) != 0;
    }

    /** Compiles {@code rules} with the engine {@link PrefilterEngine#fromSystemProperty()} names. */
    public static RuleMatcher compile(final List<Rule> rules)
    {
        return compile(rules, PrefilterEngine.fromSystemProperty(), DEFAULT_PCRE_SUBJECT_LIMIT);
    }

    /**
     * Compiles {@code rules} (for instance {@code RuleSet.rules()}) off the packet path.
     *
     * @param engine           the prefilter engine; {@link PrefilterEngine#HYPERSCAN} fails when Hyperscan
     *                         does not load.
     * @param pcreSubjectLimit bytes of a subject a pcre sees at most.
     * @throws HyperscanLibrary.Unavailable when Hyperscan was asked for and cannot run.
     */
    public static RuleMatcher compile(final List<Rule> rules, final PrefilterEngine engine, final int pcreSubjectLimit)
    {
        return compile(rules, engine, pcreSubjectLimit, DEFAULT_HOST_ENTRIES);
    }

    /**
     * As {@link #compile(List, PrefilterEngine, int)}, with a host table of {@code hostEntries} entries
     * (rounded up to a power of two, 64 bytes each): one per host or host pair and xbit name, and one per rule
     * and tracked address for thresholds.
     */
    public static RuleMatcher compile(
        final List<Rule> rules,
        final PrefilterEngine engine,
        final int pcreSubjectLimit,
        final int hostEntries)
    {
        return compile(rules, pcreSubjectLimit, hostEntries,
            groups -> Prefilters.compile(groups, engine, true, HyperscanLibrary::system));
    }

    /**
     * As {@link #compile(List, PrefilterEngine, int)}, with the sets of {@code dataset} keywords opened in
     * {@code datasets} (the registry the rules were loaded with, see
     * {@link io.opensase.ips.rules.RuleSetLoader}), so that they are shared with every other matcher compiled
     * with it and outlive this one. The other {@code compile} methods give the matcher a registry of its own,
     * without a data directory, closed with it.
     */
    public static RuleMatcher compile(
        final List<Rule> rules,
        final PrefilterEngine engine,
        final int pcreSubjectLimit,
        final Datasets datasets)
    {
        return compile(rules, engine, pcreSubjectLimit, DEFAULT_HOST_ENTRIES, datasets);
    }

    /**
     * The host table of {@link #compile(List, PrefilterEngine, int, int)} and the registry of
     * {@link #compile(List, PrefilterEngine, int, Datasets)} together.
     */
    public static RuleMatcher compile(
        final List<Rule> rules,
        final PrefilterEngine engine,
        final int pcreSubjectLimit,
        final int hostEntries,
        final Datasets datasets)
    {
        return compile(rules, pcreSubjectLimit, hostEntries,
            groups -> Prefilters.compile(groups, engine, true, HyperscanLibrary::system), datasets);
    }

    /** As {@link #compile(List, PrefilterEngine, int)}, with Hyperscan loaded by {@code hyperscan}. */
    static RuleMatcher compile(
        final List<Rule> rules,
        final PrefilterEngine engine,
        final int pcreSubjectLimit,
        final Supplier<HyperscanLibrary> hyperscan)
    {
        return compile(rules, pcreSubjectLimit, DEFAULT_HOST_ENTRIES,
            groups -> Prefilters.compile(groups, engine, true, hyperscan));
    }

    /** As below, with a registry of the matcher's own. */
    static RuleMatcher compile(
        final List<Rule> rules,
        final int pcreSubjectLimit,
        final int hostEntries,
        final Function<List<List<Literal>>, Prefilter> prefilters)
    {
        return compile(rules, pcreSubjectLimit, hostEntries, prefilters, null);
    }

    /**
     * As {@link #compile(List, PrefilterEngine, int)}, with the prefilter built by {@code prefilters} from the
     * literal groups (one per buffer ordinal); it must be single-match.
     */
    static RuleMatcher compile(
        final List<Rule> rules,
        final int pcreSubjectLimit,
        final int hostEntries,
        final Function<List<List<Literal>>, Prefilter> prefilters,
        final Datasets datasets)
    {
        final long start = System.nanoTime();
        final Datasets ownDatasets = null == datasets ? new Datasets(null) : null;
        final Datasets sets = null == datasets ? ownDatasets : datasets;
        final List<Rule> enforced = new ArrayList<>();
        final Map<Rule, Set<Keyword>> skipped = new LinkedHashMap<>();
        for (final Rule rule : rules)
        {
            final Set<Keyword> missing = RuleKeywords.notEnforced(rule);
            if (missing.isEmpty())
            {
                enforced.add(rule);
            }
            else
            {
                skipped.put(rule, Collections.unmodifiableSet(missing));
            }
        }
        // Indexes are evaluation ranks, so candidates sorted by index are in evaluation order.
        enforced.sort(EvaluationOrder.COMPARATOR);
        final List<SkippedRule> limitSkipped = skipPastKeywordLimit(enforced);
        limitSkipped.addAll(skipPastFlowbitLimit(enforced));
        final Map<String, Integer> flowbits = new HashMap<>();
        final Map<String, Integer> xbits = new HashMap<>();
        for (final Rule rule : enforced)
        {
            for (final StateOp op : rule.stateOps())
            {
                switch (op)
                {
                    case StateOp.Flowbit f -> f.names().forEach(n -> flowbits.putIfAbsent(n, flowbits.size()));
                    case StateOp.Xbit x -> xbits.putIfAbsent(x.name(), xbits.size());
                }
            }
        }
        final List<CompiledRule> compiled = new ArrayList<>();
        final int[] slots = {0};
        for (final Rule rule : enforced)
        {
            try
            {
                compiled.add(CompiledRule.compile(rule, compiled.size(), slots, flowbits, xbits, sets));
            }
            catch (final DatasetException ex)
            {
                // Loading with the same registry skips such rules with the reason; here it is the keyword.
                skipped.put(rule, Set.of(Keyword.DATASET));
            }
        }

        // One literal per distinct (buffer, bytes, nocase); each literal lists the rules it stands for.
        final List<List<Literal>> groups = new ArrayList<>();
        for (int g = 0; g <= PAYLOAD_TO_CLIENT_GROUP; g++)
        {
            groups.add(new ArrayList<>());
        }
        final Set<Integer> packetPayloadIds = new HashSet<>();
        final List<CompiledRule> packetPayloadRules = new ArrayList<>();
        // Payload literals go to the payload group, or to their rules' ports' groups when no rule on any port
        // needs them (PayloadPortGroups).
        final List<Literal> payloadLiterals = new ArrayList<>();
        final Set<Integer> anyPortPayloadIds = new HashSet<>();
        final Map<Integer, SortedSet<Integer>> payloadPorts = new HashMap<>();
        final Map<String, Integer> ids = new LinkedHashMap<>();
        final List<List<Integer>> byLiteral = new ArrayList<>();
        final List<Integer> always = new ArrayList<>();
        for (final CompiledRule rule : compiled)
        {
            final FastPattern fast = FastPattern.of(rule.rule);
            if (null == fast || !fast.prefilters())
            {
                always.add(rule.index);
                continue;
            }
            final byte[] literal = fast.bytes().length > MAX_PREFILTER_LITERAL
                ? Arrays.copyOf(fast.bytes(), MAX_PREFILTER_LITERAL) : fast.bytes();
            final String key = fast.buffer().ordinal() + ":" + fast.nocase() + ":" + Arrays.toString(literal);
            Integer id = ids.get(key);
            if (null == id)
            {
                id = ids.size();
                ids.put(key, id);
                byLiteral.add(new ArrayList<>());
                final Literal made = new Literal(id, literal, fast.nocase());
                if (fast.buffer() == Buffer.PAYLOAD)
                {
                    payloadLiterals.add(made);
                }
                else
                {
                    groups.get(fast.buffer().ordinal()).add(made);
                }
            }
            byLiteral.get(id).add(rule.index);
            if (fast.buffer() == Buffer.PAYLOAD)
            {
                final PortIndexedRules.BoundPorts bound = PortIndexedRules.boundPorts(rule.rule.header());
                if (null == bound)
                {
                    anyPortPayloadIds.add(id);
                }
                else
                {
                    final SortedSet<Integer> keys = payloadPorts.computeIfAbsent(id, i -> new TreeSet<>());
                    Arrays.stream(bound.ports()).forEach(port -> keys.add(PayloadPortGroups.key(bound, port)));
                }
            }
            // That group is scanned on TCP packets alone: a UDP or ICMP rule's literal there would only slow it.
            if (fast.buffer() == Buffer.PAYLOAD && !PayloadScope.inspectsStream(rule.rule)
                && rule.rule.header().protocol().mayBeTcp())
            {
                packetPayloadRules.add(rule);
                if (packetPayloadIds.add(id))
                {
                    groups.get(PACKET_PAYLOAD_GROUP).add(new Literal(id, literal, fast.nocase()));
                }
            }
        }
        for (int m = 0; m < MERGED_GROUPS.length; m++)
        {
            for (final Buffer buffer : MERGED_GROUPS[m])
            {
                groups.get(FIRST_MERGED_GROUP + m).addAll(groups.get(buffer.ordinal()));
            }
        }
        final Map<Literal, SortedSet<Integer>> portBound = new LinkedHashMap<>();
        for (final Literal literal : payloadLiterals)
        {
            if (anyPortPayloadIds.contains(literal.id()))
            {
                groups.get(PAYLOAD).add(literal);
                final int needs = commonFlowNeeds(byLiteral.get(literal.id()), compiled);
                if (0 == (needs & FlowFacts.TO_CLIENT))
                {
                    groups.get(PAYLOAD_TO_SERVER_GROUP).add(literal);
                }
                if (0 == (needs & FlowFacts.TO_SERVER))
                {
                    groups.get(PAYLOAD_TO_CLIENT_GROUP).add(literal);
                }
            }
            else
            {
                portBound.put(literal, payloadPorts.get(literal.id()));
            }
        }
        final PayloadPortGroups payloadPortGroups = PayloadPortGroups.add(portBound, groups);
        final int[][] literalRules = new int[byLiteral.size()][];
        for (int i = 0; i < literalRules.length; i++)
        {
            literalRules[i] = byLiteral.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        final Prefilter prefilter = prefilters.apply(groups);
        return new RuleMatcher(List.copyOf(compiled), Collections.unmodifiableMap(skipped), limitSkipped,
            rules.size(), prefilter,
            literalRules, always.stream().mapToInt(Integer::intValue).toArray(), packetPayloadRules,
            payloadPortGroups, payloadLiterals.stream().mapToInt(l -> l.bytes().length - 1).max().orElse(0),
            groups.stream().mapToInt(g -> g.stream().mapToInt(l -> l.bytes().length).min().orElse(Integer.MAX_VALUE))
                .toArray(), slots[0],
            pcreSubjectLimit,
            System.nanoTime() - start, flowbits.size(), new HostTable(hostEntries), ownDatasets);
    }

    /**
     * Removes from {@code enforced} every rule with an inspection chaining more than {@link #MAX_BUFFER_KEYWORDS}
     * keywords, and returns them with where they are and why.
     */
    private static List<SkippedRule> skipPastKeywordLimit(final List<Rule> enforced)
    {
        final List<SkippedRule> dropped = new ArrayList<>();
        enforced.removeIf(rule ->
        {
            int longest = 0;
            int decoded = 0;
            for (final BufferInspection inspection : rule.inspections())
            {
                if (inspection.buffer() == Buffer.BASE64_DATA)
                {
                    decoded = inspection.matches().size();
                }
                else
                {
                    longest = Math.max(longest, inspection.matches().size());
                }
            }
            if (longest + decoded <= MAX_BUFFER_KEYWORDS)
            {
                return false;
            }
            dropped.add(new SkippedRule(rule.origin(), rule.text(), new SkipReason(SkipReason.Category.MATCHER_LIMIT,
                "keywords per buffer", (longest + decoded) + " keywords chained on one buffer; at most "
                + MAX_BUFFER_KEYWORDS)));
            return true;
        });
        return dropped;
    }

    /**
     * Removes from {@code enforced} (in evaluation order) every rule using a flowbit name past the first
     * {@link #MAX_FLOWBITS} names, and returns them with where they are and why.
     */
    private static List<SkippedRule> skipPastFlowbitLimit(final List<Rule> enforced)
    {
        final Map<String, Integer> names = new HashMap<>();
        for (final Rule rule : enforced)
        {
            for (final StateOp op : rule.stateOps())
            {
                if (op instanceof StateOp.Flowbit f)
                {
                    f.names().forEach(n -> names.putIfAbsent(n, names.size()));
                }
            }
        }
        final List<SkippedRule> dropped = new ArrayList<>();
        if (names.size() <= MAX_FLOWBITS)
        {
            return dropped;
        }
        enforced.removeIf(rule ->
        {
            for (final StateOp op : rule.stateOps())
            {
                if (op instanceof StateOp.Flowbit f)
                {
                    for (final String name : f.names())
                    {
                        if (names.get(name) >= MAX_FLOWBITS)
                        {
                            dropped.add(new SkippedRule(rule.origin(), rule.text(), new SkipReason(
                                SkipReason.Category.MATCHER_LIMIT, "flowbits", "flowbit name '" + name
                                + "' is past the " + MAX_FLOWBITS + " distinct names a rule set may use")));
                            return true;
                        }
                    }
                }
            }
            return false;
        });
        return dropped;
    }

    /**
     * Rules loaded but skipped for a limit of the matcher (flowbit names past {@link #MAX_FLOWBITS}, keyword
     * chains past {@link #MAX_BUFFER_KEYWORDS}), each
     * with its file, line and why; the load report lists them with the loader's skipped rules.
     */
    public List<SkippedRule> limitSkipped()
    {
        return limitSkipped;
    }

    /** The rules this matcher enforces and can report, in evaluation order: a worker's rule indexes. */
    public List<Rule> enforced()
    {
        final List<Rule> list = new ArrayList<>(rules.size());
        for (final CompiledRule rule : rules)
        {
            list.add(rule.rule);
        }
        return list;
    }

    /** The rules it leaves out, each with the keywords nothing enforces yet. */
    public Map<Rule, Set<Keyword>> notEnforced()
    {
        return notEnforced;
    }

    /** The prefilter engine in use. */
    public PrefilterEngine engine()
    {
        return prefilter.engine();
    }

    /** The prefilter, for its description and statistics. */
    public Prefilter prefilter()
    {
        return prefilter;
    }

    /**
     * Rules without a literal the prefilter can stand in for: checked on every input whose ports their
     * headers admit (every input without ports).
     */
    public int unprefilteredRules()
    {
        return alwaysRules.length;
    }

    /**
     * The line the IPS stage logs when it starts: the prefilter engine and version, the rules enforced of
     * those loaded, and why the others are not, e.g.
     * <pre>
     * ips matcher: prefilter hyperscan 5.4.0 2021-01-26 (libhs.so.5), 3851 literals in 27 block-mode
     * databases, 2.4 MB; 4392 of 4392 loaded rules enforced (25 without a prefilter literal), 0 not yet;
     * compiled in 1864 ms
     * </pre>
     */
    public String startLine()
    {
        final Map<Keyword, Integer> reasons = new TreeMap<>();
        for (final Set<Keyword> missing : notEnforced.values())
        {
            for (final Keyword keyword : missing)
            {
                reasons.merge(keyword, 1, Integer::sum);
            }
        }
        final StringBuilder why = new StringBuilder();
        reasons.entrySet().stream()
            .sorted((a, b) -> b.getValue() - a.getValue())
            .forEach(e -> why.append(why.isEmpty() ? "" : ", ").append(e.getKey().ruleName()).append(' ')
                .append(e.getValue()));
        return String.format(Locale.ROOT,
            "ips matcher: prefilter %s; %d of %d loaded rules enforced (%d without a prefilter literal), "
                + "%d not yet%s%s; compiled in %d ms",
            prefilter.description(), rules.size(), loaded, alwaysRules.length, notEnforced.size(),
            why.isEmpty() ? "" : ": " + why,
            limitSkipped.isEmpty() ? "" : ", " + limitSkipped.size() + " skipped past a matcher limit",
            compileNanos / 1_000_000);
    }

    /** Distinct flowbit names of the enforced rules: bits kept per flow. */
    public int flowbitCount()
    {
        return flowbitCount;
    }

    /** Entries of the host table shared by the workers (xbits, threshold counters). */
    public int hostTableCapacity()
    {
        return hosts.capacity();
    }

    /** A worker for the calling thread with flowbits for {@value #DEFAULT_WORKER_FLOWS} flow handles. */
    public Worker newWorker()
    {
        return newWorker(DEFAULT_WORKER_FLOWS);
    }

    /**
     * A worker for the calling thread; close it when the thread is done.
     *
     * @param flows flow handles 0..flows-1 it keeps flowbits for (the thread's flow table slots); each
     *              takes {@link #flowbitCount()} bits.
     */
    public Worker newWorker(final int flows)
    {
        return new Worker(flows);
    }

    /** Frees the prefilter's native memory and its own datasets; workers must be closed first. */
    @Override
    public void close()
    {
        prefilter.close();
        if (null != ownDatasets)
        {
            try
            {
                ownDatasets.close();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /**
     * One thread's matching state: a prefilter scanner, the candidate list, pcre matchers, the flowbits of
     * its flows, the results of the last match. Nothing on its scan, candidate and post-match path
     * allocates; verification allocates only what {@code java.util.regex} does inside a pcre.
     */
    public final class Worker implements AutoCloseable
    {
        private final PrefilterScanner scanner = prefilter.newScanner();
        /** Prefilter callback: the rules whose fast pattern the literal found is become candidates. */
        private final MatchSink candidatesOf = (literalId, end) ->
        {
            for (final int rule : literalRules[literalId])
            {
                addCandidate(rule);
            }
        };
        /** During a stream window's scan: where what it finds is kept, for which direction, up to which offset. */
        private StreamLiterals windowLiterals;
        private int windowDirection;
        private long windowEnd;
        /** {@link #candidatesOf} for a stream window's scan, also keeping what it finds for the next window. */
        private final MatchSink keepingCandidates = (literalId, end) ->
        {
            candidatesOf.onMatch(literalId, end);
            windowLiterals.found(windowDirection, literalId, windowEnd);
        };
        private final IntConsumer addAlways = this::addCandidate;
        private final Inspector inspector = new Inspector(rules, pcreSlots, pcreSubjectLimit, PCRE_STEP_BUDGET);
        private final int[] stamps = new int[rules.size()];
        private final int[] candidates = new int[rules.size()];
        /** Rule indexes whose keywords held in the last match, ascending. */
        private final int[] held = new int[rules.size()];
        private final PostMatch post;
        private int stamp;
        private int candidateCount;
        private int matchedCount;
        private long candidatesChecked;
        private long streamBytesReused;

        private Worker(final int flows)
        {
            post = new PostMatch(new FlowBits(flows, flowbitCount), hosts, rules.size());
        }

        /** {@link #match(MatchInput, RuleFilter)} for a caller whose every rule fits the packet's header. */
        public int match(final MatchInput input)
        {
            return match(input, RuleFilter.ALL);
        }

        /**
         * Matches every enforced rule against {@code input}: the prefilter picks the candidates; those
         * {@code admitted} refuses are left out before their keywords run (the caller's header test and its own
         * reasons why a rule is not for this input, such as another phase of an application message), so that
         * they cost no verification and neither their keywords' side effects ({@code dataset:set}) nor their
         * state updates happen; the rest are verified, then the second phase (see {@link PostMatch}) runs on
         * the verified rules in evaluation order: {@code flowbits}/{@code xbits} tests, their updates,
         * {@code noalert}, {@code threshold} and {@code detection_filter}. {@code admitted} must not allocate.
         *
         * @return the number of rules that matched and whose action applies; read them with
         *         {@link #rule(int)}, {@link #sid(int)}, {@link #matchedIndex(int)} and {@link #alerts(int)},
         *         in evaluation order, until the next call.
         */
        public int match(final MatchInput input, final RuleFilter admitted)
        {
            nextStamp();
            candidateCount = 0;
            long toScan = input.present & scannedBuffers;
            for (final int[] pair : SAME_BYTES)
            {
                final int a = pair[0];
                final int b = pair[1];
                if ((toScan & (1L << a)) != 0 && (toScan & (1L << b)) != 0 && input.sameBytes(a, b))
                {
                    scan(pair[2], input.values[a][0], input.offsets[a][0], input.lengths[a][0], candidatesOf);
                    toScan &= ~(1L << a | 1L << b);
                }
            }
            for (long bits = toScan; bits != 0; bits &= bits - 1)
            {
                final int b = Long.numberOfTrailingZeros(bits);
                int group = b;
                if (PAYLOAD == b && null != input.streamLiterals)
                {
                    scanStreamWindow(input);
                    continue;
                }
                if (PAYLOAD == b && input.payloadInStream)
                {
                    if (!packetPayloadLiterals || !packetRules.mayHold(input))
                    {
                        continue;
                    }
                    group = PACKET_PAYLOAD_GROUP;
                }
                final boolean payload = PAYLOAD == group;
                if (payload)
                {
                    group = payloadGroup(input);
                }
                final MemorySegment[] values = input.values[b];
                final long[] offsets = input.offsets[b];
                final int[] lengths = input.lengths[b];
                for (int v = 0, n = input.counts[b]; v < n; v++)
                {
                    scan(group, values[v], offsets[v], lengths[v], candidatesOf);
                    if (payload)
                    {
                        scanPortGroups(input, values[v], offsets[v], lengths[v], candidatesOf);
                    }
                }
            }
            // With the rules the prefilter cannot stand in for whose ports may hold, sorted: verified in
            // evaluation order.
            alwaysByPort.select(input, addAlways);
            sort(candidates, candidateCount);
            candidatesChecked += candidateCount;
            int n = 0;
            for (int c = 0; c < candidateCount; c++)
            {
                final int next = candidates[c];
                if (!admitted.admits(next))
                {
                    continue;
                }
                final CompiledRule rule = rules.get(next);
                if (verify(rule, input))
                {
                    held[n++] = rule.index;
                }
            }
            matchedCount = post.run(rules, held, n, input);
            return matchedCount;
        }

        /** Scans a value for the literals of {@code group}, unless it is shorter than all of them. */
        private void scan(final int group, final MemorySegment value, final long offset, final int length,
            final MatchSink sink)
        {
            if (length >= shortestLiteral[group])
            {
                scanner.scan(group, value, offset, length, sink);
            }
        }

        /** The payload's prefilter group for the input's direction ({@link #PAYLOAD_TO_SERVER_GROUP}). */
        private int payloadGroup(final MatchInput input)
        {
            if (0 != (input.flowFacts & FlowFacts.TO_SERVER))
            {
                return PAYLOAD_TO_SERVER_GROUP;
            }
            return 0 != (input.flowFacts & FlowFacts.TO_CLIENT) ? PAYLOAD_TO_CLIENT_GROUP : PAYLOAD;
        }

        /** The port groups {@link #scanPortGroups} scans {@code input} with, as one number. */
        private long portGroupsKey(final MatchInput input)
        {
            if (!input.hasPorts)
            {
                return -1;
            }
            return (long)payloadPortGroups.ofSourcePort(input.srcPort) << 32
                | payloadPortGroups.ofDestinationPort(input.dstPort) & 0xFFFF_FFFFL;
        }

        /**
         * Scans a payload for the literals bound to its source port and to its destination port
         * ({@link PayloadPortGroups}); an input without ports holds no rule bound to ports.
         */
        private void scanPortGroups(final MatchInput input, final MemorySegment value, final long offset,
            final int length, final MatchSink sink)
        {
            if (!input.hasPorts)
            {
                return;
            }
            final int source = payloadPortGroups.ofSourcePort(input.srcPort);
            final int destination = payloadPortGroups.ofDestinationPort(input.dstPort);
            if (source >= 0)
            {
                scan(source, value, offset, length, sink);
            }
            if (destination >= 0)
            {
                scan(destination, value, offset, length, sink);
            }
        }

        /**
         * Scans a stream window's payload for literals: from its new bytes less the lookback when the
         * direction's windows before cover the rest, whose literals then become candidates from what they kept
         * ({@link StreamLiterals}); else all of it.
         */
        private void scanStreamWindow(final MatchInput input)
        {
            final StreamLiterals kept = input.streamLiterals;
            final int direction = input.streamDirection;
            final int length = input.lengths[PAYLOAD][0];
            final long start = input.streamNewAt - input.streamNewFrom;
            int from = 0;
            final long portGroups = portGroupsKey(input);
            if (kept.covers(this, direction, start, input.streamNewAt, portGroups))
            {
                from = Math.max(0, input.streamNewFrom - payloadLookback);
                kept.replay(direction, start, candidatesOf);
                streamBytesReused += from;
            }
            else
            {
                kept.restart(this, direction, start, portGroups);
            }
            windowLiterals = kept;
            windowDirection = direction;
            windowEnd = start + length;
            scan(payloadGroup(input), input.values[PAYLOAD][0], input.offsets[PAYLOAD][0] + from, length - from,
                keepingCandidates);
            scanPortGroups(input, input.values[PAYLOAD][0], input.offsets[PAYLOAD][0] + from, length - from,
                keepingCandidates);
            windowLiterals = null;
            kept.scanned(direction, start + length);
        }

        /**
         * Matches every enforced rule by verification alone, without the prefilter: the reference the
         * prefiltered {@link #match} must agree with (tests only; slow).
         */
        public int matchWithoutPrefilter(final MatchInput input)
        {
            int n = 0;
            for (final CompiledRule rule : rules)
            {
                if (verify(rule, input))
                {
                    held[n++] = rule.index;
                }
            }
            matchedCount = post.run(rules, held, n, input);
            return matchedCount;
        }

        /** The i-th rule matched by the last call. */
        public Rule rule(final int i)
        {
            return rules.get(post.rule(i)).rule;
        }

        /**
         * True when the i-th rule matched by the last call raises an alert; false when it matched silently
         * ({@code noalert}, or over a {@code threshold} limit): its action still applies.
         */
        public boolean alerts(final int i)
        {
            return PostMatch.ALERT == post.outcome(i);
        }

        /**
         * A new flow takes handle {@code flow} (a flow table slot reused): forgets the flowbits the slot held.
         * Call it before matching the new flow's first packet.
         */
        public void newFlow(final int flow)
        {
            post.newFlow(flow);
        }

        /** Matches not reported because a threshold or detection filter had not reached its count. */
        public long suppressed()
        {
            return post.suppressed();
        }

        /** Xbit updates and threshold counts that found no room in the host table (thresholds then alert). */
        public long hostTableFull()
        {
            return post.hostTableFull();
        }

        /** Flowbits tests and updates skipped because the input's flow handle was outside this worker's pool. */
        public long foreignFlowHandles()
        {
            return post.foreignFlowHandles();
        }

        /**
         * True when the rule at {@code index} of {@link #enforced()} holds on {@code input}, by verification
         * alone: for asking whether a rule that matched a stream window already held on the part of it that was
         * inspected before. Leaves the results of the last {@link #match} as they were.
         */
        public boolean holds(final int index, final MatchInput input)
        {
            return verify(rules.get(index), input);
        }

        /** Index in {@link #enforced()} of the i-th rule matched by the last call. */
        public int matchedIndex(final int i)
        {
            return post.rule(i);
        }

        /** Sid of the i-th rule matched by the last call. */
        public long sid(final int i)
        {
            return rules.get(post.rule(i)).sid();
        }

        /** Candidates the prefilter passed to verification, over all calls. */
        public long candidatesChecked()
        {
            return candidatesChecked;
        }

        /**
         * Bytes of stream windows the prefilter did not scan again, the windows before having scanned them
         * ({@link StreamLiterals}), over all calls.
         */
        public long streamBytesReused()
        {
            return streamBytesReused;
        }

        /** Scans that reached the prefilter engine, over all calls. */
        public long prefilterScans()
        {
            return scanner.scans();
        }

        /** Pcre evaluations that failed with a stack overflow, over all calls. */
        public long pcreErrors()
        {
            return inspector.pcreErrors();
        }

        /**
         * Pcre matches aborted for reading more than {@link #PCRE_STEP_BUDGET} characters in one inspection,
         * over all calls; the rule did not hold there.
         */
        public long pcreBudgetSpent()
        {
            return inspector.pcreBudgetSpent();
        }

        /** Inspections cut short by the recursion limit, over all calls. */
        public long recursionLimitHits()
        {
            return inspector.recursionLimitHits();
        }

        private void addCandidate(final int rule)
        {
            if (stamps[rule] != stamp)
            {
                stamps[rule] = stamp;
                candidates[candidateCount++] = rule;
            }
        }

        private void nextStamp()
        {
            if (++stamp == 0)
            {
                Arrays.fill(stamps, 0);
                stamp = 1;
            }
        }

        private boolean verify(final CompiledRule rule, final MatchInput input)
        {
            if (!FlowFacts.holds(rule.flowNeeds, input.flowFacts) || !onItsPorts(rule.index, input))
            {
                return false;
            }
            for (final Condition condition : rule.conditions)
            {
                if (!Conditions.holds(condition, input))
                {
                    return false;
                }
            }
            for (final CompiledRule.Inspection inspection : rule.inspections)
            {
                final int b = inspection.buffer.ordinal();
                final MemorySegment[] values = input.values[b];
                final long[] offsets = input.offsets[b];
                final int[] lengths = input.lengths[b];
                boolean held = false;
                for (int v = 0, n = input.counts[b]; v < n && !held; v++)
                {
                    if (0 == lengths[v] && inspection.buffer == Buffer.PAYLOAD)
                    {
                        continue;
                    }
                    held = inspector.inspect(inspection.steps, values[v], offsets[v], lengths[v]);
                }
                if (!held)
                {
                    return false;
                }
            }
            return true;
        }

        /**
         * False for a rule bound to a few ports ({@link PortIndexedRules#boundPorts}) when the input's port on
         * that side is none of them, or the input has no ports: the caller's header test would refuse it, and
         * its literal was not looked for ({@link PayloadPortGroups}).
         */
        private boolean onItsPorts(final int rule, final MatchInput input)
        {
            final PortIndexedRules.BoundPorts bound = boundPorts[rule];
            return null == bound || input.hasPorts && bound.admit(input.srcPort, input.dstPort);
        }

        @Override
        public void close()
        {
            scanner.close();
        }
    }

    /** The flow facts every one of {@code ruleIndexes} needs. */
    private static int commonFlowNeeds(final List<Integer> ruleIndexes, final List<CompiledRule> compiled)
    {
        int needs = ~0;
        for (final int index : ruleIndexes)
        {
            needs &= compiled.get(index).flowNeeds;
        }
        return needs;
    }

    /** Sorts a[0..n) ascending in place without allocating (heap sort; n is small on the common path). */
    static void sort(final int[] a, final int n)
    {
        if (n < 24)
        {
            for (int i = 1; i < n; i++)
            {
                final int v = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > v)
                {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        for (int i = n / 2 - 1; i >= 0; i--)
        {
            siftDown(a, i, n);
        }
        for (int end = n - 1; end > 0; end--)
        {
            final int t = a[0];
            a[0] = a[end];
            a[end] = t;
            siftDown(a, 0, end);
        }
    }

    private static void siftDown(final int[] a, final int from, final int n)
    {
        int i = from;
        final int v = a[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && a[child + 1] > a[child])
            {
                child++;
            }
            if (a[child] <= v)
            {
                break;
            }
            a[i] = a[child];
            i = child;
        }
        a[i] = v;
    }
}
