package io.opensase.classifiers.frag;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses each packet from a native segment of exactly its size, at offset 0, and offers it to a reassembler,
 * so that a read past the packet throws. Completed datagrams are copied out, and checked to lie within the
 * reassembler's scratch buffer.
 */
final class Harness implements AutoCloseable
{
    final FragmentReassembler reassembler;
    private final PacketParser parser = new PacketParser();
    private final ParsedPackets parsed = new ParsedPackets(1);
    final List<byte[]> completed = new ArrayList<>();
    byte[] lastDatagram;
    int tenant;

    Harness(final ReassemblyConfig config)
    {
        reassembler = new FragmentReassembler(config);
    }

    Harness(final OverlapPolicy policy)
    {
        this(ReassemblyConfig.defaults().withOverlap(policy));
    }

    /** Offers a raw IP packet (link type from its version nibble) at packet time 0. */
    int offer(final byte[] packet)
    {
        return offer(packet, LinkType.RAW, 0);
    }

    int offer(final byte[] packet, final long nowNs)
    {
        return offer(packet, LinkType.RAW, nowNs);
    }

    int offer(final byte[] packet, final LinkType link, final long nowNs)
    {
        lastDatagram = null;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(Math.max(1, packet.length), 1).asSlice(0, packet.length);
            MemorySegment.copy(packet, 0, segment, ValueLayout.JAVA_BYTE, 0, packet.length);
            parser.parse(segment, 0, packet.length, packet.length, link, parsed, 0);
            final int status = reassembler.offer(parsed, 0, segment, 0, packet.length, tenant, nowNs);
            if (FragmentReassembler.COMPLETE == status)
            {
                final int length = reassembler.datagramLength();
                if (length < 20 || length > FragmentReassembler.MAX_DATAGRAM_BYTES)
                {
                    throw new AssertionError("datagram length " + length);
                }
                lastDatagram = reassembler.datagram().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                completed.add(lastDatagram);
            }
            return status;
        }
    }

    /** Inspects a raw IP packet without storing it. */
    int inspect(final byte[] packet)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment segment = arena.allocate(Math.max(1, packet.length), 1).asSlice(0, packet.length);
            MemorySegment.copy(packet, 0, segment, ValueLayout.JAVA_BYTE, 0, packet.length);
            parser.parse(segment, 0, packet.length, packet.length, LinkType.RAW, parsed, 0);
            return reassembler.inspect(parsed, 0, segment, 0, packet.length);
        }
    }

    /** Every fragment is accounted for: reassembled, discarded, or held. */
    void checkAccounting()
    {
        final FragmentReassembler r = reassembler;
        if (r.fragments() != r.fragmentsReassembled() + r.discarded() + r.fragmentsInProgress())
        {
            throw new AssertionError("fragments " + r.fragments() + " != reassembled " + r.fragmentsReassembled()
                + " + discarded " + r.discarded() + " + in progress " + r.fragmentsInProgress());
        }
        if (r.heldBytes() > r.capacityBytes() || r.heldBytes() < 0)
        {
            throw new AssertionError("held " + r.heldBytes() + " of " + r.capacityBytes());
        }
        if (0 == r.datagramsInProgress() && (0 != r.heldBytes() || 0 != r.fragmentsInProgress()))
        {
            throw new AssertionError("nothing in progress, yet " + r.heldBytes() + " bytes and "
                + r.fragmentsInProgress() + " fragments held");
        }
    }

    @Override
    public void close()
    {
        reassembler.close();
    }
}
