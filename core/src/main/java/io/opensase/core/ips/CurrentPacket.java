package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.packet.PacketBurst;

import java.lang.foreign.MemorySegment;

/**
 * The packet the IPS stage inspects now: a packet of the burst, or a datagram rebuilt from its fragments
 * (then parsed on its own, and a drop verdict falls on the burst packet that completed it). Reused by one
 * worker.
 */
final class CurrentPacket
{
    ParsedPackets parsed;
    int index;
    long address;
    int length;
    long timeNs;
    /** The flow table's result for the packet ({@link PacketBurst#NO_FLOW} when it has no flow). */
    int flow;
    /** Flow slot, or -1. */
    int slot;
    boolean fromSecond;
    boolean toServer;
    PacketBurst burst;
    int burstIndex;
    /** True for a datagram rebuilt from fragments. */
    boolean rebuilt;

    void set(final ParsedPackets parsedPackets, final int i, final long packetAddress, final int packetLength,
        final long packetTimeNs, final int flowResult, final PacketBurst ofBurst, final int inBurst)
    {
        parsed = parsedPackets;
        index = i;
        address = packetAddress;
        length = packetLength;
        timeNs = packetTimeNs;
        flow = flowResult;
        slot = PacketBurst.NO_FLOW == flowResult ? -1 : flowResult & FlowTable.SLOT_MASK;
        fromSecond = slot >= 0 && (flowResult & FlowTable.REVERSE) != 0;
        burst = ofBurst;
        burstIndex = inBurst;
        rebuilt = false;
    }

    MemorySegment bytes()
    {
        return PacketMemory.ALL.asSlice(address, length);
    }
}
