package io.opensase.dpdk.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The struct layouts of this package as (name, offset, size) rows, in the form the shim's layout table and the
 * test's C probe print, so that the three can be compared. Stateless, any thread.
 */
public final class Layouts
{
    /** A struct ({@code "rte_mbuf"}), a member ({@code "rte_mbuf.pkt_len"}) or a bit ({@code "...#bit"}). */
    public record Row(String name, long offset, long size)
    {
    }

    private static final List<GroupLayout> STRUCTS = List.of(
        rte_mbuf.layout(), rte_eth_conf.layout(), rte_eth_rss_conf.layout(), rte_eth_dev_info.layout(),
        rte_eth_link.layout(), rte_eth_stats.layout(), rte_eth_xstat.layout(), rte_eth_xstat_name.layout(),
        rte_ether_addr.layout(), opensase_layout_entry.layout());

    private Layouts()
    {
    }

    /** Every named member of every struct class, and the bit numbers of {@code rte_eth_link}'s bit-fields. */
    public static Map<String, Row> java()
    {
        final Map<String, Row> rows = new LinkedHashMap<>();
        for (final GroupLayout struct : STRUCTS)
        {
            final String name = struct.name().orElseThrow();
            rows.put(name, new Row(name, 0, struct.byteSize()));
            addMembers(rows, name, struct, 0);
        }
        addBit(rows, "rte_eth_link.link_duplex", rte_eth_link.link_duplex$bit);
        addBit(rows, "rte_eth_link.link_autoneg", rte_eth_link.link_autoneg$bit);
        addBit(rows, "rte_eth_link.link_status", rte_eth_link.link_status$bit);
        return rows;
    }

    /** The rows the shim reports ({@code opensase_layout}): the layout it was compiled with. */
    public static List<Row> shim()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment count = arena.allocate(CTypes.C_INT);
            final MemorySegment table = opensase_dpdk_h.opensase_layout(count);
            final int n = count.get(CTypes.C_INT, 0);
            final MemorySegment rows = table.reinterpret(n * opensase_layout_entry.layout().byteSize());
            final List<Row> result = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                result.add(new Row(opensase_layout_entry.name(rows, i),
                    Integer.toUnsignedLong(opensase_layout_entry.offset(rows, i)),
                    Integer.toUnsignedLong(opensase_layout_entry.size(rows, i))));
            }
            return result;
        }
    }

    /**
     * Differences between reported rows and the Java layouts, one line each; empty when they agree.
     *
     * @param requireKnown whether a reported row the Java layouts do not name is a difference (true for the shim,
     *                     whose table lists only what Java uses; false for the test's probe, which prints more).
     */
    public static List<String> mismatches(final List<Row> reported, final boolean requireKnown)
    {
        final Map<String, Row> java = java();
        final List<String> mismatches = new ArrayList<>();
        for (final Row row : reported)
        {
            final Row expected = java.get(row.name());
            if (null == expected)
            {
                if (requireKnown)
                {
                    mismatches.add(row.name() + ": not in the Java layouts");
                }
            }
            else if (expected.offset() != row.offset() || expected.size() != row.size())
            {
                mismatches.add(row.name() + ": C has offset " + row.offset() + " size " + row.size() +
                    ", Java has offset " + expected.offset() + " size " + expected.size());
            }
        }
        return mismatches;
    }

    private static void addMembers(final Map<String, Row> rows, final String prefix, final GroupLayout group,
        final long base)
    {
        for (final MemoryLayout member : group.memberLayouts())
        {
            if (member instanceof PaddingLayout || member.name().isEmpty())
            {
                continue;
            }
            final String name = prefix + "." + member.name().get();
            final long offset = base + group.byteOffset(MemoryLayout.PathElement.groupElement(member.name().get()));
            rows.put(name, new Row(name, offset, member.byteSize()));
            if (member instanceof GroupLayout nested)
            {
                addMembers(rows, name, nested, offset);
            }
        }
    }

    private static void addBit(final Map<String, Row> rows, final String member, final int bit)
    {
        rows.put(member + "#bit", new Row(member + "#bit", bit, 1));
    }
}
