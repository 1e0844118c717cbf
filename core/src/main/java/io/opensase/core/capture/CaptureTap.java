package io.opensase.core.capture;

import io.opensase.classifiers.parse.PacketMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One worker's side of a packet capture: while armed with a filter, the worker copies the packets it takes
 * (up to {@link #SNAP_LENGTH} bytes each) into a ring of preallocated slots, and a control thread drains the
 * ring into a file. Single producer (the worker), single consumer (the capture's drain thread); a full ring
 * drops the copy and counts it, so the worker never waits. Disarmed, the worker's cost is one volatile read
 * per burst.
 */
public final class CaptureTap
{
    public static final int SLOTS = 4096;
    public static final int SNAP_LENGTH = 2048;

    private volatile PacketFilter filter;
    private MemorySegment slots;
    private final int[] lengths = new int[SLOTS];
    private final int[] wireLengths = new int[SLOTS];
    private final long[] timestampsNs = new long[SLOTS];
    private final TapSequence sequence = new TapSequence(SLOTS);

    /** Worker: the filter of the capture under way, or null. */
    public PacketFilter filter()
    {
        return filter;
    }

    /** Worker: copies a taken packet into the ring, or counts it missed when the ring is full. */
    public void offer(final long data, final int length, final int wireLength, final long timestampNs)
    {
        final int slot = sequence.claim();
        if (slot < 0)
        {
            return;
        }
        final int copied = Math.min(length, SNAP_LENGTH);
        MemorySegment.copy(PacketMemory.ALL, data, slots, (long)slot * SNAP_LENGTH, copied);
        lengths[slot] = copied;
        wireLengths[slot] = wireLength;
        timestampsNs[slot] = timestampNs;
        sequence.publish();
    }

    /** Control thread: starts taking packets; the ring's memory is made the first time. */
    void arm(final PacketFilter capture, final Arena arena)
    {
        if (null == slots)
        {
            slots = arena.allocate((long)SLOTS * SNAP_LENGTH, 64);
        }
        // Copies left from the last capture (taken after it ended) are skipped: the worker stopped writing them
        // a burst after that capture was disarmed, long before a new one can start.
        sequence.restart();
        filter = capture;
    }

    /** Control thread: stops taking packets (the worker sees it at its next burst). */
    void disarm()
    {
        filter = null;
    }

    /** What a drain hands over for each packet: its copy's address and length, wire length and time. */
    @FunctionalInterface
    interface PacketSink
    {
        void packet(long address, int length, int wireLength, long timestampNs);
    }

    /** Drain thread: hands over up to {@code limit} packets in order; returns how many. */
    int drain(final PacketSink sink, final int limit)
    {
        final long from = sequence.head();
        final long to = Math.min(sequence.tail(), from + limit);
        for (long at = from; at < to; at++)
        {
            final int slot = sequence.slot(at);
            sink.packet(slots.address() + (long)slot * SNAP_LENGTH, lengths[slot], wireLengths[slot],
                timestampsNs[slot]);
        }
        sequence.consumed(to);
        return (int)(to - from);
    }

    long missed()
    {
        return sequence.missed();
    }
}
