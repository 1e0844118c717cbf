package io.opensase.ips.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The payload literals of rules that hold on a few ports only, each in a prefilter group of its port rather
 * than in the payload's group: a payload is scanned for the payload group's literals and for those of its
 * source and destination ports' groups, so that a literal such as {@code |11|} of a rule for port 3306 costs
 * nothing on port 80. Suricata groups its rules by port for the same reason. In ET Open (variables
 * {@code any}) 308 of the 808 payload literals go into port groups; the rest of the payload group then scans
 * in about half the time on the shared captures, with a fifth of the matches to report.
 * <p>
 * A rule goes under the ports {@link PortIndexedRules#indexedPorts} gives it: a rule that holds only when the
 * destination (or, failing that, the source) port is one of a few; its header test then refuses every packet
 * on other ports, so leaving its literal out of their scans changes no result. A literal some rule on any port
 * also needs stays in the payload group. Immutable once built; {@link #groupOf} allocates nothing.
 */
final class PayloadPortGroups
{
    private static final int NONE = -1;
    private static final int PORTS = 65_536;

    private final int[] groupOfPort;
    private final int count;

    private PayloadPortGroups(final int[] groupOfPort, final int count)
    {
        this.groupOfPort = groupOfPort;
        this.count = count;
    }

    /**
     * Adds one prefilter group per port some port-bound literal needs, after the groups {@code groups} holds,
     * and returns the port to group map.
     *
     * @param portsOf each port-bound literal (that no rule on any port shares) and the ports of its rules.
     */
    static PayloadPortGroups add(final Map<Literal, SortedSet<Integer>> portsOf, final List<List<Literal>> groups)
    {
        final TreeMap<Integer, Integer> groupByPort = new TreeMap<>();
        for (final SortedSet<Integer> ports : portsOf.values())
        {
            for (final int port : ports)
            {
                groupByPort.computeIfAbsent(port, p -> groupByPort.size());
            }
        }
        final int first = groups.size();
        for (int i = 0; i < groupByPort.size(); i++)
        {
            groups.add(new ArrayList<>());
        }
        portsOf.forEach((literal, ports) -> ports.forEach(port -> groups.get(first + groupByPort.get(port))
            .add(literal)));
        final int[] groupOfPort = new int[PORTS];
        Arrays.fill(groupOfPort, NONE);
        groupByPort.forEach((port, index) -> groupOfPort[port] = first + index);
        return new PayloadPortGroups(groupOfPort, groupByPort.size());
    }

    /** The prefilter group of {@code port}'s literals, or -1 when no rule is bound to it. */
    int groupOf(final int port)
    {
        return groupOfPort[port];
    }

    /** Port groups, that is ports some literal is bound to. */
    int count()
    {
        return count;
    }
}
