package io.opensase.ips.match;

import io.opensase.ips.rules.FlowCondition;
import io.opensase.ips.rules.RuleParser;
import io.opensase.ips.rules.RuleSource;
import io.opensase.ips.rules.Variables;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code flow:} as bits: hand-checked conditions against inputs that must and must not satisfy them. */
class FlowFactsTest
{
    private static boolean holds(final FlowCondition flow, final MatchInput.Direction direction,
        final boolean established, final boolean stream)
    {
        return FlowFacts.holds(FlowFacts.needs(flow),
            new MatchInput().flow(direction, established, stream).flowFacts);
    }

    @Test
    void establishedToServerOnlyStream()
    {
        final FlowCondition flow = new FlowCondition(FlowCondition.State.ESTABLISHED, FlowCondition.Side.TO_SERVER,
            FlowCondition.Mode.ONLY_STREAM);
        assertTrue(holds(flow, MatchInput.Direction.TO_SERVER, true, true));
        assertFalse(holds(flow, MatchInput.Direction.TO_CLIENT, true, true), "other direction");
        assertFalse(holds(flow, MatchInput.Direction.NONE, true, true), "no flow");
        assertFalse(holds(flow, MatchInput.Direction.TO_SERVER, false, true), "not established");
        assertFalse(holds(flow, MatchInput.Direction.TO_SERVER, true, false), "a packet, not the stream");
    }

    @Test
    void notEstablishedNoStreamAndTheConditionsThatHoldAlways()
    {
        final FlowCondition flow = new FlowCondition(FlowCondition.State.NOT_ESTABLISHED, FlowCondition.Side.ANY,
            FlowCondition.Mode.NO_STREAM);
        assertTrue(holds(flow, MatchInput.Direction.NONE, false, false), "a packet without flow is not established");
        assertTrue(holds(flow, MatchInput.Direction.TO_CLIENT, false, false));
        assertFalse(holds(flow, MatchInput.Direction.TO_CLIENT, true, false));
        assertFalse(holds(flow, MatchInput.Direction.TO_CLIENT, false, true));
        final FlowCondition stateless = new FlowCondition(FlowCondition.State.STATELESS, FlowCondition.Side.ANY,
            FlowCondition.Mode.ANY);
        assertTrue(holds(stateless, MatchInput.Direction.NONE, false, false));
        assertTrue(holds(stateless, MatchInput.Direction.TO_SERVER, true, true));
        assertTrue(holds(FlowCondition.ANY, MatchInput.Direction.TO_CLIENT, true, false));
    }

    @Test
    void aClearedInputHasNoFlow()
    {
        final MatchInput input = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true).clear();
        final FlowCondition toServer = new FlowCondition(FlowCondition.State.ANY, FlowCondition.Side.TO_SERVER,
            FlowCondition.Mode.ANY);
        assertFalse(FlowFacts.holds(FlowFacts.needs(toServer), input.flowFacts));
        assertTrue(FlowFacts.holds(FlowFacts.needs(new FlowCondition(FlowCondition.State.NOT_ESTABLISHED,
            FlowCondition.Side.ANY, FlowCondition.Mode.NO_STREAM)), input.flowFacts));
    }

    /**
     * A rule without a flow direction takes the one its application buffers imply when they all go one way (a
     * tester found a {@code tls.sni} rule alerting again on the server's side); a buffer inspected both ways
     * leaves it open to both.
     */
    @Test
    void oneWayBuffersImplyTheirDirection()
    {
        final RuleParser parser = new RuleParser(Variables.suricataDefaults(), null);
        final String[] bodies = {"tls.sni; content:\"a\";", "ja3.hash; content:\"a\";",
            "tls.cert_subject; content:\"a\";", "ja3s.hash; content:\"a\";",
            "tls.sni; content:\"a\"; tls.alpn; content:\"b\";", "tls.alpn; content:\"b\";",
            "content:\"a\"; tls.sni; content:\"b\";"};
        final String[] holdWhere = {"S", "S", "C", "C", "SC", "SC", "S"};
        for (int i = 0; i < bodies.length; i++)
        {
            final int needs = FlowFacts.needs(parser.parse("alert tls any any -> any any (" + bodies[i] + " sid:1;)",
                RuleSource.TEXT));
            final String where = (FlowFacts.holds(needs, new MatchInput().flow(MatchInput.Direction.TO_SERVER, true,
                false).flowFacts) ? "S" : "") + (FlowFacts.holds(needs, new MatchInput()
                .flow(MatchInput.Direction.TO_CLIENT, true, false).flowFacts) ? "C" : "");
            assertEquals(holdWhere[i], where, bodies[i]);
        }
    }
}
