package io.opensase.core.bench;

import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.Stage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Benchmark traffic only: makes every pass over a looped capture new traffic by XOR-ing both IP addresses
 * of untagged Ethernet IPv4 and IPv6 packets with a value derived from the pass number. Both directions of
 * a flow get the same value, so they still meet in one flow; the next pass makes new flows, so the flow
 * table keeps inserting. Runs before parsing.
 */
final class AddressRewriteStage implements Stage
{
    private static final MemorySegment ALL = PacketMemory.ALL;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final long packetsPerPass;
    private long packets;

    AddressRewriteStage(final long packetsPerPass)
    {
        this.packetsPerPass = packetsPerPass;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        for (int i = 0; i < burst.size(); i++)
        {
            final int salt = (int)(packets++ / packetsPerPass) * 0x9E37_79B1;
            final long data = burst.data(i);
            final int length = burst.length(i);
            if (length < 14)
            {
                continue;
            }
            final int ethertype = PacketMemory.u16(ALL, data + 12);
            if (0x0800 == ethertype && length >= 34)
            {
                xor(data + 26, salt);
                xor(data + 30, salt);
            }
            else if (0x86DD == ethertype && length >= 54)
            {
                xor(data + 34, salt);
                xor(data + 50, salt);
            }
        }
    }

    private static void xor(final long address, final int salt)
    {
        ALL.set(INT, address, ALL.get(INT, address) ^ salt);
    }
}
