package io.opensase.core.firewall;

import io.opensase.classifiers.acl.AclClassifier;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.classifiers.acl.PortRange;

import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's rules of one kind (terminal or log) compiled into one {@link AclClassifier}. A configured rule
 * with lists of prefixes and port ranges expands into one classifier rule per combination, each mapped back
 * to the configured rule's index, so the classifier's first match is the first configured rule that matches.
 * Built off the packet path; immutable; read by every worker.
 */
public final class CompiledRules
{
    /** No rule matched. */
    public static final int NO_MATCH = -1;

    private static final List<PortRange> ANY_PORT = List.of(PortRange.ANY);

    private final AclClassifier classifier;
    /** Configured rule index of each classifier rule. */
    private final int[] configuredIndex;

    private CompiledRules(final AclClassifier classifier, final int[] configuredIndex)
    {
        this.classifier = classifier;
        this.configuredIndex = configuredIndex;
    }

    /**
     * @param rules    a tenant's rules in order.
     * @param terminal true for the allow, deny and reject rules, false for the log rules.
     */
    public static CompiledRules compile(final List<RuleConfig> rules, final boolean terminal)
    {
        final List<AclRule> expanded = new ArrayList<>();
        final List<Integer> index = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++)
        {
            final RuleConfig rule = rules.get(r);
            if ((RuleAction.LOG == rule.action()) == terminal)
            {
                continue;
            }
            for (final boolean ipv6 : new boolean[] {false, true})
            {
                if (!fitsFamily(rule, ipv6))
                {
                    continue;
                }
                for (final IpPrefix source : prefixes(rule.sources(), ipv6))
                {
                    for (final IpPrefix destination : prefixes(rule.destinations(), ipv6))
                    {
                        for (final PortRange sourcePorts : ports(rule.sourcePorts()))
                        {
                            for (final PortRange destinationPorts : ports(rule.destinationPorts()))
                            {
                                expanded.add(new AclRule(source, destination, sourcePorts, destinationPorts,
                                    Math.max(0, rule.protocol()), rule.protocol() < 0 ? 0 : 0xFF, rule.icmpType(),
                                    rule.icmpCode(), rule.tcpFlags(), rule.tcpFlagsMask(), rule.direction()));
                                index.add(r);
                            }
                        }
                    }
                }
            }
        }
        return new CompiledRules(AclClassifier.build(expanded), index.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * @param direction an {@link io.opensase.classifiers.acl.Direction#code()}.
     * @param icmpType  ICMP or ICMPv6 type and code, any value for other protocols.
     * @return the index of the first configured rule matching the packet, or {@link #NO_MATCH}.
     */
    public int match(final boolean ipv6, final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int srcPort, final int dstPort, final int protocol, final int tcpFlags, final int icmpType,
        final int icmpCode, final int direction)
    {
        final int hit = classifier.classify(ipv6, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, protocol, tcpFlags,
            icmpType, icmpCode, direction);
        return hit < 0 ? NO_MATCH : configuredIndex[hit];
    }

    /** Classifier rules the configured rules expanded into. */
    public int size()
    {
        return configuredIndex.length;
    }

    /**
     * A rule applies to a family when its prefixes allow it (no prefixes: both) and its protocol is not the
     * other family's ICMP.
     */
    private static boolean fitsFamily(final RuleConfig rule, final boolean ipv6)
    {
        return allows(rule.sources(), ipv6) && allows(rule.destinations(), ipv6)
            && !(AclRule.PROTO_ICMP == rule.protocol() && ipv6) && !(AclRule.PROTO_ICMPV6 == rule.protocol() && !ipv6);
    }

    private static boolean allows(final List<IpPrefix> prefixes, final boolean ipv6)
    {
        return prefixes.isEmpty() || prefixes.stream().anyMatch(p -> p.ipv6() == ipv6);
    }

    private static List<IpPrefix> prefixes(final List<IpPrefix> prefixes, final boolean ipv6)
    {
        if (prefixes.isEmpty())
        {
            return List.of(ipv6 ? IpPrefix.ANY_V6 : IpPrefix.ANY_V4);
        }
        return prefixes.stream().filter(p -> p.ipv6() == ipv6).toList();
    }

    private static List<PortRange> ports(final List<PortRange> ranges)
    {
        return ranges.isEmpty() ? ANY_PORT : ranges;
    }
}
