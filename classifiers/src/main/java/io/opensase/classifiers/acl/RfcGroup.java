package io.opensase.classifiers.acl;

/**
 * One compiled rule group: the cross-product tables of Recursive Flow Classification over the group's own
 * equivalence classes. Phase 0 (an interval per field, mapped to this group's class by the family's maps)
 * feeds {@code ports = sp x dp}, {@code pp = ports x proto/direction} (then {@code x extras} when the group
 * has ICMP or TCP-flag rules) and {@code sd = src x dst}; the final table {@code sd x pp} holds the global
 * index of the first matching rule, or {@link Integer#MAX_VALUE}. Immutable; any thread.
 */
final class RfcGroup
{
    /** Global index of the group's first rule: no packet gets a better answer from this group. */
    final int firstRule;
    final int rules;
    final int dstClasses;
    final int dportClasses;
    final int protoClasses;
    final int extraClasses;
    final int ppClasses;
    final int[] sd;
    final int[] ports;
    final int[] pp;
    /** {@code pp x extras}, or null when no rule of the group constrains ICMP type/code or TCP flags. */
    final int[] px;
    final int[] fin;

    RfcGroup(
        final int firstRule,
        final int rules,
        final int dstClasses,
        final int dportClasses,
        final int protoClasses,
        final int extraClasses,
        final int ppClasses,
        final int[] sd,
        final int[] ports,
        final int[] pp,
        final int[] px,
        final int[] fin)
    {
        this.firstRule = firstRule;
        this.rules = rules;
        this.dstClasses = dstClasses;
        this.dportClasses = dportClasses;
        this.protoClasses = protoClasses;
        this.extraClasses = extraClasses;
        this.ppClasses = ppClasses;
        this.sd = sd;
        this.ports = ports;
        this.pp = pp;
        this.px = px;
        this.fin = fin;
    }

    long bytes()
    {
        return 64L + 4L * (sd.length + ports.length + pp.length + (null == px ? 0 : px.length) + fin.length);
    }

    long cells()
    {
        return sd.length + ports.length + pp.length + (null == px ? 0 : px.length) + fin.length;
    }
}
