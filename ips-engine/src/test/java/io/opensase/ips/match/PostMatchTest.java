package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second phase of a match: flowbits, xbits, noalert, threshold and detection_filter, on sequences of
 * packets with their capture times, each expected result worked out by hand from Suricata's documented
 * semantics. A result lists the matched sids in evaluation order, "sid" when it alerts and "sid-" when it
 * matched silently; suppressed matches are absent.
 */
class PostMatchTest
{
    /** Capture times are seconds after this one (2023-11-14). */
    private static final long T0 = 1_700_000_000L;
    private static final int A = 0x0A000001;
    private static final int B = 0x0A000002;
    private static final int C = 0x0A000003;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (int i = open.size() - 1; i >= 0; i--)
        {
            open.get(i).close();
        }
    }

    private RuleMatcher matcher(final String... rules)
    {
        final List<Rule> list = new ArrayList<>();
        for (final String r : rules)
        {
            list.addAll(MatchTesting.rules(r));
        }
        final RuleMatcher matcher =
            RuleMatcher.compile(list, PrefilterEngine.JAVA, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
        open.add(matcher);
        assertEquals(rules.length, matcher.enforced().size(), () -> "not enforced: " + matcher.notEnforced());
        return matcher;
    }

    private RuleMatcher.Worker worker(final RuleMatcher matcher)
    {
        final RuleMatcher.Worker worker = matcher.newWorker(16);
        open.add(worker);
        return worker;
    }

    /** A TCP packet of flow {@code flow} from {@code src} to {@code dst} at second {@code second}. */
    private static MatchInput packet(final int flow, final int src, final int dst, final long second,
        final String payload)
    {
        return new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, false).flowHandle(flow)
            .ipv4Addresses(src, dst).time((T0 + second) * 1_000_000_000L).set(Buffer.PAYLOAD, segment(payload));
    }

    private static List<String> run(final RuleMatcher.Worker worker, final MatchInput input)
    {
        return results(worker, worker.match(input));
    }

    private static List<String> results(final RuleMatcher.Worker worker, final int n)
    {
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            out.add(worker.sid(i) + (worker.alerts(i) ? "" : "-"));
        }
        return out;
    }

    @Test
    void flowbitsShouldCarryAcrossPacketsOfOneFlowAndNotAcrossFlows()
    {
        final RuleMatcher.Worker w = worker(matcher(
            "alert tcp any any -> any any (content:\"login\"; flowbits:set,logged; flowbits:noalert; sid:1;)",
            "alert tcp any any -> any any (content:\"secret\"; flowbits:isset,logged; sid:2;)"));
        assertEquals(List.of(), run(w, packet(1, A, B, 0, "secret")), "bit not set yet");
        assertEquals(List.of("1-"), run(w, packet(1, A, B, 1, "login")), "sets the bit without alerting");
        assertEquals(List.of("2"), run(w, packet(1, A, B, 2, "secret")));
        assertEquals(List.of(), run(w, packet(2, A, B, 3, "secret")), "another flow of the same hosts");
        w.newFlow(1);
        assertEquals(List.of(), run(w, packet(1, A, B, 4, "secret")), "a new flow in the slot starts clear");
        assertEquals(List.of("1-"), run(w, new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, false)
            .set(Buffer.PAYLOAD, segment("login secret"))), "no flow handle: sid 1 matches, nothing to set or test");
    }

    @Test
    void aBitSetOnAPacketShouldBeSeenByItsLaterRulesWhateverTheFileOrder()
    {
        // The isset rule comes first in the file; evaluation order runs the set rule first.
        final RuleMatcher.Worker w = worker(matcher(
            "alert tcp any any -> any any (content:\"b\"; flowbits:isset,x; sid:2;)",
            "alert tcp any any -> any any (content:\"a\"; flowbits:set,x; sid:1;)"));
        assertEquals(List.of("1", "2"), run(w, packet(0, A, B, 0, "ab")));
    }

    @Test
    void flowbitsUnsetToggleIsnotsetAndAnyOf()
    {
        final RuleMatcher.Worker w = worker(matcher(
            "alert tcp any any -> any any (content:\"set\"; flowbits:set,x; noalert; sid:1;)",
            "alert tcp any any -> any any (content:\"unset\"; flowbits:unset,x; noalert; sid:2;)",
            "alert tcp any any -> any any (content:\"flip\"; flowbits:toggle,y; noalert; sid:3;)",
            "alert tcp any any -> any any (content:\"probe\"; flowbits:isnotset,x; sid:4;)",
            "alert tcp any any -> any any (content:\"probe\"; flowbits:isset,x|y; sid:5;)"));
        assertEquals(List.of("4"), run(w, packet(0, A, B, 0, "probe")));
        assertEquals(List.of("1-"), run(w, packet(0, A, B, 1, "set")));
        assertEquals(List.of("5"), run(w, packet(0, A, B, 2, "probe")), "x set: isnotset fails, any of x|y holds");
        assertEquals(List.of("1-", "2-"), run(w, packet(0, A, B, 3, "unset")),
            "\"unset\" holds \"set\": set, then unset");
        assertEquals(List.of("4"), run(w, packet(0, A, B, 4, "probe")));
        assertEquals(List.of("3-"), run(w, packet(0, A, B, 5, "flip")));
        assertEquals(List.of("4", "5"), run(w, packet(0, A, B, 6, "probe")), "y toggled on");
        assertEquals(List.of("3-"), run(w, packet(0, A, B, 7, "flip")));
        assertEquals(List.of("4"), run(w, packet(0, A, B, 8, "probe")), "y toggled off");
    }

    @Test
    void noalertShouldMatchWithoutAlerting()
    {
        final RuleMatcher.Worker w = worker(matcher("alert tcp any any -> any any (content:\"a\"; noalert; sid:1;)"));
        assertEquals(List.of("1-"), run(w, packet(0, A, B, 0, "a")));
        assertEquals(List.of(), run(w, packet(0, A, B, 0, "b")));
    }

    @Test
    void thresholdLimitShouldAlertOnTheFirstCountMatchesPerWindow()
    {
        final RuleMatcher.Worker w = worker(matcher("alert tcp any any -> any any (content:\"a\"; "
            + "threshold:type limit, track by_src, count 2, seconds 60; sid:1;)"));
        assertEquals(List.of("1"), run(w, packet(0, A, B, 0, "a")));
        assertEquals(List.of("1"), run(w, packet(0, A, B, 1, "a")));
        assertEquals(List.of("1-"), run(w, packet(0, A, B, 2, "a")), "third in the window: silent, action applies");
        assertEquals(List.of("1"), run(w, packet(0, C, B, 3, "a")), "another source counts apart");
        assertEquals(List.of("1-"), run(w, packet(0, A, B, 60, "a")), "the window's last instant is in it");
        assertEquals(List.of("1"), run(w, packet(0, A, B, 61, "a")), "a new window");
    }

    @Test
    void thresholdThresholdShouldAlertOnEveryCountThMatchInAWindow()
    {
        final RuleMatcher.Worker w = worker(matcher("alert tcp any any -> any any (content:\"a\"; "
            + "threshold:type threshold, track by_dst, count 3, seconds 60; sid:1;)"));
        final List<List<String>> seen = new ArrayList<>();
        for (final long second : new long[] {0, 1, 2, 3, 4, 5, 70, 71, 72})
        {
            seen.add(run(w, packet(0, A, B, second, "a")));
        }
        assertEquals(List.of(List.of(), List.of(), List.of("1"), List.of(), List.of(), List.of("1"),
            List.of(), List.of(), List.of("1")), seen);
        assertEquals(6, w.suppressed());
    }

    @Test
    void thresholdBothShouldAlertOnceAtTheCountThenStaySilent()
    {
        final RuleMatcher.Worker w = worker(matcher("alert tcp any any -> any any (content:\"a\"; "
            + "threshold:type both, track by_src, count 2, seconds 60; sid:1;)"));
        final List<List<String>> seen = new ArrayList<>();
        for (final long second : new long[] {0, 1, 2, 3, 61, 62})
        {
            seen.add(run(w, packet(0, A, B, second, "a")));
        }
        assertEquals(List.of(List.of(), List.of("1"), List.of("1-"), List.of("1-"), List.of(), List.of("1")), seen);
    }

    @Test
    void detectionFilterShouldAlertOnEveryMatchAfterTheCount()
    {
        final RuleMatcher.Worker w = worker(matcher("alert tcp any any -> any any (content:\"a\"; "
            + "detection_filter:track by_dst, count 2, seconds 10; sid:1;)"));
        final List<List<String>> seen = new ArrayList<>();
        for (final long second : new long[] {0, 1, 2, 3, 20, 21, 22})
        {
            seen.add(run(w, packet(0, A, B, second, "a")));
        }
        assertEquals(List.of(List.of(), List.of(), List.of("1"), List.of("1"), List.of(), List.of(), List.of("1")),
            seen);
        assertEquals(List.of(), run(w, packet(0, A, C, 23, "a")), "another destination starts at one");
    }

    @Test
    void thresholdByRuleAndByBothShouldShareTheirCounters()
    {
        final RuleMatcher.Worker w = worker(matcher(
            "alert tcp any any -> any any (content:\"r\"; "
                + "threshold:type limit, track by_rule, count 1, seconds 60; sid:1;)",
            "alert tcp any any -> any any (content:\"p\"; "
                + "threshold:type limit, track by_both, count 1, seconds 60; sid:2;)"));
        assertEquals(List.of("1"), run(w, packet(0, A, B, 0, "r")));
        assertEquals(List.of("1-"), run(w, packet(1, C, A, 1, "r")), "by_rule: any hosts");
        assertEquals(List.of("2"), run(w, packet(0, A, B, 2, "p")));
        assertEquals(List.of("2-"), run(w, packet(0, B, A, 3, "p")), "by_both: the pair either way round");
        assertEquals(List.of("2"), run(w, packet(0, A, C, 4, "p")));
    }

    @Test
    void xbitsShouldBeSharedByFlowsAndWorkersOfTheSameHost()
    {
        final RuleMatcher matcher = matcher(
            "alert tcp any any -> any any (content:\"probe\"; "
                + "xbits:set,scanner,track ip_src,expire 10; noalert; sid:1;)",
            "alert tcp any any -> any any (content:\"attack\"; xbits:isset,scanner,track ip_src; sid:2;)",
            "alert tcp any any -> any any (content:\"reply\"; xbits:isset,scanner,track ip_dst; sid:3;)");
        final RuleMatcher.Worker first = worker(matcher);
        final RuleMatcher.Worker second = worker(matcher);
        assertEquals(List.of(), run(first, packet(1, A, B, 0, "attack")));
        assertEquals(List.of("1-"), run(first, packet(1, A, B, 1, "probe")));
        assertEquals(List.of("2"), run(second, packet(2, A, C, 2, "attack")), "another flow, another worker");
        assertEquals(List.of(), run(second, packet(3, C, A, 3, "attack")), "C never probed");
        assertEquals(List.of("3"), run(first, packet(4, B, A, 4, "reply")), "A's bit, A as destination");
        assertEquals(List.of("2"), run(second, packet(2, A, C, 10, "attack")), "set at second 1 for 10 s");
        assertEquals(List.of(), run(second, packet(2, A, C, 11, "attack")), "expired at second 11");
    }

    @Test
    void xbitsByPairShouldHoldEitherWayRoundAndUnsetOrToggle()
    {
        final RuleMatcher.Worker w = worker(matcher(
            "alert tcp any any -> any any (content:\"hello\"; xbits:set,talked,track ip_pair; noalert; sid:1;)",
            "alert tcp any any -> any any (content:\"bye\"; xbits:unset,talked,track ip_pair; noalert; sid:2;)",
            "alert tcp any any -> any any (content:\"flip\"; xbits:toggle,talked,track ip_pair; noalert; sid:3;)",
            "alert tcp any any -> any any (content:\"data\"; xbits:isset,talked,track ip_pair; sid:4;)",
            "alert tcp any any -> any any (content:\"data\"; xbits:isnotset,talked,track ip_pair; sid:5;)"));
        assertEquals(List.of("1-"), run(w, packet(0, A, B, 0, "hello")));
        assertEquals(List.of("4"), run(w, packet(1, B, A, 1, "data")));
        assertEquals(List.of("5"), run(w, packet(2, A, C, 2, "data")));
        assertEquals(List.of("2-"), run(w, packet(0, A, B, 3, "bye")));
        assertEquals(List.of("5"), run(w, packet(1, B, A, 4, "data")));
        assertEquals(List.of("3-"), run(w, packet(0, A, B, 5, "flip")));
        assertEquals(List.of("4"), run(w, packet(1, B, A, 6, "data")));
        assertEquals(List.of(), run(w, new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, false)
            .set(Buffer.PAYLOAD, segment("data"))), "no addresses: neither isset nor isnotset holds");
    }

    @Test
    void aRuleTheHeaderFilterRefusesShouldNeitherUpdateNorCount()
    {
        final RuleMatcher matcher = matcher(
            "alert tcp any any -> any any (content:\"a\"; flowbits:set,x; noalert; sid:1;)",
            "alert tcp any any -> any any (content:\"b\"; flowbits:isset,x; sid:2;)");
        final RuleMatcher.Worker w = worker(matcher);
        final int setter = matcher.enforced().indexOf(matcher.enforced().stream().filter(r -> r.sid() == 1)
            .findFirst().orElseThrow());
        assertEquals(List.of(), results(w, w.match(packet(0, A, B, 0, "a"), rule -> rule != setter)));
        assertEquals(List.of(), run(w, packet(0, A, B, 1, "b")), "the refused rule set nothing");
    }

    @Test
    void evaluationOrderShouldFollowSuricatasSignatureOrdering()
    {
        final RuleMatcher matcher = matcher(
            "alert tcp any any -> any any (content:\"a\"; priority:1; sid:1;)",
            "alert tcp any any -> any any (content:\"a\"; flowbits:isset,x; sid:2;)",
            "alert tcp any any -> any any (content:\"z\"; flowbits:set,x; sid:3;)",
            "drop tcp any any -> any any (content:\"a\"; priority:3; sid:4;)",
            "alert tcp any any -> any any (content:\"q\"; flowbits:isset,x; flowbits:unset,x; sid:5;)",
            "pass tcp any any -> any any (content:\"z\"; sid:6;)",
            "alert tcp any any -> any any (content:\"a\"; priority:2; sid:7;)");
        assertEquals(List.of(6L, 4L, 3L, 5L, 2L, 1L, 7L), matcher.enforced().stream().map(Rule::sid).toList());
        final RuleMatcher.Worker w = worker(matcher);
        assertEquals(List.of("4", "1", "7"), run(w, packet(0, A, B, 0, "a")));
        assertEquals(List.of("6"), run(w, packet(0, A, B, 1, "az")), "nothing reported after a pass");
        assertEquals(List.of("4", "2", "1", "7"), run(w, packet(0, A, B, 2, "a")),
            "the pass packet still ran sid 3's set, behind the pass");
        assertEquals(List.of("4", "5", "1", "7"), run(w, packet(0, A, B, 3, "aq")),
            "sid 5 tests x, then unsets it before sid 2 tests it");
        assertEquals(List.of("4", "1", "7"), run(w, packet(0, A, B, 4, "a")));
    }

    /**
     * Packet facts, verification and the second phase with every kind of state allocate nothing: 20,000
     * matches over 64 flows and hosts, taking the least of five rounds (a one-off compiler event may allocate).
     */
    @Test
    void shouldAllocateNothingPerMatch()
    {
        final RuleMatcher matcher = matcher(
            "alert tcp any any -> any any (content:\"a\"; flags:+A; flowbits:set,x; noalert; sid:1;)",
            "alert tcp any any -> any any (content:\"b\"; flowbits:isset,x; vlan.id:7; sid:2;)",
            "alert tcp any any -> any any (content:\"a\"; xbits:set,y,track ip_src; noalert; sid:3;)",
            "alert tcp any any -> any any (content:\"b\"; xbits:isset,y,track ip_dst; sid:4;)",
            "alert tcp any any -> any any (content:\"b\"; threshold:type both,track by_src,count 3,seconds 1; sid:5;)",
            "alert tcp any any -> any any (content:\"a\"; detection_filter:track by_both,count 2,seconds 1; sid:6;)");
        final RuleMatcher.Worker w = worker(matcher);
        final MatchInput[] inputs = new MatchInput[64];
        for (int i = 0; i < inputs.length; i++)
        {
            inputs[i] = packet(i % 16, A + i % 5, B + i % 3, i, i % 2 == 0 ? "ab" : "ba").ipv4(1, 64, 6)
                .tcp(0x18, i, i, 512).vlan(7);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        long matched = 0;
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 6; round++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            final RuleFilter all = RuleFilter.ALL;
            for (int i = 0; i < 20_000; i++)
            {
                matched += w.match(inputs[i & 63], all);
            }
            if (round > 0)
            {
                allocated = Math.min(allocated, threads.getThreadAllocatedBytes(thread) - before);
            }
        }
        assertTrue(matched > 100_000, "matched " + matched);
        assertEquals(0, allocated, "allocated " + allocated + " bytes in 20,000 matches");
    }
}
