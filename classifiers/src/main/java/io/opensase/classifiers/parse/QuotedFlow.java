package io.opensase.classifiers.parse;

import java.lang.foreign.MemorySegment;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u64;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * The connection an ICMP or ICMPv6 error is about, read from the headers the error quotes: the quoted IP
 * header's addresses and protocol, and the quoted transport header's ports when present. Reusable; owned by
 * one thread; {@link #read} overwrites it.
 */
public final class QuotedFlow
{
    private int version;
    private int protocol;
    private long srcHi;
    private long srcLo;
    private long dstHi;
    private long dstLo;
    private int srcPort;
    private int dstPort;
    private boolean hasPorts;

    /**
     * Reads the quoted headers of parsed packet {@code i}, whose bytes start at {@code address} in {@code mem}.
     *
     * @return false when the packet quotes no IP header.
     */
    public boolean read(final MemorySegment mem, final long address, final ParsedPackets parsed, final int i)
    {
        version = 0;
        hasPorts = false;
        for (int layer = 0; layer < parsed.layerCount(i); layer++)
        {
            final int stored = parsed.layerType(i, layer);
            if (!LayerType.isQuoted(stored))
            {
                continue;
            }
            final long at = address + parsed.layerOffset(i, layer);
            switch (LayerType.of(stored))
            {
                case IPV4 ->
                {
                    if (0 == version)
                    {
                        version = 4;
                        protocol = u8(mem, at + 9);
                        srcHi = 0;
                        srcLo = u32(mem, at + 12);
                        dstHi = 0;
                        dstLo = u32(mem, at + 16);
                    }
                }
                case IPV6 ->
                {
                    if (0 == version)
                    {
                        version = 6;
                        protocol = u8(mem, at + 6);
                        srcHi = u64(mem, at + 8);
                        srcLo = u64(mem, at + 16);
                        dstHi = u64(mem, at + 24);
                        dstLo = u64(mem, at + 32);
                    }
                }
                case TCP, UDP, SCTP ->
                {
                    protocol = LayerType.TCP == LayerType.of(stored) ? 6 : LayerType.UDP == LayerType.of(stored) ? 17 : 132;
                    srcPort = u16(mem, at);
                    dstPort = u16(mem, at + 2);
                    hasPorts = true;
                }
                default ->
                {
                }
            }
        }
        return 0 != version;
    }

    public int version()
    {
        return version;
    }

    /** The quoted datagram's transport protocol (after IPv6 extension headers when its transport was found). */
    public int protocol()
    {
        return protocol;
    }

    public long srcHi()
    {
        return srcHi;
    }

    public long srcLo()
    {
        return srcLo;
    }

    public long dstHi()
    {
        return dstHi;
    }

    public long dstLo()
    {
        return dstLo;
    }

    public boolean hasPorts()
    {
        return hasPorts;
    }

    public int srcPort()
    {
        return srcPort;
    }

    public int dstPort()
    {
        return dstPort;
    }
}
