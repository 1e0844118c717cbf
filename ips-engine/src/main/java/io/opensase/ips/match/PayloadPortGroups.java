package io.opensase.ips.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The payload literals of rules that hold on a few ports only, each in a prefilter group of its port rather
 * than in the payload's group: a payload is scanned for the payload group's literals and for those of the
 * groups of its destination port and of its source port, so that a literal such as {@code |11|} of a rule for
 * port 3306 costs nothing on port 80. A rule bound to its destination ports is looked for by the destination
 * port only: the answers of a MySQL server, from port 3306, are not scanned for what goes to it. Suricata
 * groups its rules by port for the same reason. In ET Open (variables {@code any}) 308 of the 808 payload
 * literals go into port groups; the rest of the payload group then scans in about half the time on the shared
 * captures, with a fifth of the matches to report.
 * <p>
 * A rule goes under the ports {@link PortIndexedRules#boundPorts} gives it: a rule that holds only when the
 * destination (or, failing that, the source) port is one of a few; its header test then refuses every packet
 * with another port on that side, so leaving its literal out of their scans changes no result. A literal some
 * rule on any port also needs stays in the payload group. Immutable once built; {@link #ofSourcePort} and
 * {@link #ofDestinationPort} allocate nothing.
 */
final class PayloadPortGroups
{
    private static final int NONE = -1;
    private static final int PORTS = 65_536;

    /** Per key ({@link #key}): destination ports first, then source ports. */
    private final int[] groupOfKey;
    private final int count;

    private PayloadPortGroups(final int[] groupOfKey, final int count)
    {
        this.groupOfKey = groupOfKey;
        this.count = count;
    }

    /** The key of {@code port} on the side {@code bound} names. */
    static int key(final PortIndexedRules.BoundPorts bound, final int port)
    {
        return bound.destination() ? port : PORTS + port;
    }

    /**
     * Adds one prefilter group per port key some port-bound literal needs, after the groups {@code groups}
     * holds, and returns the key to group map.
     *
     * @param keysOf each port-bound literal (that no rule on any port shares) and the {@link #key}s of its
     *               rules' ports.
     */
    static PayloadPortGroups add(final Map<Literal, SortedSet<Integer>> keysOf, final List<List<Literal>> groups)
    {
        final TreeMap<Integer, Integer> groupByKey = new TreeMap<>();
        for (final SortedSet<Integer> keys : keysOf.values())
        {
            for (final int key : keys)
            {
                groupByKey.computeIfAbsent(key, k -> groupByKey.size());
            }
        }
        final int first = groups.size();
        for (int i = 0; i < groupByKey.size(); i++)
        {
            groups.add(new ArrayList<>());
        }
        keysOf.forEach((literal, keys) -> keys.forEach(key -> groups.get(first + groupByKey.get(key))
            .add(literal)));
        final int[] groupOfKey = new int[2 * PORTS];
        Arrays.fill(groupOfKey, NONE);
        groupByKey.forEach((key, index) -> groupOfKey[key] = first + index);
        return new PayloadPortGroups(groupOfKey, groupByKey.size());
    }

    /** The prefilter group of the literals bound to destination port {@code port}, or -1 when none are. */
    int ofDestinationPort(final int port)
    {
        return groupOfKey[port];
    }

    /** The prefilter group of the literals bound to source port {@code port}, or -1 when none are. */
    int ofSourcePort(final int port)
    {
        return groupOfKey[PORTS + port];
    }

    /** Port groups. */
    int count()
    {
        return count;
    }
}
