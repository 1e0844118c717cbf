package io.opensase.core.firewall;

import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.parse.PacketMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * Turns a rejected packet, in its own buffer, into the answer that goes back to its sender: a TCP RST for
 * TCP (RFC 9293 section 3.10.7.1), else an ICMP destination unreachable, "communication administratively
 * prohibited" (type 3 code 13, RFC 1812) or its ICMPv6 twin (type 1 code 1, RFC 4443), quoting the rejected
 * packet's IP header and first 8 bytes of payload. Ethernet addresses and IP addresses are swapped; VLAN tags
 * stay. Packets inside tunnels or after IPv6 extension headers, resets, ICMP errors, and packets to or from
 * multicast or broadcast addresses get no answer. Owned by one worker.
 */
final class RejectWriter
{
    /** {@link #write} could not answer this packet. */
    static final int NO_ANSWER = -1;

    private static final MemorySegment ALL = PacketMemory.ALL;
    private static final ValueLayout.OfLong BIG_ENDIAN_LONG =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final int QUOTE = 8;
    private static final int MAX_QUOTED_HEADER = 60;

    private final byte[] quoted = new byte[MAX_QUOTED_HEADER + QUOTE];

    /**
     * Writes the answer over packet {@code i}, whose bytes start at {@code address} and whose buffer holds
     * {@code room} bytes from there.
     *
     * @return the answer's length, or {@link #NO_ANSWER}.
     */
    int write(final long address, final int length, final int room, final ParsedPackets parsed, final int i)
    {
        int ip = -1;
        int transport = -1;
        for (int layer = 0; layer < parsed.layerCount(i); layer++)
        {
            final LayerType type = LayerType.of(parsed.layerType(i, layer));
            if (LayerType.isQuoted(parsed.layerType(i, layer)))
            {
                break;
            }
            switch (type)
            {
                case IPV4, IPV6 ->
                {
                    if (ip >= 0)
                    {
                        return NO_ANSWER;
                    }
                    ip = layer;
                }
                case IPV6_EXT, GRE, VXLAN, GENEVE, TEREDO, MPLS -> {
                    return NO_ANSWER;
                }
                case TCP, UDP, ICMP, ICMPV6, SCTP -> transport = layer;
                default ->
                {
                }
            }
        }
        if (ip < 0 || LayerType.ETHERNET != LayerType.of(parsed.layerType(i, 0)))
        {
            return NO_ANSWER;
        }
        final int ipOffset = parsed.layerOffset(i, ip);
        final boolean v4 = LayerType.IPV4 == LayerType.of(parsed.layerType(i, ip));
        final LayerType transportType = transport < 0 ? null : LayerType.of(parsed.layerType(i, transport));
        final long transportAt = transport < 0 ? 0 : address + parsed.layerOffset(i, transport);
        if (groupMac(address) || !unicast(address + ipOffset, v4) || isUnanswerable(transportType, transportAt))
        {
            return NO_ANSWER;
        }
        final boolean tcp = LayerType.TCP == transportType;
        swapEthernet(address);
        return tcp ? writeReset(address, ipOffset, parsed.layerOffset(i, transport), v4, room)
            : writeUnreachable(address, ipOffset, length, v4, room);
    }

    /** A frame to or from a group (multicast or broadcast) MAC address: its I/G bit is set. */
    private static boolean groupMac(final long frame)
    {
        return (u8(ALL, frame) & 1) != 0 || (u8(ALL, frame + 6) & 1) != 0;
    }

    /**
     * Only a packet between two unicast addresses is answered (RFC 1122 3.2.2, RFC 4443 2.4): never one from
     * or to a multicast, broadcast, unspecified or loopback address.
     */
    private static boolean unicast(final long ip, final boolean v4)
    {
        if (v4)
        {
            return unicast4(u8(ALL, ip + 12)) && unicast4(u8(ALL, ip + 16));
        }
        return unicast6(ip + 8) && unicast6(ip + 24);
    }

    /** By the first byte: not 0/8 (this network), 127/8 (loopback), nor 224 and up (multicast, broadcast). */
    private static boolean unicast4(final int firstByte)
    {
        return 0 != firstByte && 127 != firstByte && firstByte < 224;
    }

    private static boolean unicast6(final long address)
    {
        if (0xFF == u8(ALL, address))
        {
            return false;
        }
        final long high = ALL.get(BIG_ENDIAN_LONG, address);
        final long low = ALL.get(BIG_ENDIAN_LONG, address + 8);
        return !(0 == high && (0 == low || 1 == low));
    }

    /** A reset is never answered (RFC 9293 3.10.7.1), nor an ICMP or ICMPv6 error (RFC 1122 3.2.2, RFC 4443 2.4). */
    private static boolean isUnanswerable(final LayerType transport, final long at)
    {
        if (LayerType.TCP == transport)
        {
            return (u8(ALL, at + 13) & 0x04) != 0;
        }
        if (LayerType.ICMP == transport)
        {
            final int type = u8(ALL, at);
            return 3 == type || 4 == type || 5 == type || 11 == type || 12 == type;
        }
        return LayerType.ICMPV6 == transport && u8(ALL, at) < 128;
    }

    private static void swapEthernet(final long address)
    {
        for (int b = 0; b < 6; b++)
        {
            final byte d = ALL.get(ValueLayout.JAVA_BYTE, address + b);
            ALL.set(ValueLayout.JAVA_BYTE, address + b, ALL.get(ValueLayout.JAVA_BYTE, address + 6 + b));
            ALL.set(ValueLayout.JAVA_BYTE, address + 6 + b, d);
        }
    }

    private static int writeReset(final long address, final int ipOffset, final int tcpOffset, final boolean v4,
        final int room)
    {
        final long tcp = address + tcpOffset;
        final int srcPort = u16(ALL, tcp);
        final int dstPort = u16(ALL, tcp + 2);
        final long seq = u32(ALL, tcp + 4);
        final long ack = u32(ALL, tcp + 8);
        final int flags = u8(ALL, tcp + 13);
        final int payload = ipEnd(address, ipOffset, v4) - tcpOffset - (u8(ALL, tcp + 12) >>> 4) * 4;
        final int headerLength = v4 ? 20 : 40;
        final int total = ipOffset + headerLength + 20;
        if (total > room)
        {
            return NO_ANSWER;
        }
        writeIpHeader(address + ipOffset, v4, 6, 20);
        final long out = address + ipOffset + headerLength;
        ALL.set(PacketMemory.U16, out, (short)dstPort);
        ALL.set(PacketMemory.U16, out + 2, (short)srcPort);
        final boolean acked = (flags & 0x10) != 0;
        final long reply = seq + Math.max(0, payload) + ((flags & 0x02) != 0 ? 1 : 0) + ((flags & 0x01) != 0 ? 1 : 0);
        ALL.set(PacketMemory.U32, out + 4, (int)(acked ? ack : 0));
        ALL.set(PacketMemory.U32, out + 8, (int)(acked ? 0 : reply));
        ALL.set(ValueLayout.JAVA_BYTE, out + 12, (byte)0x50);
        ALL.set(ValueLayout.JAVA_BYTE, out + 13, (byte)(acked ? 0x04 : 0x14));
        ALL.set(PacketMemory.U16, out + 14, (short)0);
        ALL.set(PacketMemory.U16, out + 16, (short)0);
        ALL.set(PacketMemory.U16, out + 18, (short)0);
        ALL.set(PacketMemory.U16, out + 16, (short)transportChecksum(address + ipOffset, v4, 6, out, 20));
        return total;
    }

    private int writeUnreachable(final long address, final int ipOffset, final int length, final boolean v4,
        final int room)
    {
        final int originalHeader = v4 ? (u8(ALL, address + ipOffset) & 0x0F) * 4 : 40;
        final int quotedLength = Math.min(Math.min(originalHeader + QUOTE, quoted.length), length - ipOffset);
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, address + ipOffset, quoted, 0, quotedLength);
        final int headerLength = v4 ? 20 : 40;
        final int message = 8 + quotedLength;
        final int total = ipOffset + headerLength + message;
        if (total > room)
        {
            return NO_ANSWER;
        }
        writeIpHeader(address + ipOffset, v4, v4 ? 1 : 58, message);
        final long out = address + ipOffset + headerLength;
        ALL.set(ValueLayout.JAVA_BYTE, out, (byte)(v4 ? 3 : 1));
        ALL.set(ValueLayout.JAVA_BYTE, out + 1, (byte)(v4 ? 13 : 1));
        ALL.set(PacketMemory.U16, out + 2, (short)0);
        ALL.set(PacketMemory.U32, out + 4, 0);
        MemorySegment.copy(quoted, 0, ALL, ValueLayout.JAVA_BYTE, out + 8, quotedLength);
        final int checksum = v4 ? fold(sum(out, message, 0)) : transportChecksum(address + ipOffset, false, 58, out,
            message);
        ALL.set(PacketMemory.U16, out + 2, (short)checksum);
        return total;
    }

    /** Where the IP datagram's bytes end, by its own length field. */
    private static int ipEnd(final long address, final int ipOffset, final boolean v4)
    {
        return v4 ? ipOffset + u16(ALL, address + ipOffset + 2) : ipOffset + 40 + u16(ALL, address + ipOffset + 4);
    }

    /** A fresh IP header over the old one: addresses swapped, the given protocol and payload length. */
    private static void writeIpHeader(final long ip, final boolean v4, final int protocol, final int payload)
    {
        if (v4)
        {
            final int src = (int)u32(ALL, ip + 12);
            final int dst = (int)u32(ALL, ip + 16);
            ALL.set(ValueLayout.JAVA_BYTE, ip, (byte)0x45);
            ALL.set(ValueLayout.JAVA_BYTE, ip + 1, (byte)0);
            ALL.set(PacketMemory.U16, ip + 2, (short)(20 + payload));
            ALL.set(PacketMemory.U32, ip + 4, 0);
            ALL.set(ValueLayout.JAVA_BYTE, ip + 8, (byte)64);
            ALL.set(ValueLayout.JAVA_BYTE, ip + 9, (byte)protocol);
            ALL.set(PacketMemory.U16, ip + 10, (short)0);
            ALL.set(PacketMemory.U32, ip + 12, dst);
            ALL.set(PacketMemory.U32, ip + 16, src);
            ALL.set(PacketMemory.U16, ip + 10, (short)fold(sum(ip, 20, 0)));
            return;
        }
        final long srcHi = ALL.get(PacketMemory.U64, ip + 8);
        final long srcLo = ALL.get(PacketMemory.U64, ip + 16);
        ALL.set(PacketMemory.U32, ip, 0x6000_0000);
        ALL.set(PacketMemory.U16, ip + 4, (short)payload);
        ALL.set(ValueLayout.JAVA_BYTE, ip + 6, (byte)protocol);
        ALL.set(ValueLayout.JAVA_BYTE, ip + 7, (byte)64);
        ALL.set(PacketMemory.U64, ip + 8, ALL.get(PacketMemory.U64, ip + 24));
        ALL.set(PacketMemory.U64, ip + 16, ALL.get(PacketMemory.U64, ip + 32));
        ALL.set(PacketMemory.U64, ip + 24, srcHi);
        ALL.set(PacketMemory.U64, ip + 32, srcLo);
    }

    /** TCP or ICMPv6 checksum: the pseudo-header of RFC 793 / RFC 8200 section 8.1, then the message. */
    private static int transportChecksum(final long ip, final boolean v4, final int protocol, final long message,
        final int length)
    {
        long sum = v4 ? sum(ip + 12, 8, 0) : sum(ip + 8, 32, 0);
        sum += protocol + length;
        return fold(sum(message, length, sum));
    }

    private static long sum(final long address, final int length, final long start)
    {
        long sum = start;
        int b = 0;
        for (; b + 1 < length; b += 2)
        {
            sum += u16(ALL, address + b);
        }
        if (b < length)
        {
            sum += u8(ALL, address + b) << 8;
        }
        return sum;
    }

    private static int fold(final long sum)
    {
        long s = sum;
        while ((s >>> 16) != 0)
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)(~s & 0xFFFF);
    }
}
