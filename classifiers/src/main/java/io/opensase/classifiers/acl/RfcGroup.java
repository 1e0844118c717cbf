package io.opensase.classifiers.acl;

/**
 * One compiled rule group: the cross-product tables of Recursive Flow Classification over the group's own
 * equivalence classes, all in one {@code int[]}. Phase 0 (an interval per field, mapped to this group's class by
 * the family's maps) feeds {@code ports = sp x dp}, {@code pp = ports x proto/direction} (then {@code x extras}
 * when the group has ICMP or TCP-flag rules) and {@code sd = src x dst}; the final table {@code sd x pp} holds
 * the global index of the first matching rule, or {@link Integer#MAX_VALUE}.
 * <p>
 * Layout of {@link #table}: {@code sd} at 0, then {@code ports} at {@link #portsBase}, {@code pp}, {@code px} and
 * the final table. Every cell of a table that feeds another holds an offset into {@link #table} already
 * multiplied by the width of the table it indexes, so a lookup is an add and a load per stage; the family's maps
 * hold offsets into it the same way. The group keeps nothing else, so the compiled tables exist once. Immutable;
 * any thread.
 */
final class RfcGroup
{
    /** Global index of the group's first rule: no packet gets a better answer from this group. */
    final int firstRule;
    final int rules;
    /** Width of {@code sd}'s rows: a source class maps to {@code class * dstClasses}. */
    final int dstClasses;
    /** Width of {@code ports}' rows: a source-port class maps to {@code portsBase + class * dportClasses}. */
    final int dportClasses;
    final int portsBase;
    /** Whether the group has the extras stage ({@code pp x extras}). */
    final boolean extraStage;
    final int[] table;

    RfcGroup(
        final int firstRule,
        final int rules,
        final int dstClasses,
        final int dportClasses,
        final int portsBase,
        final boolean extraStage,
        final int[] table)
    {
        this.firstRule = firstRule;
        this.rules = rules;
        this.dstClasses = dstClasses;
        this.dportClasses = dportClasses;
        this.portsBase = portsBase;
        this.extraStage = extraStage;
        this.table = table;
    }

    long bytes()
    {
        return 48L + 16L + 4L * table.length;
    }

    long cells()
    {
        return table.length;
    }
}
