package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.packet.PacketBurst;

import java.lang.foreign.MemorySegment;

/**
 * The packet the IPS stage inspects now: a packet of the burst, a datagram rebuilt from its fragments (then
 * parsed on its own, and a drop verdict falls on the burst packet that completed it), or the pseudo packet a
 * flow's last stream bytes are inspected on when it ends (no burst: nothing to drop). Reused by one worker.
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
    /** True for a flow's end-of-flow pseudo packet; then {@link #burst} is null. */
    boolean pseudo;

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
        pseudo = false;
    }

    /** The pseudo packet at {@code packetAddress} that ends the flow in {@code flowSlot}. */
    void setPseudo(final ParsedPackets parsedPackets, final long packetAddress, final int packetLength,
        final long packetTimeNs, final int flowSlot, final boolean goesToServer)
    {
        set(parsedPackets, 0, packetAddress, packetLength, packetTimeNs, flowSlot, null, -1);
        toServer = goesToServer;
        pseudo = true;
    }

    MemorySegment bytes()
    {
        return PacketMemory.ALL.asSlice(address, length);
    }
}
