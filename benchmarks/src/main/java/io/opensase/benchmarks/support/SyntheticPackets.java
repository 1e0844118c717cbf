package io.opensase.benchmarks.support;

import io.opensase.classifiers.parse.PacketMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes minimal Ethernet/IPv4/TCP frames (54 bytes, no payload), one distinct connection per flow id, for
 * the flow-table benchmarks: the table is filled and probed with keys the real parser builds.
 * <p>
 * Flow id {@code n} is 10.x.y.z (the low 24 bits of {@code n}) port 1024 + n % 64,000 to 198.18.a.b
 * (a hash of {@code n}) port 443, so every id below 2<sup>24</sup> is its own flow. The IPv4 header
 * checksum is set; the TCP checksum is left zero, since the parser does not verify it.
 */
public final class SyntheticPackets
{
    /** Bytes per frame: Ethernet 14, IPv4 20, TCP 20. */
    public static final int FRAME_LENGTH = 54;
    /** Flow ids must stay below this for every id to be its own flow. */
    public static final int MAX_FLOWS = 1 << 24;

    private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    private static final int IP = 14;
    private static final int TCP = IP + 20;

    private SyntheticPackets()
    {
    }

    /** Writes the frame of flow {@code flowId} at {@code address}; {@link #FRAME_LENGTH} bytes. */
    public static void writeTcp(final long address, final int flowId)
    {
        if (flowId < 0 || flowId >= MAX_FLOWS)
        {
            throw new IllegalArgumentException("flow id must be 0.." + (MAX_FLOWS - 1) + ": " + flowId);
        }
        final MemorySegment mem = PacketMemory.ALL;

        // Ethernet: locally administered MACs, IPv4 ethertype.
        mem.set(PacketMemory.U32, address, 0x0200_0000);
        mem.set(PacketMemory.U16, address + 4, (short)0x0001);
        mem.set(PacketMemory.U32, address + 6, 0x0200_0000);
        mem.set(PacketMemory.U16, address + 10, (short)0x0002);
        mem.set(PacketMemory.U16, address + 12, (short)0x0800);

        // IPv4: no options, total length 40, DF, TTL 64, TCP.
        final long ip = address + IP;
        final int src = 0x0A00_0000 | (flowId & 0x00FF_FFFF);
        final int dst = 0xC612_0000 | (flowId * 0x9E37 >>> 8 & 0xFFFF);
        mem.set(U8, ip, (byte)0x45);
        mem.set(U8, ip + 1, (byte)0);
        mem.set(PacketMemory.U16, ip + 2, (short)40);
        mem.set(PacketMemory.U16, ip + 4, (short)flowId);
        mem.set(PacketMemory.U16, ip + 6, (short)0x4000);
        mem.set(U8, ip + 8, (byte)64);
        mem.set(U8, ip + 9, (byte)6);
        mem.set(PacketMemory.U16, ip + 10, (short)0);
        mem.set(PacketMemory.U32, ip + 12, src);
        mem.set(PacketMemory.U32, ip + 16, dst);
        mem.set(PacketMemory.U16, ip + 10, (short)ipv4Checksum(ip));

        // TCP: ACK, data offset 5 words.
        final long tcp = address + TCP;
        mem.set(PacketMemory.U16, tcp, (short)(1024 + flowId % 64_000));
        mem.set(PacketMemory.U16, tcp + 2, (short)443);
        mem.set(PacketMemory.U32, tcp + 4, flowId);
        mem.set(PacketMemory.U32, tcp + 8, 1);
        mem.set(U8, tcp + 12, (byte)0x50);
        mem.set(U8, tcp + 13, (byte)0x10);
        mem.set(PacketMemory.U16, tcp + 14, (short)0xFFFF);
        mem.set(PacketMemory.U16, tcp + 16, (short)0);
        mem.set(PacketMemory.U16, tcp + 18, (short)0);
    }

    private static int ipv4Checksum(final long ip)
    {
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += PacketMemory.u16(PacketMemory.ALL, ip + i);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }
}
