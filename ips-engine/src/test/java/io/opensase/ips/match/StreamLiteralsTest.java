package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream windows scanned from their new bytes only ({@link StreamLiterals}): a window's rules must hold exactly
 * as when it is scanned whole, and as by verification alone. Each case names the window (by its new bytes)
 * where its rule must hold, worked out by hand from where the contents were put.
 */
class StreamLiteralsTest
{
    private static final int OVERLAP = 2048;
    private static final String FILLER = "the quick brown fox jumps over the lazy dog ";

    /** Content A (the fast pattern) among bytes inspected before, B in the new ones: the rule holds with B. */
    @ParameterizedTest
    @EnumSource(value = MatchTesting.Engine.class, names = {"HYPERSCAN", "JAVA_DFA"})
    void aFastPatternAmongEarlierBytesStillMakesItsRuleACandidate(final MatchTesting.Engine engine)
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"alpha-literal-one\"; content:\"omega\"; distance:0; sid:1;)");
        final byte[] stream = text(400, 100, "alpha-literal-one", 350, "omega");
        try (Windows windows = new Windows(rules, engine))
        {
            assertEquals(List.of(), windows.next(stream, 0, 300), "no omega yet");
            assertEquals(List.of(1L), windows.next(stream, 300, 400), "omega at 350, the fast pattern at 100");
            assertEquals(300 - 16, windows.reused(), "window 2 scanned from 300 less the 16-byte lookback");
        }
    }

    /** A literal whose first half ends one window and second half starts the next. */
    @ParameterizedTest
    @EnumSource(value = MatchTesting.Engine.class, names = {"HYPERSCAN", "JAVA_DFA"})
    void aLiteralAcrossTheBoundaryIsFound(final MatchTesting.Engine engine)
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"boundary-spanning-literal\"; sid:2;)",
            "alert tcp any any -> any any (content:\"a-much-longer-literal-for-the-lookback-of-this-set\"; sid:3;)");
        final byte[] stream = text(1000, 490, "boundary-spanning-literal");
        try (Windows windows = new Windows(rules, engine))
        {
            assertEquals(List.of(), windows.next(stream, 0, 500), "bytes 490..514 end at 515");
            assertEquals(List.of(2L), windows.next(stream, 500, 1000));
            assertTrue(windows.reused() > 0);
        }
    }

    /** Windows that do not continue the last one (a jump in offsets) are scanned whole. */
    @ParameterizedTest
    @EnumSource(value = MatchTesting.Engine.class, names = {"HYPERSCAN", "JAVA_DFA"})
    void aWindowThatDoesNotContinueTheLastIsScannedWhole(final MatchTesting.Engine engine)
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"alpha-literal-one\"; content:\"omega\"; distance:0; sid:1;)");
        final byte[] stream = text(400, 120, "alpha-literal-one", 350, "omega");
        try (Windows windows = new Windows(rules, engine))
        {
            assertEquals(List.of(), windows.window(stream, 0, 0, 100));
            // Offsets 100..149 were never in a window: what the last one kept cannot stand for them.
            assertEquals(List.of(1L), windows.window(stream, 0, 150, 400));
            assertEquals(0, windows.reused());
        }
    }

    /** A window finding more literals than a direction keeps leaves the next one scanned whole. */
    @ParameterizedTest
    @EnumSource(value = MatchTesting.Engine.class, names = {"HYPERSCAN", "JAVA_DFA"})
    void moreLiteralsThanKeptStillMatchEveryRule(final MatchTesting.Engine engine)
    {
        final int n = StreamLiterals.KEPT + 8;
        final String[] lines = new String[n];
        final StringBuilder text = new StringBuilder();
        final List<Long> all = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            lines[i] = "alert tcp any any -> any any (content:\"kept-literal-number-" + (100 + i)
                + "\"; content:\"END\"; distance:0; sid:" + (10 + i) + ";)";
            text.append("kept-literal-number-").append(100 + i).append(' ');
            all.add(10L + i);
        }
        final List<Rule> rules = MatchTesting.rules(lines);
        final byte[] first = text.toString().getBytes(StandardCharsets.US_ASCII);
        final byte[] stream = new byte[first.length + 20];
        System.arraycopy(first, 0, stream, 0, first.length);
        System.arraycopy("   END   ".getBytes(StandardCharsets.US_ASCII), 0, stream, first.length + 5, 9);
        try (Windows windows = new Windows(rules, engine))
        {
            assertEquals(List.of(), windows.next(stream, 0, first.length));
            assertEquals(all, windows.next(stream, first.length, stream.length));
            assertEquals(0, windows.reused(), "the first window kept only " + StreamLiterals.KEPT);
        }
    }

    /** A direction given to another flow starts over: the new flow's bytes were never scanned. */
    @ParameterizedTest
    @EnumSource(value = MatchTesting.Engine.class, names = {"HYPERSCAN", "JAVA_DFA"})
    void aForgottenDirectionIsScannedWhole(final MatchTesting.Engine engine)
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"alpha-literal-one\"; content:\"omega\"; distance:0; sid:1;)");
        final byte[] before = text(300);
        final byte[] after = text(400, 100, "alpha-literal-one", 350, "omega");
        try (Windows windows = new Windows(rules, engine))
        {
            assertEquals(List.of(), windows.next(before, 0, 300));
            windows.literals.forget(0);
            assertEquals(List.of(1L), windows.window(after, 0, 300, 400));
            assertEquals(0, windows.reused());
        }
    }

    /** After a reload the literals kept belong to the old matcher: the new one scans whole. */
    @Test
    void anotherMatcherScansWhole()
    {
        final List<Rule> old = MatchTesting.rules("alert tcp any any -> any any (content:\"zzz-other-literal\"; sid:9;)");
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (content:\"alpha-literal-one\"; content:\"omega\"; distance:0; sid:1;)");
        final byte[] stream = text(400, 100, "alpha-literal-one", 350, "omega");
        final StreamLiterals shared = new StreamLiterals(2);
        try (Windows first = new Windows(old, MatchTesting.Engine.HYPERSCAN, shared);
            Windows second = new Windows(rules, MatchTesting.Engine.HYPERSCAN, shared))
        {
            assertEquals(List.of(), first.window(stream, 0, 0, 300));
            assertEquals(List.of(1L), second.window(stream, 0, 300, 400));
            assertEquals(0, second.reused());
        }
    }

    /**
     * The shared ET Open rules over streams of their own payload contents cut into windows at random: scanned
     * from the new bytes, whole, and by verification alone, the same sids in every window. Each way has a
     * matcher of its own, as threshold counts live in the matcher's host table.
     */
    @ParameterizedTest
    @EnumSource(value = MatchTesting.Engine.class, names = {"HYPERSCAN", "JAVA_DFA"})
    void etOpenStreamsMatchAsScannedWhole(final MatchTesting.Engine engine)
    {
        final Random random = new Random(0x5_7ea_3L);
        final Function<List<List<Literal>>, Prefilter> prefilters = groups -> engine.compile(groups, true);
        final List<Rule> rules = MatchTesting.etOpen().rules();
        try (RuleMatcher one = RuleMatcher.compile(rules, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT,
                RuleMatcher.DEFAULT_HOST_ENTRIES, prefilters);
            RuleMatcher two = RuleMatcher.compile(rules, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT,
                RuleMatcher.DEFAULT_HOST_ENTRIES, prefilters);
            RuleMatcher three = RuleMatcher.compile(rules, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT,
                RuleMatcher.DEFAULT_HOST_ENTRIES, prefilters);
            RuleMatcher.Worker reused = one.newWorker();
            RuleMatcher.Worker whole = two.newWorker();
            RuleMatcher.Worker plain = three.newWorker())
        {
            final List<Rule> payloadRules = one.enforced().stream()
                .filter(r -> !r.inspections(Buffer.PAYLOAD).isEmpty()).toList();
            final StreamLiterals literals = new StreamLiterals(2);
            final MatchInput input = new MatchInput();
            long windows = 0;
            long matches = 0;
            for (int s = 0; s < 60; s++)
            {
                final byte[] stream = stream(payloadRules, random);
                literals.forget(0);
                int at = 0;
                while (at < stream.length)
                {
                    final int end = Math.min(stream.length, at + 1 + random.nextInt(random.nextBoolean() ? 300 : 3000));
                    final int start = Math.max(0, at - OVERLAP);
                    final MemorySegment window = MemorySegment.ofArray(stream).asSlice(start, end - start);
                    input.clear();
                    input.flow(MatchInput.Direction.TO_SERVER, true, true).set(Buffer.PAYLOAD, window);
                    final List<Long> expected = sids(plain, plain.matchWithoutPrefilter(input));
                    assertEquals(expected, sids(whole, whole.match(input)), "whole, window ending " + end);
                    input.streamWindow(literals, 0, at, at - start);
                    assertEquals(expected, sids(reused, reused.match(input)), "reused, window ending " + end);
                    matches += expected.size();
                    windows++;
                    at = end;
                }
            }
            System.out.printf("stream literals, %s: %d windows, %d matches, %d bytes not scanned again%n", engine,
                windows, matches, reused.streamBytesReused());
            assertTrue(matches > 200, "matches " + matches);
            assertTrue(reused.streamBytesReused() > 100_000, "reused " + reused.streamBytesReused());
        }
    }

    /** Several payload rules' contents laid out between filler, some 40 KB. */
    private static byte[] stream(final List<Rule> payloadRules, final Random random)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < 40_000)
        {
            out.writeBytes(RuleMatcherDifferentialTest.filler(random, random.nextInt(800)));
            final Rule rule = payloadRules.get(random.nextInt(payloadRules.size()));
            for (final BufferInspection inspection : rule.inspections(Buffer.PAYLOAD))
            {
                out.writeBytes(RuleMatcherDifferentialTest.build(inspection, random));
            }
        }
        return out.toByteArray();
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

    /** {@code length} bytes of filler with each given text at its given offset. */
    private static byte[] text(final int length, final Object... placed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)FILLER.charAt(i % FILLER.length());
        }
        for (int p = 0; p < placed.length; p += 2)
        {
            final byte[] text = ((String)placed[p + 1]).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, bytes, (Integer)placed[p], text.length);
        }
        return bytes;
    }

    /** One stream direction's windows through one matcher, as the IPS stage makes them. */
    private static final class Windows implements AutoCloseable
    {
        final StreamLiterals literals;
        private final RuleMatcher matcher;
        private final RuleMatcher.Worker worker;
        private final RuleMatcher.Worker plain;
        private final MatchInput input = new MatchInput();

        Windows(final List<Rule> rules, final MatchTesting.Engine engine)
        {
            this(rules, engine, new StreamLiterals(2));
        }

        Windows(final List<Rule> rules, final MatchTesting.Engine engine, final StreamLiterals literals)
        {
            this.literals = literals;
            matcher = RuleMatcher.compile(rules, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT,
                RuleMatcher.DEFAULT_HOST_ENTRIES, groups -> engine.compile(groups, true));
            worker = matcher.newWorker();
            plain = matcher.newWorker();
        }

        /** The window with new bytes {@code [at, end)} after up to {@link #OVERLAP} bytes before them. */
        List<Long> next(final byte[] stream, final int at, final int end)
        {
            return window(stream, Math.max(0, at - OVERLAP), at, end);
        }

        /** The window {@code stream[start, end)} whose new bytes start at {@code at}; sids, checked alone. */
        List<Long> window(final byte[] stream, final int start, final int at, final int end)
        {
            input.clear();
            input.flow(MatchInput.Direction.TO_SERVER, true, true)
                .set(Buffer.PAYLOAD, MemorySegment.ofArray(stream).asSlice(start, end - start));
            final List<Long> alone = sids(plain, plain.matchWithoutPrefilter(input));
            input.streamWindow(literals, 0, at, at - start);
            final List<Long> sids = sids(worker, worker.match(input));
            assertEquals(alone, sids, "as by verification alone");
            return sids;
        }

        long reused()
        {
            return worker.streamBytesReused();
        }

        @Override
        public void close()
        {
            worker.close();
            plain.close();
            matcher.close();
        }
    }
}
