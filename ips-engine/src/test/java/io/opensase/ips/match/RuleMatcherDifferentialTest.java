package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.BufferMatch;
import io.opensase.ips.rules.Condition;
import io.opensase.ips.rules.ContentMatch;
import io.opensase.ips.rules.FlowCondition;
import io.opensase.ips.rules.HeaderInt;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole matcher on the shared ET Open rules: with the Hyperscan prefilter, with each Java algorithm,
 * and by verification alone (every enforced rule checked on every input), the same sids must come out, each
 * alerting or silent alike (flowbits, xbits and thresholds carry state from input to input). The
 * inputs are built from the rules themselves, so that many match: for each enforced rule, its buffers with
 * its non-negated contents laid out in order (at their offset, or after the previous one by their
 * distance), nocase contents with their case flipped, between random text; and inputs that merge several
 * rules' buffers, and random ones with fast patterns planted.
 */
class RuleMatcherDifferentialTest
{
    private static final long SEED = 0xd1ff_5eedL;
    private static final String TEXT = "GET /a.php?b=c HTTP/1.1\r\nHost: x\r\nUser-Agent: y\r\n\r\n";

    private static List<Rule> rules;
    private static final Map<MatchTesting.Engine, RuleMatcher> MATCHERS = new EnumMap<>(MatchTesting.Engine.class);
    /**
     * Runs verification alone: a matcher of its own, because a match changes the matcher's threshold counters
     * and xbits, so each matcher must see each input once.
     */
    private static RuleMatcher reference;

    @BeforeAll
    static void compile()
    {
        for (final MatchTesting.Engine engine : MatchTesting.Engine.values())
        {
            MATCHERS.put(engine, RuleMatcher.compile(MatchTesting.etOpen().rules(),
                RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT, RuleMatcher.DEFAULT_HOST_ENTRIES,
                groups -> engine.compile(groups, true)));
        }
        reference = RuleMatcher.compile(MatchTesting.etOpen().rules(), RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT,
            RuleMatcher.DEFAULT_HOST_ENTRIES, groups -> MatchTesting.Engine.JAVA_QGRAM.compile(groups, true));
        rules = MATCHERS.get(MatchTesting.Engine.HYPERSCAN).enforced();
        System.out.println(MATCHERS.get(MatchTesting.Engine.HYPERSCAN).startLine());
    }

    @AfterAll
    static void close()
    {
        MATCHERS.values().forEach(RuleMatcher::close);
        reference.close();
    }

    @Test
    void shouldReportTheSameSidsWithEitherPrefilterAndWithout()
    {
        final Random random = new Random(SEED);
        final Map<MatchTesting.Engine, RuleMatcher.Worker> workers = new EnumMap<>(MatchTesting.Engine.class);
        MATCHERS.forEach((e, m) -> workers.put(e, m.newWorker()));
        final RuleMatcher.Worker plain = reference.newWorker();
        int inputs = 0;
        int ownMatches = 0;
        long totalMatches = 0;
        try
        {
            final MatchInput input = new MatchInput();
            for (final Rule rule : rules)
            {
                input.clear();
                hosts(input, random, inputs);
                fill(input, rule, random);
                final List<Long> sids = compare(input, plain, workers);
                ownMatches += sids.contains(rule.sid()) || sids.contains(-rule.sid()) ? 1 : 0;
                totalMatches += sids.size();
                inputs++;
            }
            for (int n = 0; n < 1500; n++)
            {
                input.clear();
                hosts(input, random, inputs);
                final int merged = 2 + random.nextInt(4);
                for (int k = 0; k < merged; k++)
                {
                    fill(input, rules.get(random.nextInt(rules.size())), random);
                }
                totalMatches += compare(input, plain, workers).size();
                inputs++;
            }
        }
        finally
        {
            workers.values().forEach(RuleMatcher.Worker::close);
            plain.close();
        }
        System.out.printf("rule matcher differential: %d enforced rules, %d inputs, %d rules matched their own"
            + " input, %d matches in all, identical with %s and verification alone%n", rules.size(), inputs,
            ownMatches, totalMatches, List.of(MatchTesting.Engine.values()));
        assertTrue(ownMatches > rules.size() / 2, "own matches " + ownMatches);
    }

    /** The sids (negative: matched silently) of every engine and of verification alone, which must agree. */
    private static List<Long> compare(
        final MatchInput input,
        final RuleMatcher.Worker plain,
        final Map<MatchTesting.Engine, RuleMatcher.Worker> workers)
    {
        final List<Long> expected = sids(plain, plain.matchWithoutPrefilter(input));
        for (final Map.Entry<MatchTesting.Engine, RuleMatcher.Worker> e : workers.entrySet())
        {
            assertEquals(expected, sids(e.getValue(), e.getValue().match(input)), e.getKey().toString());
        }
        return expected;
    }

    private static List<Long> sids(final RuleMatcher.Worker worker, final int n)
    {
        final List<Long> sids = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            sids.add(worker.alerts(i) ? worker.sid(i) : -worker.sid(i));
        }
        return sids;
    }

    /** Adds the buffers {@code rule} inspects, built to satisfy its contents, and flow facts that fit it. */
    /**
     * One of 8 flows between 4 clients and 4 servers, 100 ms after the previous input: flowbits, xbits and
     * thresholds then carry state from input to input, which every engine must carry alike.
     */
    private static void hosts(final MatchInput input, final Random random, final int inputs)
    {
        input.flowHandle(random.nextInt(8))
            .ipv4Addresses(0x0A00_0000 | random.nextInt(4), 0xC0A8_0000 | random.nextInt(4))
            .time(1_700_000_000_000_000_000L + inputs * 100_000_000L);
    }

    private static void fill(final MatchInput input, final Rule rule, final Random random)
    {
        final FlowCondition flow = rule.flow();
        boolean dsize = false;
        for (final Condition condition : rule.conditions())
        {
            dsize |= condition instanceof HeaderInt h && h.field() == HeaderInt.Field.PAYLOAD_SIZE;
        }
        input.flow(flow.side() == FlowCondition.Side.TO_CLIENT ? MatchInput.Direction.TO_CLIENT
                : MatchInput.Direction.TO_SERVER,
            flow.state() != FlowCondition.State.NOT_ESTABLISHED,
            flow.mode() != FlowCondition.Mode.NO_STREAM && !dsize);
        for (final BufferInspection inspection : rule.inspections())
        {
            final byte[] bytes = build(inspection, random);
            final MemorySegment value = MemorySegment.ofArray(bytes);
            if (inspection.buffer().multi())
            {
                input.add(inspection.buffer(), MemorySegment.ofArray(filler(random, 3 + random.nextInt(20))));
                input.add(inspection.buffer(), value);
            }
            else
            {
                input.set(inspection.buffer(), value);
            }
            if (inspection.buffer() == Buffer.PAYLOAD)
            {
                input.packetPayloadSize(bytes.length);
            }
        }
    }

    static byte[] build(final BufferInspection inspection, final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, filler(random, random.nextInt(4) == 0 ? 0 : random.nextInt(12)));
        for (final BufferMatch match : inspection.matches())
        {
            if (!(match instanceof ContentMatch c) || c.negated())
            {
                continue;
            }
            final byte[] pattern = c.pattern();
            if (c.nocase())
            {
                for (int i = 0; i < pattern.length; i++)
                {
                    final int b = pattern[i] & 0xFF;
                    if (random.nextBoolean() && ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
                    {
                        pattern[i] = (byte)(b ^ 0x20);
                    }
                }
            }
            int gap = random.nextInt(3) == 0 ? 0 : random.nextInt(6);
            if (null != c.offset() && !c.offset().isVariable())
            {
                gap = Math.max(0, (int)c.offset().constant() - out.size());
            }
            else if (c.startsWith())
            {
                gap = 0;
                out.reset();
            }
            else if (null != c.distance() && !c.distance().isVariable())
            {
                gap = Math.max(0, (int)c.distance().constant());
            }
            write(out, filler(random, gap));
            write(out, pattern);
        }
        write(out, filler(random, random.nextInt(4) == 0 ? 0 : random.nextInt(12)));
        return out.toByteArray();
    }

    static byte[] filler(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = random.nextInt(4) == 0 ? (byte)random.nextInt(256)
                : (byte)TEXT.charAt(random.nextInt(TEXT.length()));
        }
        return bytes;
    }

    private static void write(final ByteArrayOutputStream out, final byte[] bytes)
    {
        out.write(bytes, 0, bytes.length);
    }
}
