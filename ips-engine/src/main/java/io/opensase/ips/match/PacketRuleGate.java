package io.opensase.ips.match;

import io.opensase.ips.rules.Condition;
import io.opensase.ips.rules.Direction;
import io.opensase.ips.rules.HeaderInt;
import io.opensase.ips.rules.PortSet;
import io.opensase.ips.rules.RuleHeader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * The rules by the flow facts they need, one group per distinct value: a group whose needs the input
     * lacks is passed over at once (a large server-to-client payload skips every to-server rule in one test).
     */
    private final NeedingSame[] groups;

    PacketRuleGate(final List<CompiledRule> rules)
    {
        final Map<Integer, List<CompiledRule>> byNeeds = new TreeMap<>();
        rules.forEach(rule -> byNeeds.computeIfAbsent(rule.flowNeeds, n -> new ArrayList<>()).add(rule));
        groups = byNeeds.entrySet().stream().map(e -> new NeedingSame(e.getKey(), e.getValue()))
            .toArray(NeedingSame[]::new);
    }

    /**
     * False when no rule of the gate can hold on {@code input}, a TCP packet's match: its direction, payload
     * size and ports fit none of them.
     */
    boolean mayHold(final MatchInput input)
    {
        for (final NeedingSame group : groups)
        {
            if (FlowFacts.holds(group.flowNeeds, input.flowFacts) && group.mayHold(input))
            {
                return true;
            }
        }
        return false;
    }

    /** Rules that need the same flow facts, sorted by the largest payload size they admit, descending. */
    private static final class NeedingSame
    {
        final int flowNeeds;
        /** The smallest and largest payload sizes the rule's {@code dsize} admits ({@link SizeRange}). */
        private final int[] smallest;
        private final int[] largest;
        /** Null when the rule admits every size between its smallest and largest, else its tests. */
        private final HeaderInt[][] holes;
        /** Null for a rule on any ports. */
        private final PortSet[] sourcePorts;
        private final PortSet[] destinationPorts;
        private final boolean[] bothDirections;

        NeedingSame(final int flowNeeds, final List<CompiledRule> rules)
        {
            this.flowNeeds = flowNeeds;
            final int n = rules.size();
            final SizeRange[] ranges = new SizeRange[n];
            Arrays.setAll(ranges, i -> SizeRange.of(sizeTests(rules.get(i))));
            final Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.comparingInt((Integer i) -> ranges[i].largest()).reversed());
            smallest = new int[n];
            largest = new int[n];
            holes = new HeaderInt[n][];
            sourcePorts = new PortSet[n];
            destinationPorts = new PortSet[n];
            bothDirections = new boolean[n];
            for (int k = 0; k < n; k++)
            {
                final int i = order[k];
                final RuleHeader header = rules.get(i).rule.header();
                smallest[k] = ranges[i].smallest();
                largest[k] = ranges[i].largest();
                holes[k] = ranges[i].holes();
                final boolean anyPorts = header.sourcePorts().isAny() && header.destinationPorts().isAny();
                sourcePorts[k] = anyPorts ? null : header.sourcePorts();
                destinationPorts[k] = anyPorts ? null : header.destinationPorts();
                bothDirections[k] = header.direction() == Direction.BOTH;
            }
        }

        boolean mayHold(final MatchInput input)
        {
            final int size = input.packetPayloadSize;
            for (int k = 0; k < largest.length; k++)
            {
                if (largest[k] < size)
                {
                    return false;
                }
                if (size >= smallest[k] && (null == holes[k] || sizeHolds(holes[k], input)) && portsHold(k, input))
                {
                    return true;
                }
            }
            return false;
        }

        /** As the header test: without ports, only a rule on any port holds. */
        private boolean portsHold(final int k, final MatchInput input)
        {
            if (null == sourcePorts[k])
            {
                return true;
            }
            if (!input.hasPorts)
            {
                return false;
            }
            return portsHold(k, input.srcPort, input.dstPort)
                || bothDirections[k] && portsHold(k, input.dstPort, input.srcPort);
        }

        private boolean portsHold(final int k, final int source, final int destination)
        {
            return sourcePorts[k].contains(source) && destinationPorts[k].contains(destination);
        }
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

    /**
     * The payload sizes a rule's {@code dsize} tests admit: from {@code smallest} to {@code largest}, the whole
     * int range without tests (a packet without a known size, -1, then passes too, as it passes verification),
     * {@code 1} to {@code 0} when they admit none; {@code holes} the tests themselves when some size in between
     * fails them ({@code dsize:!N}), else null.
     */
    private record SizeRange(int smallest, int largest, HeaderInt[] holes)
    {
        static SizeRange of(final HeaderInt[] tests)
        {
            if (0 == tests.length)
            {
                return new SizeRange(Integer.MIN_VALUE, Integer.MAX_VALUE, null);
            }
            int smallest = -1;
            int largest = -1;
            int admitted = 0;
            for (int size = 0; size <= MAX_PAYLOAD_SIZE; size++)
            {
                if (admits(tests, size))
                {
                    smallest = smallest < 0 ? size : smallest;
                    largest = size;
                    admitted++;
                }
            }
            if (smallest < 0)
            {
                return new SizeRange(1, 0, null);
            }
            return new SizeRange(smallest, largest, admitted == largest - smallest + 1 ? null : tests);
        }
    }

    private static boolean admits(final HeaderInt[] tests, final int size)
    {
        for (final HeaderInt test : tests)
        {
            if (!test.match().test(size))
            {
                return false;
            }
        }
        return true;
    }
}
