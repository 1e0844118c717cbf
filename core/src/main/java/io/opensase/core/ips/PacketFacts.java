package io.opensase.core.ips;

import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;

import java.lang.foreign.MemorySegment;

/**
 * The header fields the rules test, read from one parsed packet: the innermost IP and transport headers (the
 * ones the flow key comes from), its VLAN stack and the transport payload's place. Reused for every packet by
 * one worker; {@link #read} fills it, nothing is allocated.
 */
final class PacketFacts
{
    static final int MAX_VLANS = 8;

    private static final MemorySegment MEMORY = PacketMemory.ALL;

    int ipVersion;
    int ipProtocol;
    long ipOffset;
    int ipHeaderLength;
    int ttl;
    int ipId;
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
    /** True when the packet came through a tunnel (GRE, VXLAN, GENEVE, IP in IP). */
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
     * long. Returns false when the packet has no IP header.
     */
    boolean read(final ParsedPackets parsed, final int i, final long address, final int length)
    {
        ipVersion = 0;
        ipProtocol = -1;
        l4Offset = -1;
        tcpFlags = 0;
        icmpType = -1;
        icmpCode = -1;
        payloadOffset = 0;
        payloadLength = 0;
        vlanCount = 0;
        tunnelled = false;
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
            final LayerType type = LayerType.of(stored);
            switch (type)
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
                case GRE, VXLAN, GENEVE -> tunnelled = true;
                default ->
                {
                }
            }
        }
        if (lastIp < 0)
        {
            return false;
        }
        tunnelled |= ipLayers > 1;
        if (tunnelled)
        {
            readOuter(parsed, i, address, firstIp, firstTransport);
        }
        ipOffset = parsed.layerOffset(i, lastIp);
        final long ip = address + ipOffset;
        long ipEnd;
        if (LayerType.of(parsed.layerType(i, lastIp)) == LayerType.IPV4)
        {
            ipVersion = 4;
            ipHeaderLength = (PacketMemory.u8(MEMORY, ip) & 0x0F) * 4;
            ipId = PacketMemory.u16(MEMORY, ip + 4);
            ttl = PacketMemory.u8(MEMORY, ip + 8);
            ipProtocol = PacketMemory.u8(MEMORY, ip + 9);
            ipEnd = ipOffset + PacketMemory.u16(MEMORY, ip + 2);
        }
        else
        {
            ipVersion = 6;
            ipHeaderLength = 40;
            ipId = 0;
            ttl = PacketMemory.u8(MEMORY, ip + 7);
            ipProtocol = parsed.ipProtocol(i);
            ipEnd = ipOffset + 40 + PacketMemory.u16(MEMORY, ip + 4);
        }
        if (ipEnd > length || ipEnd <= ipOffset)
        {
            ipEnd = length;
        }
        if (transport < 0)
        {
            return true;
        }
        l4Offset = parsed.layerOffset(i, transport);
        final long l4 = address + l4Offset;
        long headerLength;
        switch (LayerType.of(parsed.layerType(i, transport)))
        {
            case TCP ->
            {
                ipProtocol = 6;
                seq = PacketMemory.u32(MEMORY, l4 + 4);
                ack = PacketMemory.u32(MEMORY, l4 + 8);
                headerLength = (PacketMemory.u8(MEMORY, l4 + 12) >>> 4) * 4L;
                tcpFlags = PacketMemory.u8(MEMORY, l4 + 13);
                window = PacketMemory.u16(MEMORY, l4 + 14);
            }
            case UDP ->
            {
                ipProtocol = 17;
                headerLength = 8;
            }
            case ICMP, ICMPV6 ->
            {
                icmpType = PacketMemory.u8(MEMORY, l4);
                icmpCode = PacketMemory.u8(MEMORY, l4 + 1);
                headerLength = 8;
            }
            default -> headerLength = 12;
        }
        payloadOffset = l4Offset + headerLength;
        payloadLength = (int)Math.max(0, ipEnd - payloadOffset);
        return true;
    }

    private void readOuter(final ParsedPackets parsed, final int i, final long address, final int ipLayer,
        final int transportLayer)
    {
        final long ip = address + parsed.layerOffset(i, ipLayer);
        if (LayerType.of(parsed.layerType(i, ipLayer)) == LayerType.IPV4)
        {
            outerIpVersion = 4;
            outerProtocol = PacketMemory.u8(MEMORY, ip + 9);
            outerSrcHi = 0;
            outerSrcLo = PacketMemory.u32(MEMORY, ip + 12);
            outerDstHi = 0;
            outerDstLo = PacketMemory.u32(MEMORY, ip + 16);
        }
        else
        {
            outerIpVersion = 6;
            outerProtocol = PacketMemory.u8(MEMORY, ip + 6);
            outerSrcHi = PacketMemory.u64(MEMORY, ip + 8);
            outerSrcLo = PacketMemory.u64(MEMORY, ip + 16);
            outerDstHi = PacketMemory.u64(MEMORY, ip + 24);
            outerDstLo = PacketMemory.u64(MEMORY, ip + 32);
        }
        outerSrcPort = 0;
        outerDstPort = 0;
        if (transportLayer >= 0 && LayerType.of(parsed.layerType(i, transportLayer)) == LayerType.UDP)
        {
            final long udp = address + parsed.layerOffset(i, transportLayer);
            outerProtocol = 17;
            outerSrcPort = PacketMemory.u16(MEMORY, udp);
            outerDstPort = PacketMemory.u16(MEMORY, udp + 2);
        }
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
