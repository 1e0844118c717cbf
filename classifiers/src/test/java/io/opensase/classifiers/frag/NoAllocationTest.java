package io.opensase.classifiers.frag;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static io.opensase.classifiers.frag.FragmentReassembler.COMPLETE;
import static io.opensase.classifiers.frag.Fragments.UDP;
import static io.opensase.classifiers.frag.Fragments.pattern;
import static io.opensase.classifiers.frag.Fragments.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packet path as production runs it, packets read through {@link PacketMemory#ALL} at native addresses:
 * once warm, offering fragments (held, completed, overlapping, evicted, expired) allocates nothing on the heap.
 */
class NoAllocationTest
{
    @Test
    void shouldNotAllocateOnThePacketPathOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final List<byte[]> packets = new ArrayList<>();
        for (int id = 0; id < 40; id++)
        {
            final byte[] payload = pattern(id, 3000 + id * 50);
            for (int at = 0; at < payload.length; at += 1200)
            {
                final int end = Math.min(payload.length, at + 1200);
                final boolean more = end < payload.length;
                packets.add(id % 2 == 0 ? Fragments.ipv4(id, UDP, at, more, slice(payload, at, end))
                    : Fragments.ipv6(id, UDP, at, more, slice(payload, at, end)));
                if (0 == at)
                {
                    // An overlapping duplicate of the first fragment with other bytes.
                    packets.add(id % 2 == 0 ? Fragments.ipv4(id, UDP, 0, true, pattern(id + 1, 16))
                        : Fragments.ipv6(id, UDP, 0, true, pattern(id + 1, 16)));
                }
            }
        }
        for (int orphan = 0; orphan < 20; orphan++)
        {
            // Middle fragments of datagrams whose other fragments never come: they fill the table.
            packets.add(orphan * packets.size() / 20, Fragments.ipv4(1000 + orphan, UDP, 8, true, pattern(orphan, 8)));
        }
        final ReassemblyConfig config = ReassemblyConfig.defaults().withMaxDatagrams(8).withOverlap(OverlapPolicy.BSD);
        try (Arena arena = Arena.ofConfined(); FragmentReassembler reassembler = new FragmentReassembler(config))
        {
            final long[] addresses = new long[packets.size()];
            final int[] lengths = new int[packets.size()];
            final MemorySegment memory = arena.allocate(packets.size() * 2048L, 64);
            for (int p = 0; p < packets.size(); p++)
            {
                MemorySegment.copy(packets.get(p), 0, memory, ValueLayout.JAVA_BYTE, p * 2048L, packets.get(p).length);
                addresses[p] = memory.address() + p * 2048L;
                lengths[p] = packets.get(p).length;
            }
            final PacketParser parser = new PacketParser();
            final ParsedPackets parsed = new ParsedPackets(1);

            run(reassembler, parser, parsed, addresses, lengths, 2_000, 0);
            final long before = threads.getCurrentThreadAllocatedBytes();
            final long completed = run(reassembler, parser, parsed, addresses, lengths, 1_000, 1L << 40);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertTrue(completed > 10_000, "datagrams completed: " + completed);
            assertTrue(reassembler.dropped(FragmentDrop.EVICTED) > 0, "evictions exercised");
            assertEquals(0, allocated, "bytes allocated over " + 1_000 * packets.size() + " offers");
        }
    }

    private static long run(
        final FragmentReassembler reassembler,
        final PacketParser parser,
        final ParsedPackets parsed,
        final long[] addresses,
        final int[] lengths,
        final int passes,
        final long startNs)
    {
        long completed = 0;
        long nowNs = startNs;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int p = 0; p < addresses.length; p++)
            {
                // Each pass starts one packet later: the datagram cut at the wrap is left incomplete.
                final int packet = (p + pass) % addresses.length;
                parser.parse(PacketMemory.ALL, addresses[packet], lengths[packet], lengths[packet], LinkType.RAW,
                    parsed, 0);
                if (COMPLETE == reassembler.offer(parsed, 0, PacketMemory.ALL, addresses[packet], lengths[packet], 0,
                    nowNs))
                {
                    completed++;
                }
                nowNs += 1_000_000;
            }
            reassembler.expire(nowNs, 4);
        }
        return completed;
    }
}
