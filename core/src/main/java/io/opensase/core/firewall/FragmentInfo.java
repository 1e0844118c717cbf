package io.opensase.core.firewall;

import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.parse.Protocol;

import java.lang.foreign.MemorySegment;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * Whether a parsed packet is a fragment, which one, and of which datagram: the innermost own IPv4 header's
 * flags, offset and identification, or the IPv6 fragment header's. Reusable; owned by one thread.
 */
final class FragmentInfo
{
    private boolean fragment;
    private boolean first;
    private int version;
    private int protocol;
    private long identification;
    private long srcHi;
    private long srcLo;
    private long dstHi;
    private long dstLo;

    /** Reads packet {@code i}; false when it is not a fragment. */
    boolean read(final MemorySegment mem, final long address, final ParsedPackets parsed, final int i)
    {
        fragment = false;
        if (!Protocol.FRAGMENT.isIn(parsed.protocols(i)))
        {
            return false;
        }
        int nextHeader = -1;
        for (int layer = 0; layer < parsed.layerCount(i); layer++)
        {
            final int stored = parsed.layerType(i, layer);
            if (LayerType.isQuoted(stored))
            {
                break;
            }
            final long at = address + parsed.layerOffset(i, layer);
            switch (LayerType.of(stored))
            {
                case IPV4 ->
                {
                    final int flagsOffset = u16(mem, at + 6);
                    if ((flagsOffset & 0x3FFF) != 0)
                    {
                        set(4, u8(mem, at + 9), u16(mem, at + 4), (flagsOffset & 0x1FFF) == 0);
                    }
                    nextHeader = -1;
                }
                case IPV6 -> nextHeader = u8(mem, at + 6);
                case IPV6_EXT ->
                {
                    if (44 == nextHeader)
                    {
                        set(6, u8(mem, at), u32(mem, at + 4), (u16(mem, at + 2) >>> 3) == 0);
                    }
                    nextHeader = u8(mem, at);
                }
                default ->
                {
                }
            }
        }
        if (fragment)
        {
            version = parsed.ipVersion(i);
            srcHi = parsed.srcHi(i);
            srcLo = parsed.srcLo(i);
            dstHi = parsed.dstHi(i);
            dstLo = parsed.dstLo(i);
        }
        return fragment;
    }

    private void set(final int ipVersion, final int transport, final long id, final boolean isFirst)
    {
        fragment = true;
        version = ipVersion;
        protocol = transport;
        identification = id;
        first = isFirst;
    }

    boolean isFirst()
    {
        return first;
    }

    int version()
    {
        return version;
    }

    int protocol()
    {
        return protocol;
    }

    long identification()
    {
        return identification;
    }

    long srcHi()
    {
        return srcHi;
    }

    long srcLo()
    {
        return srcLo;
    }

    long dstHi()
    {
        return dstHi;
    }

    long dstLo()
    {
        return dstLo;
    }
}
