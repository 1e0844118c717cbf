package io.opensase.core.firewall;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands configured rules into single-valued {@link FlatRule}s, in priority order: every combination of
 * source prefix, destination prefix and port ranges, for each IP version the rule's prefixes allow.
 */
final class Rules
{
    private static final int[] ANY_PORT = {0, 65_535};

    private Rules()
    {
    }

    /**
     * @param rules    a tenant's rules in order.
     * @param terminal true for the allow, deny and reject rules, false for the log rules.
     */
    static List<FlatRule> expand(final List<RuleConfig> rules, final boolean terminal)
    {
        final List<FlatRule> flat = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++)
        {
            final RuleConfig rule = rules.get(r);
            if ((RuleAction.LOG == rule.action()) == terminal)
            {
                continue;
            }
            for (final int version : new int[] {4, 6})
            {
                if (!allows(rule.sources(), version) || !allows(rule.destinations(), version)
                    || (1 == rule.protocol() && 6 == version) || (58 == rule.protocol() && 4 == version))
                {
                    continue;
                }
                for (final IpPrefix source : prefixes(rule.sources(), version))
                {
                    for (final IpPrefix destination : prefixes(rule.destinations(), version))
                    {
                        for (final int[] sourcePorts : ports(rule.sourcePorts()))
                        {
                            for (final int[] destinationPorts : ports(rule.destinationPorts()))
                            {
                                flat.add(new FlatRule(r, version, source, destination, sourcePorts[0], sourcePorts[1],
                                    destinationPorts[0], destinationPorts[1], rule.protocol(), rule.icmpType(),
                                    rule.icmpCode(), rule.tcpFlags(), rule.tcpFlagsMask(), rule.direction().ordinal()));
                            }
                        }
                    }
                }
            }
        }
        return flat;
    }

    private static boolean allows(final List<IpPrefix> prefixes, final int version)
    {
        return prefixes.isEmpty() || prefixes.stream().anyMatch(p -> p.version() == version);
    }

    private static List<IpPrefix> prefixes(final List<IpPrefix> prefixes, final int version)
    {
        if (prefixes.isEmpty())
        {
            return List.of(4 == version ? IpPrefix.ANY4 : IpPrefix.ANY6);
        }
        return prefixes.stream().filter(p -> p.version() == version).toList();
    }

    private static List<int[]> ports(final List<int[]> ranges)
    {
        return ranges.isEmpty() ? List.<int[]>of(ANY_PORT) : ranges;
    }
}
