package io.opensase.ips.match;

import io.opensase.ips.rules.Condition;
import io.opensase.ips.rules.Direction;
import io.opensase.ips.rules.HeaderInt;
import io.opensase.ips.rules.PortSet;
import io.opensase.ips.rules.RuleHeader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a TCP packet whose payload went into its flow's stream can hold any of the packet rules whose
 * literals make up {@link RuleMatcher#PACKET_PAYLOAD_GROUP}: those rules (mostly {@code dsize} ones) are few,
 * and each names a flow direction, a payload size or ports, so that most such packets can hold none of them
 * and need not be scanned for their literals. In ET Open, 57 % of those scans and 80 % of their bytes go:
 * large server-to-client payloads, where only rules for small ones or other ports remain.
 * <p>
 * It tests what verification and the caller's header test would refuse anyway, exactly as they do: the
 * flow condition ({@link FlowFacts}), {@code dsize}, and the header's ports; addresses and every other
 * keyword are left to verification, so the gate only ever lets through more than holds. The stream rules
 * that share one of these literals are not its concern: the caller leaves them out of a packet's match when
 * the payload went into the stream. Immutable once built; {@link #mayHold} allocates nothing.
 */
final class PacketRuleGate
{
    private static final int MAX_PAYLOAD_SIZE = (int)HeaderInt.Field.PAYLOAD_SIZE.max();

    /** Per rule, sorted by {@link #largestSize} descending. */
    private final int[] flowNeeds;
    /** The largest payload size the rule's {@code dsize} admits; {@link Integer#MAX_VALUE} without one. */
    private final int[] largestSize;
    private final HeaderInt[][] sizeTests;
    private final PortSet[] sourcePorts;
    private final PortSet[] destinationPorts;
    private final boolean[] bothDirections;

    PacketRuleGate(final List<CompiledRule> rules)
    {
        final Map<CompiledRule, Integer> largest = new HashMap<>();
        rules.forEach(rule -> largest.put(rule, largestSize(rule)));
        final List<CompiledRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparing(largest::get, Comparator.reverseOrder()));
        final int n = sorted.size();
        flowNeeds = new int[n];
        largestSize = new int[n];
        sizeTests = new HeaderInt[n][];
        sourcePorts = new PortSet[n];
        destinationPorts = new PortSet[n];
        bothDirections = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            final CompiledRule rule = sorted.get(i);
            final RuleHeader header = rule.rule.header();
            flowNeeds[i] = rule.flowNeeds;
            largestSize[i] = largest.get(rule);
            sizeTests[i] = sizeTests(rule);
            sourcePorts[i] = header.sourcePorts();
            destinationPorts[i] = header.destinationPorts();
            bothDirections[i] = header.direction() == Direction.BOTH;
        }
    }

    /** Rules it tests. */
    int size()
    {
        return flowNeeds.length;
    }

    /**
     * False when no rule of the gate can hold on {@code input}, a TCP packet's match: its direction, payload
     * size and ports fit none of them.
     */
    boolean mayHold(final MatchInput input)
    {
        final int size = input.packetPayloadSize;
        for (int i = 0; i < flowNeeds.length; i++)
        {
            if (largestSize[i] < size)
            {
                return false;
            }
            if (FlowFacts.holds(flowNeeds[i], input.flowFacts) && sizeHolds(sizeTests[i], input)
                && portsHold(i, input))
            {
                return true;
            }
        }
        return false;
    }

    /** As the header test: without ports, only a rule on any port holds. */
    private boolean portsHold(final int i, final MatchInput input)
    {
        if (!input.hasPorts)
        {
            return sourcePorts[i].isAny() && destinationPorts[i].isAny();
        }
        return portsHold(i, input.srcPort, input.dstPort)
            || bothDirections[i] && portsHold(i, input.dstPort, input.srcPort);
    }

    private boolean portsHold(final int i, final int source, final int destination)
    {
        return sourcePorts[i].contains(source) && destinationPorts[i].contains(destination);
    }

    private static boolean sizeHolds(final HeaderInt[] tests, final MatchInput input)
    {
        for (final HeaderInt test : tests)
        {
            if (!Conditions.holds(test, input))
            {
                return false;
            }
        }
        return true;
    }

    private static HeaderInt[] sizeTests(final CompiledRule rule)
    {
        final List<HeaderInt> tests = new ArrayList<>();
        for (final Condition condition : rule.conditions)
        {
            if (condition instanceof HeaderInt h && h.field() == HeaderInt.Field.PAYLOAD_SIZE)
            {
                tests.add(h);
            }
        }
        return tests.toArray(HeaderInt[]::new);
    }

    /** The largest size every {@code dsize} of the rule admits (-1 for none); unbounded without one. */
    private static int largestSize(final CompiledRule rule)
    {
        final HeaderInt[] tests = sizeTests(rule);
        if (0 == tests.length)
        {
            return Integer.MAX_VALUE;
        }
        for (int size = MAX_PAYLOAD_SIZE; size >= 0; size--)
        {
            boolean all = true;
            for (final HeaderInt test : tests)
            {
                all &= test.match().test(size);
            }
            if (all)
            {
                return size;
            }
        }
        return -1;
    }
}
