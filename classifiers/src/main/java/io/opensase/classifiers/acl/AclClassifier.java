package io.opensase.classifiers.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled firewall rule list: returns, per packet, the index of the first (highest-priority) matching
 * {@link AclRule}, or -1. Built once off the packet path by {@link #build}; immutable afterwards, so one
 * instance is shared by every worker thread without locking (publish it through a final or volatile field;
 * see the package notes on swapping rule sets). Any thread.
 * <p>
 * The algorithm is Recursive Flow Classification (P. Gupta and N. McKeown, "Packet Classification on Multiple
 * Fields", SIGCOMM 1999) over rule groups: the rules are first split by whether their source and destination
 * prefixes are short or long (the four categories of CutSplit: W. Li, X. Li, H. Li and G. Xie, "CutSplit: A
 * Decision-Tree Combining Cutting and Splitting for Scalable Packet Classification", INFOCOM 2018), and a
 * group whose cross-product table would pass a cell budget is split in two by priority, as EffiCuts separates
 * rules into separable trees (B. Vamanan, G. Voskuilen and T. N. Vijaykumar, "EffiCuts: Optimizing Packet
 * Classification for Memory and Throughput", SIGCOMM 2010). Each group is an RFC reduction
 * {@code ((sport x dport) x proto) x (src x dst)}; phase 0 is shared by all groups: an interval index per field
 * (a 16-8-8 multibit trie for addresses, direct tables for ports and protocol). A lookup costs, per group,
 * nine table reads with no data-dependent branch; groups are visited in order of their first rule and the
 * search stops at the first group that cannot improve on the match found. See {@code package-info.java} for
 * the measurements behind the choice.
 * <p>
 * What the caller of the classify methods guarantees (they check nothing else, allocate nothing and never
 * log): the arguments follow {@link AclTuples}' conventions; a burst's arrays hold at least {@code count}
 * entries. Out-of-range ports, protocol, flags, ICMP fields or direction are masked to their width, never
 * rejected.
 */
public final class AclClassifier
{
    /** Default largest cross-product table of one group, in cells (4 bytes each). */
    static final long DEFAULT_CELL_BUDGET = Long.getLong("opensase.acl.cells", 1L << 22);

    private final FamilyTable v4;
    private final FamilyTable v6;
    private final int ruleCount;
    private final long buildNanos;

    private AclClassifier(final FamilyTable v4, final FamilyTable v6, final int ruleCount, final long buildNanos)
    {
        this.v4 = v4;
        this.v6 = v6;
        this.ruleCount = ruleCount;
        this.buildNanos = buildNanos;
    }

    /**
     * Compiles {@code rules} (first = highest priority). Runs on a control thread: allocates, and may take
     * about a second for 10k rules.
     */
    public static AclClassifier build(final List<AclRule> rules)
    {
        return build(rules, DEFAULT_CELL_BUDGET);
    }

    static AclClassifier build(final List<AclRule> rules, final long cellBudget)
    {
        final long start = System.nanoTime();
        final List<AclRule> v4Rules = new ArrayList<>();
        final List<AclRule> v6Rules = new ArrayList<>();
        final int[] v4Ids = new int[rules.size()];
        final int[] v6Ids = new int[rules.size()];
        for (int i = 0; i < rules.size(); i++)
        {
            final AclRule rule = rules.get(i);
            if (rule.ipv6())
            {
                v6Ids[v6Rules.size()] = i;
                v6Rules.add(rule);
            }
            else
            {
                v4Ids[v4Rules.size()] = i;
                v4Rules.add(rule);
            }
        }
        final FamilyTable v4 = v4Rules.isEmpty() ? null : FamilyTable.build(false, v4Rules, v4Ids, cellBudget);
        final FamilyTable v6 = v6Rules.isEmpty() ? null : FamilyTable.build(true, v6Rules, v6Ids, cellBudget);
        return new AclClassifier(v4, v6, rules.size(), System.nanoTime() - start);
    }

    public int ruleCount()
    {
        return ruleCount;
    }

    /** Wall time {@link #build} took. */
    public long buildNanos()
    {
        return buildNanos;
    }

    /** Bytes of the compiled tables (array payloads and headers; the rules themselves are not kept). */
    public long memoryBytes()
    {
        return 32L + (null == v4 ? 0 : v4.bytes()) + (null == v6 ? 0 : v6.bytes());
    }

    /** Rule groups, IPv4 plus IPv6. */
    public int groupCount()
    {
        return (null == v4 ? 0 : v4.groupCount()) + (null == v6 ? 0 : v6.groupCount());
    }

    /** One line per family: groups, their first rules, sizes. */
    public String describe()
    {
        return (null == v4 ? "ipv4: no rules" : v4.describe()) + System.lineSeparator()
            + (null == v6 ? "ipv6: no rules" : v6.describe());
    }

    /**
     * The first rule matching an IPv4 packet with no TCP flags, ICMP type/code 0 and unknown direction, as
     * ClassBench headers are; -1 if none.
     */
    public int classify4(final int src, final int dst, final int srcPort, final int dstPort, final int protocol)
    {
        return classify(false, 0, src & 0xFFFF_FFFFL, 0, dst & 0xFFFF_FFFFL, srcPort, dstPort, protocol, 0, 0, 0, 0);
    }

    /**
     * The first rule matching a packet, or -1.
     *
     * @param ipv6 the packet's family; rules of the other family never match
     * @param direction a {@link Direction#code()}
     */
    public int classify(
        final boolean ipv6,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int srcPort,
        final int dstPort,
        final int protocol,
        final int tcpFlags,
        final int icmpType,
        final int icmpCode,
        final int direction)
    {
        final int proto = protocol & 0xFF;
        final int protoKey = protoKey(proto, direction);
        final int extra = extraKey(proto, tcpFlags, icmpType, icmpCode);
        if (ipv6)
        {
            final FamilyTable table = v6;
            return null == table ? -1 : table.classify6(srcHi, srcLo, dstHi, dstLo, srcPort & 0xFFFF,
                dstPort & 0xFFFF, protoKey, extra);
        }
        final FamilyTable table = v4;
        return null == table ? -1 : table.classify4((int) srcLo, (int) dstLo, srcPort & 0xFFFF, dstPort & 0xFFFF,
            protoKey, extra);
    }

    /**
     * Classifies entries {@code 0..count-1} of a burst into {@code results} (rule index or -1 each).
     */
    public void classify(final AclTuples tuples, final int count, final int[] results)
    {
        java.util.Arrays.fill(results, 0, count, -1);
        if (null != v4)
        {
            v4.classify(tuples, count, results);
        }
        if (null != v6)
        {
            v6.classify(tuples, count, results);
        }
    }

    /** The protocol field's key: protocol (0..255) and direction code. */
    static int protoKey(final int protocol, final int direction)
    {
        return protocol | (direction & 3) << 8;
    }

    /** The extras field's key: TCP flags for TCP, ICMP type and code for ICMP/ICMPv6, else 0. */
    static int extraKey(final int protocol, final int tcpFlags, final int icmpType, final int icmpCode)
    {
        return AclRule.PROTO_TCP == protocol ? tcpFlags & 0xFF
            : AclRule.PROTO_ICMP == protocol || AclRule.PROTO_ICMPV6 == protocol
            ? (icmpType & 0xFF) << 8 | icmpCode & 0xFF : 0;
    }
}
