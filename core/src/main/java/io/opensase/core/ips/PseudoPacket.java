package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowKey;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The packet a flow's last stream bytes are inspected on when the flow ends, written as Suricata writes its
 * flow-timeout pseudo packet ({@code FlowForceReassemblyPseudoPacketSetup}): an IP header with no link header
 * (IPv4: 20 bytes, TTL 64, id 0; IPv6: 40 bytes, hop limit 64) and a 20-byte TCP header with only ACK set, window
 * 10, the direction's next sequence number and its last acknowledgement number, both checksums filled in; no
 * payload. That is the {@code packet} its alerts carry.
 */
final class PseudoPacket
{
    /** Longest packet written: IPv6 and TCP headers. */
    static final int MAX_BYTES = 60;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCP_ACK = 0x10;
    private static final int WINDOW = 10;
    private static final int TTL = 64;

    private PseudoPacket()
    {
    }

    /**
     * Writes the packet from endpoint {@code src} of flow key {@code key} (as {@link FlowKey} lays it out) to the
     * other endpoint into {@code into}; returns its length.
     */
    static int write(final MemorySegment into, final long[] key, final int src, final long seq, final long ack)
    {
        final int dst = 1 - src;
        final boolean v6 = FlowKey.isIpv6(key);
        final int tcp = v6 ? 40 : 20;
        if (v6)
        {
            into.set(U32, 0, 0x6000_0000);
            into.set(U16, 4, (short)20);
            into.set(ValueLayout.JAVA_BYTE, 6, (byte)6);
            into.set(ValueLayout.JAVA_BYTE, 7, (byte)TTL);
            into.set(U64, 8, FlowKey.addressOf(key, src, 0));
            into.set(U64, 16, FlowKey.addressOf(key, src, 1));
            into.set(U64, 24, FlowKey.addressOf(key, dst, 0));
            into.set(U64, 32, FlowKey.addressOf(key, dst, 1));
        }
        else
        {
            into.set(U32, 0, 0x4500_0028);
            into.set(U32, 4, 0);
            into.set(U32, 8, TTL << 24 | 6 << 16);
            into.set(U32, 12, (int)FlowKey.addressOf(key, src, 1));
            into.set(U32, 16, (int)FlowKey.addressOf(key, dst, 1));
            into.set(U16, 10, (short)~fold(sum(into, 0, 20, 0)));
        }
        into.set(U16, tcp, (short)FlowKey.portOf(key, src));
        into.set(U16, tcp + 2, (short)FlowKey.portOf(key, dst));
        into.set(U32, tcp + 4, (int)seq);
        into.set(U32, tcp + 8, (int)ack);
        into.set(U16, tcp + 12, (short)(5 << 12 | TCP_ACK));
        into.set(U16, tcp + 14, (short)WINDOW);
        into.set(U32, tcp + 16, 0);
        // The checksum covers the pseudo-header (addresses, protocol, TCP length) and the TCP header.
        final long addresses = v6 ? sum(into, 8, 32, 0) : sum(into, 12, 8, 0);
        into.set(U16, tcp + 16, (short)~fold(sum(into, tcp, 20, addresses + 6 + 20)));
        return tcp + 20;
    }

    /** Sum of the big-endian 16-bit words of {@code [from, from + length)} (even length) added to {@code sum}. */
    private static long sum(final MemorySegment bytes, final int from, final int length, final long sum)
    {
        long total = sum;
        for (int i = from; i < from + length; i += 2)
        {
            total += bytes.get(U16, i) & 0xFFFF;
        }
        return total;
    }

    private static int fold(final long sum)
    {
        long folded = sum;
        while (folded >>> 16 != 0)
        {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        return (int)folded;
    }
}
