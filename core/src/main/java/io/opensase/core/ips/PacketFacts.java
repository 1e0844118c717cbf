package io.opensase.core.ips;

import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;

import java.lang.foreign.MemorySegment;

/**
 * The header fields the rules test, read from one parsed packet: one IP header with its transport header
 * (the innermost, whose flow the packet belongs to, or the outermost of a tunnelled packet), the packet's VLAN
 * stack, and the transport payload's place. Reused for every packet by one worker; nothing is allocated.
 */
final class PacketFacts
{
    static final int MAX_VLANS = 8;

    private static final MemorySegment MEMORY = PacketMemory.ALL;
    /** IPv6 next-header value of the fragment header. */
    private static final int IPV6_FRAGMENT_HEADER = 44;

    int ipVersion;
    int ipProtocol;
    long ipOffset;
    int ttl;
    int ipId;
    /** Addresses as the parser stores them: IPv4 in the low 32 bits of the low word. */
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    int srcPort;
    int dstPort;
    /** Transport header offset from the packet's first byte; -1 when there is none. */
    long l4Offset = -1;
    int tcpFlags;
    long seq;
    long ack;
    int window;
    int icmpType = -1;
    int icmpCode = -1;
    /** Transport payload: offset from the packet's first byte and length (0 when none). */
    long payloadOffset;
    int payloadLength;
    final int[] vlans = new int[MAX_VLANS];
    int vlanCount;
    /**
     * True when these are the inner headers of a packet that came through a tunnel (GRE, VXLAN, GENEVE, Teredo, IP
     * in IP).
     */
    boolean tunnelled;
    /** Of a tunnelled packet: the outermost IP header's version, addresses, protocol and ports (0 if none). */
    int outerIpVersion;
    long outerSrcHi;
    long outerSrcLo;
    long outerDstHi;
    long outerDstLo;
    int outerProtocol;
    int outerSrcPort;
    int outerDstPort;

    /**
     * Reads packet {@code i} of {@code parsed}, whose bytes start at {@code address} and are {@code length}
     * long: its innermost IP header, or with {@code outermost} its outermost one (then {@link #tunnelled} is
     * false: these are the tunnel's own headers). Returns false when the packet has no IP header.
     */
    boolean read(final ParsedPackets parsed, final int i, final long address, final int length,
        final boolean outermost)
    {
        vlanCount = 0;
        boolean tunnel = false;
        int ipLayers = 0;
        int firstIp = -1;
        int firstTransport = -1;
        int lastIp = -1;
        int transport = -1;
        final int layers = parsed.layerCount(i);
        for (int l = 0; l < layers; l++)
        {
            final int stored = parsed.layerType(i, l);
            if (LayerType.isQuoted(stored))
            {
                break;
            }
            switch (LayerType.of(stored))
            {
                case VLAN ->
                {
                    if (vlanCount < MAX_VLANS)
                    {
                        vlans[vlanCount++] = PacketMemory.u16(MEMORY, address + parsed.layerOffset(i, l)) & 0x0FFF;
                    }
                }
                case IPV4, IPV6 ->
                {
                    ipLayers++;
                    firstIp = firstIp < 0 ? l : firstIp;
                    lastIp = l;
                    transport = -1;
                }
                case TCP, UDP, ICMP, ICMPV6, SCTP ->
                {
                    transport = l;
                    firstTransport = 1 == ipLayers && firstTransport < 0 ? l : firstTransport;
                }
                case GRE, VXLAN, GENEVE -> tunnel = true;
                default ->
                {
                }
            }
        }
        if (lastIp < 0)
        {
            return false;
        }
        tunnel |= ipLayers > 1;
        if (outermost)
        {
            tunnelled = false;
            readHeaders(parsed, i, address, length, firstIp, firstTransport);
            return true;
        }
        tunnelled = tunnel;
        if (tunnel)
        {
            readHeaders(parsed, i, address, length, firstIp, firstTransport);
            outerIpVersion = ipVersion;
            outerSrcHi = srcHi;
            outerSrcLo = srcLo;
            outerDstHi = dstHi;
            outerDstLo = dstLo;
            outerProtocol = ipProtocol;
            outerSrcPort = srcPort;
            outerDstPort = dstPort;
        }
        readHeaders(parsed, i, address, length, lastIp, transport);
        return true;
    }

    /** The IP header at layer {@code ipLayer} and the transport header at {@code transportLayer} (-1: none). */
    private void readHeaders(final ParsedPackets parsed, final int i, final long address, final int length,
        final int ipLayer, final int transportLayer)
    {
        l4Offset = -1;
        tcpFlags = 0;
        icmpType = -1;
        icmpCode = -1;
        srcPort = 0;
        dstPort = 0;
        payloadOffset = 0;
        payloadLength = 0;
        ipOffset = parsed.layerOffset(i, ipLayer);
        final long ip = address + ipOffset;
        long ipEnd;
        boolean fragment = false;
        if (LayerType.of(parsed.layerType(i, ipLayer)) == LayerType.IPV4)
        {
            ipVersion = 4;
            fragment = (PacketMemory.u16(MEMORY, ip + 6) & 0x3FFF) != 0;
            ipId = PacketMemory.u16(MEMORY, ip + 4);
            ttl = PacketMemory.u8(MEMORY, ip + 8);
            ipProtocol = PacketMemory.u8(MEMORY, ip + 9);
            srcHi = 0;
            srcLo = PacketMemory.u32(MEMORY, ip + 12);
            dstHi = 0;
            dstLo = PacketMemory.u32(MEMORY, ip + 16);
            ipEnd = ipOffset + PacketMemory.u16(MEMORY, ip + 2);
        }
        else
        {
            ipVersion = 6;
            ipId = 0;
            ttl = PacketMemory.u8(MEMORY, ip + 7);
            ipProtocol = PacketMemory.u8(MEMORY, ip + 6);
            srcHi = PacketMemory.u64(MEMORY, ip + 8);
            srcLo = PacketMemory.u64(MEMORY, ip + 16);
            dstHi = PacketMemory.u64(MEMORY, ip + 24);
            dstLo = PacketMemory.u64(MEMORY, ip + 32);
            ipEnd = ipOffset + 40 + PacketMemory.u16(MEMORY, ip + 4);
            fragment = ipv6Fragment(parsed, i, address, ipLayer);
        }
        if (ipEnd > length || ipEnd <= ipOffset)
        {
            ipEnd = length;
        }
        if (fragment)
        {
            // As in Suricata, an IP fragment is an IP packet only: its transport header and payload are the
            // rebuilt datagram's, inspected when it is complete (first fragments too: the parser reads their
            // transport header for the flow, not for rules).
            return;
        }
        if (transportLayer < 0)
        {
            // Payload keywords see what follows the IP header: a GRE packet's GRE header and what it carries.
            final int headerLength = 4 == ipVersion ? (PacketMemory.u8(MEMORY, ip) & 0x0F) * 4 : 40;
            payloadOffset = ipOffset + headerLength;
            payloadLength = (int)Math.max(0, ipEnd - payloadOffset);
            return;
        }
        l4Offset = parsed.layerOffset(i, transportLayer);
        final long l4 = address + l4Offset;
        final long headerLength;
        switch (LayerType.of(parsed.layerType(i, transportLayer)))
        {
            case TCP ->
            {
                ipProtocol = 6;
                srcPort = PacketMemory.u16(MEMORY, l4);
                dstPort = PacketMemory.u16(MEMORY, l4 + 2);
                seq = PacketMemory.u32(MEMORY, l4 + 4);
                ack = PacketMemory.u32(MEMORY, l4 + 8);
                headerLength = (PacketMemory.u8(MEMORY, l4 + 12) >>> 4) * 4L;
                tcpFlags = PacketMemory.u8(MEMORY, l4 + 13);
                window = PacketMemory.u16(MEMORY, l4 + 14);
            }
            case UDP ->
            {
                ipProtocol = 17;
                srcPort = PacketMemory.u16(MEMORY, l4);
                dstPort = PacketMemory.u16(MEMORY, l4 + 2);
                headerLength = 8;
            }
            case ICMP, ICMPV6 ->
            {
                ipProtocol = LayerType.of(parsed.layerType(i, transportLayer)) == LayerType.ICMP ? 1 : 58;
                icmpType = PacketMemory.u8(MEMORY, l4);
                icmpCode = PacketMemory.u8(MEMORY, l4 + 1);
                headerLength = 8;
            }
            default ->
            {
                ipProtocol = 132;
                srcPort = PacketMemory.u16(MEMORY, l4);
                dstPort = PacketMemory.u16(MEMORY, l4 + 2);
                headerLength = 12;
            }
        }
        payloadOffset = l4Offset + headerLength;
        payloadLength = (int)Math.max(0, ipEnd - payloadOffset);
    }

    /**
     * Whether the IPv6 header at layer {@code ipLayer} is followed by a fragment header that makes it a fragment
     * (not an atomic fragment of RFC 6946: offset 0 and no more fragments, a whole datagram the reassembler passes
     * by, inspected as it is). A fragment's protocol becomes 44, the fragment header, as Suricata's is.
     */
    private boolean ipv6Fragment(final ParsedPackets parsed, final int i, final long address, final int ipLayer)
    {
        int nextHeader = ipProtocol;
        final int layers = parsed.layerCount(i);
        for (int l = ipLayer + 1; l < layers && LayerType.of(parsed.layerType(i, l)) == LayerType.IPV6_EXT; l++)
        {
            final long header = address + parsed.layerOffset(i, l);
            if (IPV6_FRAGMENT_HEADER == nextHeader)
            {
                // Offset (the high 13 bits) or the M flag (bit 0).
                if ((PacketMemory.u16(MEMORY, header + 2) & 0xFFF9) == 0)
                {
                    return false;
                }
                ipProtocol = IPV6_FRAGMENT_HEADER;
                return true;
            }
            nextHeader = PacketMemory.u8(MEMORY, header);
        }
        return false;
    }

    boolean isTcp()
    {
        return 6 == ipProtocol && l4Offset >= 0;
    }

    boolean isUdp()
    {
        return 17 == ipProtocol && l4Offset >= 0;
    }

    boolean isIcmp()
    {
        return icmpType >= 0;
    }
}
