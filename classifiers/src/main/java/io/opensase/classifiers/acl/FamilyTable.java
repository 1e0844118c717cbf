package io.opensase.classifiers.acl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The compiled rules of one address family: phase-0 indexes shared by every group (an interval index per
 * field), per-field maps from interval to each group's class (interleaved, so one cache line holds a field's
 * classes for all groups), and the groups in order of their first rule. Immutable; any thread.
 */
final class FamilyTable
{
    private static final boolean DEBUG = Boolean.getBoolean("opensase.acl.debug");
    private static final boolean MERGE = !Boolean.getBoolean("opensase.acl.nomerge");
    /**
     * Most rules in a merged group. Merging is for the small leftovers of the category split; unions of larger
     * groups cost build time for little (measured: fw1_10k 406 + 985 rules fit but took 1.3 s to build,
     * fw3_10k 384 + 526 took 0.46 s, for about 5 % off a lookup).
     */
    private static final int MERGE_LIMIT = 512;
    private static final int PROTO_DOMAIN = 1 << 10;
    private static final int PORT_DOMAIN = 1 << 16;

    private final boolean ipv6;
    private final AddressIndex src;
    private final AddressIndex dst;
    private final char[] sportIndex;
    private final char[] dportIndex;
    private final char[] protoIndex;
    /** Interval of the extras value (TCP flags, or ICMP type and code); null when no rule has extras. */
    private final char[] extraIndex;
    private final int groupCount;
    /** Per group, the global index of its first rule: no better answer can come from it. */
    private final int[] firstRules;
    /** Per group, whether it has the extras stage. */
    private final boolean[] extraStage;
    /**
     * Per group, all its tables in one array ({@link RfcGroup#table}). Map entries and table cells hold offsets
     * into the group's array, each already multiplied by the width of the table it indexes, so a lookup is an
     * add and a load per stage.
     */
    private final int[][] tables;
    /** Interval to the offset of the group's {@code src x dst} row in its table; index interval * groups + g. */
    private final int[] srcMap;
    private final int[] dstMap;
    private final int[] sportMap;
    private final int[] dportMap;
    private final int[] protoMap;
    private final int[] extraMap;
    private final RfcGroup[] groups;

    private FamilyTable(
        final boolean ipv6,
        final AddressIndex src,
        final AddressIndex dst,
        final char[][] smallIndexes,
        final RfcGroup[] groups,
        final int[][] maps)
    {
        this.ipv6 = ipv6;
        this.src = src;
        this.dst = dst;
        this.sportIndex = smallIndexes[GroupBuilder.SPORT];
        this.dportIndex = smallIndexes[GroupBuilder.DPORT];
        this.protoIndex = smallIndexes[GroupBuilder.PROTO];
        this.extraIndex = smallIndexes[GroupBuilder.EXTRA];
        this.groups = groups;
        this.groupCount = groups.length;
        this.firstRules = new int[groups.length];
        this.extraStage = new boolean[groups.length];
        this.tables = new int[groups.length][];
        for (int g = 0; g < groups.length; g++)
        {
            firstRules[g] = groups[g].firstRule;
            extraStage[g] = groups[g].extraStage;
            tables[g] = groups[g].table;
        }
        this.srcMap = maps[GroupBuilder.SRC];
        this.dstMap = maps[GroupBuilder.DST];
        this.sportMap = maps[GroupBuilder.SPORT];
        this.dportMap = maps[GroupBuilder.DPORT];
        this.protoMap = maps[GroupBuilder.PROTO];
        this.extraMap = maps[GroupBuilder.EXTRA];
    }

    int groupCount()
    {
        return groupCount;
    }

    long bytes()
    {
        long bytes = src.bytes() + dst.bytes() + 2L * (sportIndex.length + dportIndex.length + protoIndex.length)
            + (null == extraIndex ? 0 : 2L * extraIndex.length) + 5L * groupCount;
        for (final RfcGroup group : groups)
        {
            bytes += group.bytes();
        }
        bytes += 4L * (srcMap.length + dstMap.length + sportMap.length + dportMap.length + protoMap.length)
            + (null == extraMap ? 0 : 4L * extraMap.length);
        return bytes;
    }

    String describe()
    {
        final StringBuilder text = new StringBuilder().append(ipv6 ? "ipv6" : "ipv4").append(": ")
            .append(groupCount).append(" groups, intervals src ").append(src.intervals()).append(" dst ")
            .append(dst.intervals());
        for (final RfcGroup group : groups)
        {
            text.append("; [first ").append(group.firstRule).append(", ").append(group.rules).append(" rules, ")
                .append(group.cells()).append(" cells]");
        }
        return text.toString();
    }

    /** First matching rule for an IPv4 packet, or -1. Arguments as in {@link #search}. */
    int classify4(final int srcAddress, final int dstAddress, final int sport, final int dport, final int proto,
        final int extra)
    {
        return search(src.lookup4(srcAddress), dst.lookup4(dstAddress), sport, dport, proto, extra);
    }

    /** First matching rule for an IPv6 packet, or -1. Arguments as in {@link #search}. */
    int classify6(final long srcHi, final long srcLo, final long dstHi, final long dstLo, final int sport,
        final int dport, final int proto, final int extra)
    {
        return search(src.lookup6(srcHi, srcLo), dst.lookup6(dstHi, dstLo), sport, dport, proto, extra);
    }

    /**
     * Classifies the packets of this family among entries {@code 0..count-1}, writing each one's result;
     * other entries are left alone. Batches of {@link AclTuples#BATCH}: phase 0 for the batch, then each group
     * for the batch, so that independent table reads of different packets overlap.
     */
    void classify(final AclTuples tuples, final int count, final int[] results)
    {
        final int[] k = tuples.scratch;
        final int b = AclTuples.BATCH;
        final int g0 = groupCount;
        for (int base = 0; base < count; base += b)
        {
            final int n = Math.min(b, count - base);
            phase0(tuples, base, n, k, results);
            for (int g = 0; g < g0; g++)
            {
                final int[] t = tables[g];
                final int first = firstRules[g];
                final boolean extraStep = extraStage[g];
                for (int j = 0; j < n; j++)
                {
                    final int s = k[j];
                    final int best = results[base + j];
                    if (s < 0 || first > best)
                    {
                        continue;
                    }
                    final int row = t[srcMap[s + g] + dstMap[k[b + j] + g]];
                    int column = t[t[sportMap[k[2 * b + j] + g] + dportMap[k[3 * b + j] + g]] + protoMap[k[4 * b + j] + g]];
                    if (extraStep)
                    {
                        column = t[column + extraMap[k[5 * b + j] + g]];
                    }
                    results[base + j] = Math.min(best, t[row + column]);
                }
            }
            for (int j = 0; j < n; j++)
            {
                if (k[j] >= 0 && Integer.MAX_VALUE == results[base + j])
                {
                    results[base + j] = -1;
                }
            }
        }
    }

    private void phase0(final AclTuples tuples, final int base, final int n, final int[] k, final int[] results)
    {
        final int b = AclTuples.BATCH;
        final int g0 = groupCount;
        final boolean[] family = tuples.ipv6;
        final int[] protocol = tuples.protocol;
        final boolean extras = null != extraIndex;
        for (int j = 0; j < n; j++)
        {
            final int i = base + j;
            if (family[i] != ipv6)
            {
                k[j] = -1;
                continue;
            }
            final int eSrc;
            final int eDst;
            if (ipv6)
            {
                eSrc = src.lookup6(tuples.srcHi[i], tuples.srcLo[i]);
                eDst = dst.lookup6(tuples.dstHi[i], tuples.dstLo[i]);
            }
            else
            {
                eSrc = src.lookup4((int) tuples.srcLo[i]);
                eDst = dst.lookup4((int) tuples.dstLo[i]);
            }
            final int proto = protocol[i] & 0xFF;
            k[j] = eSrc * g0;
            k[b + j] = eDst * g0;
            k[2 * b + j] = sportIndex[tuples.srcPort[i] & 0xFFFF] * g0;
            k[3 * b + j] = dportIndex[tuples.dstPort[i] & 0xFFFF] * g0;
            k[4 * b + j] = protoIndex[AclClassifier.protoKey(proto, tuples.direction[i])] * g0;
            k[5 * b + j] = extras ? extraIndex[AclClassifier.extraKey(proto, tuples.tcpFlags[i], tuples.icmpType[i],
                tuples.icmpCode[i])] * g0 : 0;
            results[i] = Integer.MAX_VALUE;
        }
    }

    /**
     * @param sport 0..65535
     * @param dport 0..65535
     * @param proto protocol | direction code &lt;&lt; 8, 0..1023
     * @param extra TCP flags for TCP, ICMP type &lt;&lt; 8 | code for ICMP, else 0; 0..65535
     */
    private int search(final int eSrc, final int eDst, final int sport, final int dport, final int proto,
        final int extra)
    {
        final int g0 = groupCount;
        final int s = eSrc * g0;
        final int d = eDst * g0;
        final int sp = sportIndex[sport] * g0;
        final int dp = dportIndex[dport] * g0;
        final int pr = protoIndex[proto] * g0;
        final int x = null == extraIndex ? 0 : extraIndex[extra] * g0;
        int best = Integer.MAX_VALUE;
        for (int g = 0; g < g0; g++)
        {
            if (firstRules[g] > best)
            {
                break;
            }
            final int[] t = tables[g];
            final int row = t[srcMap[s + g] + dstMap[d + g]];
            int column = t[t[sportMap[sp + g] + dportMap[dp + g]] + protoMap[pr + g]];
            if (extraStage[g])
            {
                column = t[column + extraMap[x + g]];
            }
            best = Math.min(best, t[row + column]);
        }
        return Integer.MAX_VALUE == best ? -1 : best;
    }

    /**
     * Compiles the rules of one family.
     *
     * @param rules the family's rules in priority order
     * @param globalIds each rule's index in the whole list
     * @param cellBudget most cells in one cross-product table before a group is split
     */
    static FamilyTable build(final boolean ipv6, final List<AclRule> rules, final int[] globalIds,
        final long cellBudget)
    {
        final int n = rules.size();
        final int[][][] intervals = new int[n][GroupBuilder.FIELDS][];
        final int[] constrained = new int[n];
        final long[][] srcRanges = new long[n][];
        final long[][] dstRanges = new long[n][];
        final int[][][] values = new int[GroupBuilder.FIELDS][n][];
        boolean extras = false;
        for (int i = 0; i < n; i++)
        {
            final AclRule rule = rules.get(i);
            srcRanges[i] = range(rule.source());
            dstRanges[i] = range(rule.destination());
            values[GroupBuilder.SPORT][i] = new int[] {rule.sourcePorts().lo(), rule.sourcePorts().hi()};
            values[GroupBuilder.DPORT][i] = new int[] {rule.destinationPorts().lo(), rule.destinationPorts().hi()};
            values[GroupBuilder.PROTO][i] = protoRanges(rule);
            values[GroupBuilder.EXTRA][i] = extraRanges(rule);
            extras |= rule.hasExtras();
            int mask = 0;
            mask |= rule.source().isAny() ? 0 : 1 << GroupBuilder.SRC;
            mask |= rule.destination().isAny() ? 0 : 1 << GroupBuilder.DST;
            mask |= rule.sourcePorts().isAny() ? 0 : 1 << GroupBuilder.SPORT;
            mask |= rule.destinationPorts().isAny() ? 0 : 1 << GroupBuilder.DPORT;
            mask |= 0 == rule.protocolMask() && Direction.ANY == rule.direction() ? 0 : 1 << GroupBuilder.PROTO;
            mask |= rule.hasExtras() ? 1 << GroupBuilder.EXTRA : 0;
            constrained[i] = mask;
        }
        final AddressIndex srcIndex = AddressIndex.build(srcRanges);
        final AddressIndex dstIndex = AddressIndex.build(dstRanges);
        final int[] intervalCounts = new int[GroupBuilder.FIELDS];
        intervalCounts[GroupBuilder.SRC] = srcIndex.intervals();
        intervalCounts[GroupBuilder.DST] = dstIndex.intervals();
        final char[][] smallIndexes = new char[GroupBuilder.FIELDS][];
        for (int f = GroupBuilder.SPORT; f < GroupBuilder.FIELDS; f++)
        {
            if (GroupBuilder.EXTRA == f && !extras)
            {
                intervalCounts[f] = 1;
                for (int i = 0; i < n; i++)
                {
                    values[f][i] = new int[] {0, 0};
                }
                continue;
            }
            final int domain = GroupBuilder.PROTO == f ? PROTO_DOMAIN : PORT_DOMAIN;
            smallIndexes[f] = smallIndex(values[f], domain);
            intervalCounts[f] = smallIndexes[f][domain - 1] + 1;
        }
        for (int i = 0; i < n; i++)
        {
            intervals[i][GroupBuilder.SRC] = new int[] {(int) srcRanges[i][0], (int) srcRanges[i][1]};
            intervals[i][GroupBuilder.DST] = new int[] {(int) dstRanges[i][0], (int) dstRanges[i][1]};
            for (int f = GroupBuilder.SPORT; f < GroupBuilder.FIELDS; f++)
            {
                intervals[i][f] = values[f][i];
            }
        }
        final GroupBuilder builder = new GroupBuilder(intervals, constrained, globalIds, intervalCounts, cellBudget);
        final List<GroupBuilder.Built> built = new ArrayList<>();
        final List<int[]> builtMembers = new ArrayList<>();
        final int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        final GroupBuilder.Built whole = builder.build(all);
        final ArrayDeque<int[]> pending = new ArrayDeque<>(null == whole ? categories(ipv6, rules) : List.of());
        if (null != whole)
        {
            built.add(whole);
            builtMembers.add(all);
        }
        while (!pending.isEmpty())
        {
            final int[] members = pending.poll();
            final long t0 = System.nanoTime();
            final GroupBuilder.Built group = builder.build(members);
            if (DEBUG)
            {
                System.err.printf("group of %d from %d: %s in %d ms%n", members.length, globalIds[members[0]],
                    null == group ? "over budget" : group.group().cells() + " cells", (System.nanoTime() - t0) / 1000000);
            }
            if (null != group)
            {
                built.add(group);
                builtMembers.add(members);
            }
            else
            {
                if (1 == members.length)
                {
                    throw new IllegalStateException("rule " + globalIds[members[0]] + " alone exceeds the budget");
                }
                // cells grow about with the square of the rules: split into enough pieces at once
                final int pieces = (int) Math.min(Math.min(16, members.length),
                    Math.max(2, Math.ceil(Math.sqrt(builder.overflow()))));
                for (int p = pieces - 1; p >= 0; p--)
                {
                    final int from = (int) ((long) members.length * p / pieces);
                    final int to = (int) ((long) members.length * (p + 1) / pieces);
                    pending.addFirst(Arrays.copyOfRange(members, from, to));
                }
            }
        }
        mergeSmallGroups(builder, built, builtMembers, Math.min(n / 4, MERGE_LIMIT), globalIds);
        built.sort(Comparator.comparingInt(b -> b.group().firstRule));
        final int g0 = built.size();
        final RfcGroup[] groups = new RfcGroup[g0];
        final int[][] maps = new int[GroupBuilder.FIELDS][];
        for (int f = 0; f < GroupBuilder.FIELDS; f++)
        {
            if (GroupBuilder.EXTRA == f && !extras)
            {
                continue;
            }
            maps[f] = new int[intervalCounts[f] * g0];
        }
        for (int g = 0; g < g0; g++)
        {
            final RfcGroup group = built.get(g).group();
            final int[][] groupMaps = built.get(g).maps();
            groups[g] = group;
            scatter(maps[GroupBuilder.SRC], groupMaps[GroupBuilder.SRC], g, g0, 0, group.dstClasses);
            scatter(maps[GroupBuilder.DST], groupMaps[GroupBuilder.DST], g, g0, 0, 1);
            scatter(maps[GroupBuilder.SPORT], groupMaps[GroupBuilder.SPORT], g, g0, group.portsBase,
                group.dportClasses);
            scatter(maps[GroupBuilder.DPORT], groupMaps[GroupBuilder.DPORT], g, g0, 0, 1);
            scatter(maps[GroupBuilder.PROTO], groupMaps[GroupBuilder.PROTO], g, g0, 0, 1);
            if (extras)
            {
                scatter(maps[GroupBuilder.EXTRA], groupMaps[GroupBuilder.EXTRA], g, g0, 0, 1);
            }
        }
        return new FamilyTable(ipv6, srcIndex, dstIndex, smallIndexes, groups, maps);
    }

    /**
     * Merges the two smallest groups while their union fits the budget and holds at most {@code limit} rules:
     * a packet visits every group whose first rule is ahead of its best match so far, so small groups left
     * over from the category split cost a visit each for few rules. Stops at the first union that does not
     * fit.
     */
    private static void mergeSmallGroups(final GroupBuilder builder, final List<GroupBuilder.Built> built,
        final List<int[]> members, final int limit, final int[] globalIds)
    {
        while (MERGE && built.size() > 1)
        {
            int a = -1;
            int b = -1;
            for (int g = 0; g < built.size(); g++)
            {
                final int size = members.get(g).length;
                if (a < 0 || size < members.get(a).length)
                {
                    b = a;
                    a = g;
                }
                else if (b < 0 || size < members.get(b).length)
                {
                    b = g;
                }
            }
            final int[] union = union(members.get(a), members.get(b));
            if (union.length > limit)
            {
                return;
            }
            final long t0 = System.nanoTime();
            final GroupBuilder.Built merged = builder.build(union);
            if (DEBUG)
            {
                System.err.printf("merge %d + %d rules from %d: %s in %d ms%n", members.get(a).length,
                    members.get(b).length, globalIds[union[0]],
                    null == merged ? "over budget" : merged.group().cells() + " cells", (System.nanoTime() - t0) / 1000000);
            }
            if (null == merged)
            {
                return;
            }
            final int high = Math.max(a, b);
            final int low = Math.min(a, b);
            built.remove(high);
            members.remove(high);
            built.set(low, merged);
            members.set(low, union);
        }
    }

    private static int[] union(final int[] x, final int[] y)
    {
        final int[] out = new int[x.length + y.length];
        int i = 0;
        int j = 0;
        int o = 0;
        while (i < x.length || j < y.length)
        {
            out[o++] = j == y.length || (i < x.length && x[i] < y[j]) ? x[i++] : y[j++];
        }
        return out;
    }

    /** Writes a group's interval-to-class map into the interleaved map as {@code base + class * width}. */
    private static void scatter(final int[] into, final int[] map, final int g, final int g0, final int base,
        final int width)
    {
        if (null == map)
        {
            return;
        }
        for (int e = 0; e < map.length; e++)
        {
            into[e * g0 + g] = base + map[e] * width;
        }
    }

    /** Rules split by whether source and destination prefixes are short (after CutSplit's categories). */
    private static List<int[]> categories(final boolean ipv6, final List<AclRule> rules)
    {
        final int shortBelow = ipv6 ? 64 : 16;
        final List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < 4; c++)
        {
            lists.add(new ArrayList<>());
        }
        for (int i = 0; i < rules.size(); i++)
        {
            final AclRule rule = rules.get(i);
            final int category = (rule.source().length() < shortBelow ? 2 : 0)
                + (rule.destination().length() < shortBelow ? 1 : 0);
            lists.get(category).add(i);
        }
        final List<int[]> out = new ArrayList<>();
        for (final List<Integer> list : lists)
        {
            if (!list.isEmpty())
            {
                out.add(list.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out;
    }

    /** The prefix as an inclusive range in the 128-bit space (IPv4 in the top 32 bits). */
    private static long[] range(final IpPrefix prefix)
    {
        if (prefix.ipv6())
        {
            final int length = prefix.length();
            return new long[] {prefix.hi(), prefix.lo(), prefix.hi() | ~IpPrefix.maskHi(length),
                prefix.lo() | ~IpPrefix.maskLo(length)};
        }
        final long start = prefix.lo();
        final long hostBits = 0 == prefix.length() ? 0xFFFF_FFFFL : (1L << (32 - prefix.length())) - 1;
        return new long[] {start << 32, 0, ((start | hostBits) << 32) | 0xFFFF_FFFFL, -1L};
    }

    /** Values of protocol | direction &lt;&lt; 8 the rule matches, as ranges. */
    private static int[] protoRanges(final AclRule rule)
    {
        final boolean[] match = new boolean[PROTO_DOMAIN];
        for (int v = 0; v < PROTO_DOMAIN; v++)
        {
            final int direction = v >>> 8;
            match[v] = ((v & 0xFF) & rule.protocolMask()) == rule.protocol()
                && (Direction.ANY == rule.direction() || rule.direction().code() == direction);
        }
        return runs(match);
    }

    /** Values of the extras field the rule matches, as ranges. */
    private static int[] extraRanges(final AclRule rule)
    {
        if (AclRule.ANY_ICMP != rule.icmpType())
        {
            final int base = rule.icmpType() << 8;
            return AclRule.ANY_ICMP == rule.icmpCode() ? new int[] {base, base | 0xFF}
                : new int[] {base | rule.icmpCode(), base | rule.icmpCode()};
        }
        if (0 != rule.tcpFlagsMask())
        {
            final boolean[] match = new boolean[256];
            for (int v = 0; v < 256; v++)
            {
                match[v] = (v & rule.tcpFlagsMask()) == rule.tcpFlags();
            }
            return runs(match);
        }
        return new int[] {0, PORT_DOMAIN - 1};
    }

    private static int[] runs(final boolean[] match)
    {
        int[] out = new int[8];
        int count = 0;
        for (int v = 0; v < match.length; v++)
        {
            if (match[v] && (0 == v || !match[v - 1]))
            {
                int end = v;
                while (end + 1 < match.length && match[end + 1])
                {
                    end++;
                }
                if (count + 2 > out.length)
                {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[count++] = v;
                out[count++] = end;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * The interval index of a small field (value to interval), rewriting each rule's value ranges, in place,
     * to interval ranges.
     */
    private static char[] smallIndex(final int[][] ranges, final int domain)
    {
        final boolean[] boundary = new boolean[domain + 1];
        boundary[0] = true;
        for (final int[] rule : ranges)
        {
            for (int k = 0; k < rule.length; k += 2)
            {
                boundary[rule[k]] = true;
                boundary[rule[k + 1] + 1] = true;
            }
        }
        final char[] index = new char[domain];
        int interval = -1;
        for (int v = 0; v < domain; v++)
        {
            interval += boundary[v] ? 1 : 0;
            index[v] = (char) interval;
        }
        for (final int[] rule : ranges)
        {
            for (int k = 0; k < rule.length; k++)
            {
                rule[k] = index[rule[k]];
            }
        }
        return index;
    }
}
