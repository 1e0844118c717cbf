package io.opensase.core.firewall;

import io.opensase.classifiers.acl.AclClassifier;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.classifiers.acl.PortRange;
import io.opensase.classifiers.lpm.Ipv4Lpm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The longest of a set of prefixes holding a packet's source, else the longest holding its destination.
 * IPv4: a scan of at most {@link #SCAN_LIMIT} prefixes, longest first, or else an {@link Ipv4Lpm} (256 KiB,
 * so that a tenant naming one inside prefix does not pay for a table). IPv6: one classifier lookup, the
 * prefixes becoming source rules then destination rules, each half longest first, so that the first match is
 * the answer. Built off the packet path; immutable.
 */
final class PrefixLookup
{
    static final int NONE = -1;
    /** Up to this many IPv4 prefixes, a scan beats the table's cache misses. */
    static final int SCAN_LIMIT = 8;

    private final boolean bySource;
    private final boolean byDestination;
    /** IPv4 prefixes longest first, as network and mask, with their values: used when few. */
    private final int[] scanNetworks;
    private final int[] scanMasks;
    private final int[] scanValues;
    /** The IPv4 prefixes when more than {@link #SCAN_LIMIT}, else null. */
    private final Ipv4Lpm ipv4;
    /** The IPv6 prefixes as classifier rules, or null when there are none. */
    private final AclClassifier ipv6;
    /** Value of each IPv6 classifier rule. */
    private final int[] ipv6Values;

    /**
     * @param prefixes      the prefixes.
     * @param values        the value each prefix stands for (0..{@link Ipv4Lpm#MAX_VALUE}), in the same order.
     * @param bySource      whether a source match counts.
     * @param byDestination whether a destination match counts (after any source match).
     */
    PrefixLookup(final List<IpPrefix> prefixes, final List<Integer> values, final boolean bySource,
        final boolean byDestination)
    {
        this.bySource = bySource;
        this.byDestination = byDestination;
        final List<Integer> longestFirst = new ArrayList<>();
        for (int p = 0; p < prefixes.size(); p++)
        {
            longestFirst.add(p);
        }
        longestFirst.sort(Comparator.comparingInt((Integer p) -> -prefixes.get(p).length()));
        final List<Integer> v4 = longestFirst.stream().filter(p -> !prefixes.get(p).ipv6()).toList();
        final List<Integer> v6 = longestFirst.stream().filter(p -> prefixes.get(p).ipv6()).toList();

        final int scanned = v4.size() <= SCAN_LIMIT ? v4.size() : 0;
        scanNetworks = new int[scanned];
        scanMasks = new int[scanned];
        scanValues = new int[scanned];
        for (int s = 0; s < scanned; s++)
        {
            final IpPrefix prefix = prefixes.get(v4.get(s));
            scanNetworks[s] = (int)prefix.lo();
            scanMasks[s] = 0 == prefix.length() ? 0 : -1 << (32 - prefix.length());
            scanValues[s] = values.get(v4.get(s));
        }
        ipv4 = 0 == scanned && !v4.isEmpty() ? Ipv4Lpm.build(v4.stream()
            .map(p -> new Ipv4Lpm.Prefix((int)prefixes.get(p).lo(), prefixes.get(p).length(), values.get(p)))
            .toList()) : null;

        final List<AclRule> rules = new ArrayList<>();
        final List<Integer> ruleValues = new ArrayList<>();
        for (final boolean source : new boolean[] {true, false})
        {
            if (source ? !bySource : !byDestination)
            {
                continue;
            }
            for (final int p : v6)
            {
                final IpPrefix prefix = prefixes.get(p);
                rules.add(AclRule.of(source ? prefix : IpPrefix.ANY_V6, source ? IpPrefix.ANY_V6 : prefix,
                    PortRange.ANY, PortRange.ANY, 0, 0));
                ruleValues.add(values.get(p));
            }
        }
        ipv6 = rules.isEmpty() ? null : AclClassifier.build(rules);
        ipv6Values = ruleValues.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The value of the longest prefix holding the source (else the destination), or {@link #NONE}. */
    int lookup(final boolean isIpv6, final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        if (isIpv6)
        {
            final int hit = null == ipv6 ? -1 : ipv6.classify(true, srcHi, srcLo, dstHi, dstLo, 0, 0, 0, 0, 0, 0, 0);
            return hit < 0 ? NONE : ipv6Values[hit];
        }
        int value = bySource ? lookup4((int)srcLo) : NONE;
        if (NONE == value && byDestination)
        {
            value = lookup4((int)dstLo);
        }
        return value;
    }

    private int lookup4(final int address)
    {
        if (null != ipv4)
        {
            return ipv4.lookup(address);
        }
        for (int s = 0; s < scanNetworks.length; s++)
        {
            if ((address & scanMasks[s]) == scanNetworks[s])
            {
                return scanValues[s];
            }
        }
        return NONE;
    }
}
