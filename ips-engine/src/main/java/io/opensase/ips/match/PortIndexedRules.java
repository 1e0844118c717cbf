package io.opensase.ips.match;

import io.opensase.ips.rules.Direction;
import io.opensase.ips.rules.IpProtocol;
import io.opensase.ips.rules.PortSet;
import io.opensase.ips.rules.RuleHeader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The rules without a prefilter literal, indexed by the ports their headers name, so that a match whose input
 * has ports considers only those whose ports can hold: without it each of them (in ET Open, mostly SYN-scan
 * rules for one service port each) is looked at on every match. A rule whose destination ports are a few
 * ports goes under each of them; else one whose source ports are, under those; the rest (ports {@code any},
 * long ranges, {@code <>}) are always considered, except those with {@code ip_proto}, considered for the IP
 * protocols it admits only (ET Open's 6in4 rule, {@code ip_proto:41}, was a candidate in every match).
 * Suricata groups all its rules by port for the same reason; here only the rules the prefilter cannot stand
 * in for need it.
 * <p>
 * Immutable once built; {@link #select} allocates nothing.
 */
final class PortIndexedRules
{
    /** Ports a rule's set may hold to be indexed under each; a wider set is considered on every match. */
    static final int MAX_INDEXED_PORTS = 64;
    private static final int PROTOCOLS = 256;

    private final int indexed;
    /** The unindexed rules without {@code ip_proto}; those with it, under each IP protocol it admits. */
    private final int[] portless;
    private final int[][] portlessByProtocol;
    private final int[] destinationPorts;
    private final int[][] byDestination;
    private final int[] sourcePorts;
    private final int[][] bySource;

    /**
     * @param rules   every compiled rule, by index.
     * @param indexes the indexes of the rules without a prefilter literal, ascending.
     */
    PortIndexedRules(final List<CompiledRule> rules, final int[] indexes)
    {
        final List<Integer> rest = new ArrayList<>();
        final TreeMap<Integer, List<Integer>> destination = new TreeMap<>();
        final TreeMap<Integer, List<Integer>> source = new TreeMap<>();
        for (final int index : indexes)
        {
            final BoundPorts bound = boundPorts(rules.get(index).rule.header());
            if (null == bound)
            {
                rest.add(index);
                continue;
            }
            final TreeMap<Integer, List<Integer>> side = bound.destination() ? destination : source;
            for (final int port : bound.ports())
            {
                side.computeIfAbsent(port, p -> new ArrayList<>()).add(index);
            }
        }
        indexed = indexes.length - rest.size();
        final List<Integer> anyProtocol = new ArrayList<>();
        final List<List<Integer>> protocol = new ArrayList<>();
        for (int p = 0; p < PROTOCOLS; p++)
        {
            protocol.add(new ArrayList<>());
        }
        for (final int index : rest)
        {
            final List<IpProtocol> tests = rules.get(index).rule.conditions().stream()
                .filter(IpProtocol.class::isInstance).map(IpProtocol.class::cast).toList();
            if (tests.isEmpty())
            {
                anyProtocol.add(index);
                continue;
            }
            for (int p = 0; p < PROTOCOLS; p++)
            {
                final int number = p;
                if (tests.stream().allMatch(t -> t.match().test(number)))
                {
                    protocol.get(p).add(index);
                }
            }
        }
        portless = anyProtocol.stream().mapToInt(Integer::intValue).toArray();
        portlessByProtocol = protocol.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
            .toArray(int[][]::new);
        destinationPorts = destination.keySet().stream().mapToInt(Integer::intValue).toArray();
        byDestination = destination.values().stream()
            .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        sourcePorts = source.keySet().stream().mapToInt(Integer::intValue).toArray();
        bySource = source.values().stream()
            .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /**
     * The ports a rule holds on, when they are few: its destination ports when they are at most
     * {@link #MAX_INDEXED_PORTS} ({@code destination} true), else its source ports when they are.
     *
     * @param ports ascending.
     */
    record BoundPorts(boolean destination, int[] ports)
    {
        /** True when a packet from {@code source} to {@code destinationPort} has the bound side's port. */
        boolean admit(final int source, final int destinationPort)
        {
            return Arrays.binarySearch(ports, destination ? destinationPort : source) >= 0;
        }
    }

    /** The few ports a rule of {@code header} is bound to; null when it has none, or for {@code <>}. */
    static BoundPorts boundPorts(final RuleHeader header)
    {
        if (header.direction() == Direction.BOTH)
        {
            return null;
        }
        final int[] destination = few(header.destinationPorts());
        if (null != destination)
        {
            return new BoundPorts(true, destination);
        }
        final int[] source = few(header.sourcePorts());
        return null == source ? null : new BoundPorts(false, source);
    }

    /** The ports of {@code set} when it holds at most {@link #MAX_INDEXED_PORTS}, else null. */
    private static int[] few(final PortSet set)
    {
        final int[] ranges = set.ranges();
        int count = 0;
        for (int i = 0; i < ranges.length; i += 2)
        {
            count += ranges[i + 1] - ranges[i] + 1;
            if (count > MAX_INDEXED_PORTS)
            {
                return null;
            }
        }
        final int[] ports = new int[count];
        int n = 0;
        for (int i = 0; i < ranges.length; i += 2)
        {
            for (int p = ranges[i]; p <= ranges[i + 1]; p++)
            {
                ports[n++] = p;
            }
        }
        Arrays.sort(ports);
        return ports;
    }

    /** Rules indexed by a port: considered only for inputs with that port. */
    int indexed()
    {
        return indexed;
    }

    /**
     * Hands {@code into} each rule the input may hold for: the unindexed ones and, with the input's ports, the
     * rules indexed under its destination or source port (an indexed rule needs one of its ports).
     */
    void select(final MatchInput input, final IntConsumer into)
    {
        for (final int rule : portless)
        {
            into.accept(rule);
        }
        if (0 != input.ipVersion)
        {
            for (final int rule : portlessByProtocol[input.ipProtocol & 0xFF])
            {
                into.accept(rule);
            }
        }
        if (!input.hasPorts)
        {
            return;
        }
        final int d = Arrays.binarySearch(destinationPorts, input.dstPort);
        if (d >= 0)
        {
            for (final int rule : byDestination[d])
            {
                into.accept(rule);
            }
        }
        final int s = Arrays.binarySearch(sourcePorts, input.srcPort);
        if (s >= 0)
        {
            for (final int rule : bySource[s])
            {
                into.accept(rule);
            }
        }
    }
}
