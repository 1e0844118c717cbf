package io.opensase.core.firewall;

import io.opensase.classifiers.acl.AclClassifier;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.classifiers.acl.PortRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The longest of a set of prefixes holding a packet's source, else the longest holding its destination,
 * as one classifier lookup: the prefixes become source rules then destination rules, each half longest
 * first, so the classifier's first match is the answer. Built off the packet path; immutable.
 */
final class PrefixLookup
{
    static final int NONE = -1;

    private final AclClassifier classifier;
    /** Value of each classifier rule. */
    private final int[] values;

    /**
     * @param prefixes  the prefixes.
     * @param values    the value each prefix stands for, in the same order.
     * @param bySource  whether a source match counts.
     * @param byDestination whether a destination match counts (after any source match).
     */
    PrefixLookup(final List<IpPrefix> prefixes, final List<Integer> values, final boolean bySource,
        final boolean byDestination)
    {
        final List<Integer> longestFirst = new ArrayList<>();
        for (int p = 0; p < prefixes.size(); p++)
        {
            longestFirst.add(p);
        }
        longestFirst.sort(Comparator.comparingInt((Integer p) -> -prefixes.get(p).length()));
        final List<AclRule> rules = new ArrayList<>();
        final List<Integer> ruleValues = new ArrayList<>();
        for (final boolean source : new boolean[] {true, false})
        {
            if (source ? !bySource : !byDestination)
            {
                continue;
            }
            for (final int p : longestFirst)
            {
                final IpPrefix prefix = prefixes.get(p);
                final IpPrefix any = prefix.ipv6() ? IpPrefix.ANY_V6 : IpPrefix.ANY_V4;
                rules.add(AclRule.of(source ? prefix : any, source ? any : prefix, PortRange.ANY, PortRange.ANY, 0, 0));
                ruleValues.add(values.get(p));
            }
        }
        this.classifier = AclClassifier.build(rules);
        this.values = ruleValues.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The value of the longest prefix holding the source (else the destination), or {@link #NONE}. */
    int lookup(final boolean ipv6, final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        final int hit = classifier.classify(ipv6, srcHi, srcLo, dstHi, dstLo, 0, 0, 0, 0, 0, 0, 0);
        return hit < 0 ? NONE : values[hit];
    }
}
