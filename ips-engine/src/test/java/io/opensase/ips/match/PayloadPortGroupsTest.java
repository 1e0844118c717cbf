package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A payload literal whose rules are all bound to a few ports is looked for only in payloads with one of those
 * ports on the rules' side (destination, else source), in a scan of its own; a literal a rule on any port
 * shares stays in the payload's group. Both engines, on packets and on stream windows scanned from their new
 * bytes.
 */
class PayloadPortGroupsTest
{
    private static final PrefilterEngine[] ENGINES = {PrefilterEngine.JAVA, PrefilterEngine.HYPERSCAN};
    private static final List<Rule> RULES = MatchTesting.rules(
        "alert tcp any any -> any 3306 (content:\"|11|\"; offset:3; depth:1; sid:1;)",
        "alert tcp any 3389 -> any any (content:\"rdp!\"; sid:2;)",
        "alert tcp any any -> any 445 (content:\"both\"; sid:3;)",
        "alert tcp any any -> any any (content:\"both\"; sid:4;)",
        "alert tcp any any -> any any (content:\"anyport\"; sid:5;)");
    private static final byte[] PAYLOAD =
        "\u0000\u0000\u0000\u0011 rdp! both anyport".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void aPortBoundLiteralIsLookedForOnItsPortOnly()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(Set.of(1L, 4L, 5L), sids(engine, udpLike(50_000, 3306)), engine.name());
            assertEquals(2, scans(engine, udpLike(50_000, 3306)), engine.name() + ": payload group and 3306's");
            assertEquals(Set.of(4L, 5L), sids(engine, udpLike(50_000, 80)), engine.name());
            assertEquals(1, scans(engine, udpLike(50_000, 80)), engine.name() + ": no group for port 80");
        }
    }

    /** The server's answers, from 3306, are not scanned for what a rule for port 3306 looks for. */
    @Test
    void aDestinationBoundLiteralIsNotLookedForFromThatPort()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(Set.of(4L, 5L), sids(engine, udpLike(3306, 50_000)), engine.name());
            assertEquals(1, scans(engine, udpLike(3306, 50_000)), engine.name());
        }
    }

    @Test
    void aSourcePortBoundRuleIsLookedForOnItsSourcePort()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(Set.of(2L, 4L, 5L), sids(engine, udpLike(3389, 50_000)), engine.name());
            assertEquals(Set.of(1L, 2L, 4L, 5L), sids(engine, udpLike(3389, 3306)), engine.name());
            assertEquals(3, scans(engine, udpLike(3389, 3306)), engine.name());
        }
    }

    /** Rule 3 shares its literal with rule 4, on any port: it is found in the payload group, on 445 only. */
    @Test
    void aLiteralARuleOnAnyPortSharesStaysInThePayloadGroup()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(Set.of(3L, 4L, 5L), sids(engine, udpLike(50_000, 445)), engine.name());
            assertEquals(1, scans(engine, udpLike(50_000, 445)), engine.name());
        }
    }

    @Test
    void withoutPortsNoRuleBoundToPortsHolds()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            final MatchInput input = new MatchInput().ipv4(1, 64, 6)
                .set(Buffer.PAYLOAD, MemorySegment.ofArray(PAYLOAD));
            assertEquals(Set.of(4L, 5L), sids(engine, input), engine.name());
            assertEquals(1, scans(engine, input), engine.name());
        }
    }

    /** A stream window scanned from its new bytes finds a port-bound literal the window before found. */
    @Test
    void aStreamWindowReplaysWhatThePortGroupFound()
    {
        // The |11| at offset 3 lies before the second window's new bytes: it comes back from the first window.
        assertEquals(List.of(Set.of(1L), Set.of(1L)), twoWindows(RULES, 50_000, 3306, 50_000, 3306));
    }

    /**
     * A direction's next window inspected on a packet the other way round (its acknowledgement, a RST) has
     * the ports reversed, so other port groups: it is scanned whole, not only from its new bytes, since the
     * windows before did not look for those groups' literals.
     */
    @Test
    void aWindowWithOtherPortGroupsIsScannedWhole()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any 3306 -> any any (content:\"|11|\"; offset:3; depth:1; sid:6;)");
        assertEquals(List.of(Set.of(), Set.of(6L)), twoWindows(rules, 50_000, 3306, 3306, 50_000));
    }

    /**
     * The sids of two windows of one stream direction going to the server, on both engines (which must agree):
     * bytes 0-200 with the first ports, then 0-400 whose new bytes start at 200 with the second; {@code |11|}
     * at offset 3.
     */
    private static List<Set<Long>> twoWindows(final List<Rule> rules, final int src1, final int dst1,
        final int src2, final int dst2)
    {
        List<Set<Long>> first = null;
        for (final PrefilterEngine engine : ENGINES)
        {
            try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
                RuleMatcher.Worker worker = matcher.newWorker())
            {
                final byte[] stream = new byte[400];
                System.arraycopy(PAYLOAD, 0, stream, 0, 4);
                final StreamLiterals literals = new StreamLiterals(2);
                final MatchInput input = new MatchInput();
                final List<Set<Long>> sids = new ArrayList<>();
                final int[][] windows = {{src1, dst1, 200, 0}, {src2, dst2, 400, 200}};
                for (final int[] w : windows)
                {
                    input.clear();
                    input.ipv4(1, 64, 6).tcp(0x18, 0, 0, 0).ports(w[0], w[1])
                        .flow(MatchInput.Direction.TO_SERVER, true, true)
                        .set(Buffer.PAYLOAD, MemorySegment.ofArray(stream).asSlice(0, w[2]))
                        .streamWindow(literals, 0, w[3], w[3]);
                    sids.add(MatchTesting.sids(worker, input));
                }
                assertTrue(null == first || first.equals(sids), engine + ": " + sids + " against " + first);
                first = sids;
            }
        }
        return first;
    }

    private static MatchInput udpLike(final int src, final int dst)
    {
        return new MatchInput().ipv4(1, 64, 6).ports(src, dst).set(Buffer.PAYLOAD, MemorySegment.ofArray(PAYLOAD));
    }

    private static long scans(final PrefilterEngine engine, final MatchInput input)
    {
        return MatchTesting.scans(RULES, engine, input);
    }

    private static Set<Long> sids(final PrefilterEngine engine, final MatchInput input)
    {
        return MatchTesting.sids(RULES, engine, input);
    }
}
