package io.opensase.core.pipeline;

import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.parse.Protocol;
import io.opensase.core.packet.DropReason;

/**
 * The counters one thread owns: packets and bytes in and out, drops by reason, malformed packets by
 * reason, snap-truncated packets, and packets per protocol. Written by the owning thread only; summed by
 * readers once the threads have stopped.
 * <p>
 * All values sit in one array, padded at both ends so that no other thread's data shares their cache lines.
 */
public final class WorkerCounters
{
    public static final int RX_PACKETS = 0;
    public static final int RX_BYTES = 1;
    public static final int TX_PACKETS = 2;
    public static final int TX_BYTES = 3;
    public static final int SNAP_TRUNCATED = 4;
    /** Packets the engine made itself (firewall answers): received + generated = transmitted + dropped. */
    public static final int GENERATED = 5;
    private static final int DROPS = 6;
    private static final int MALFORMED = DROPS + DropReason.count();
    private static final int PROTOCOLS = MALFORMED + Malformed.count();
    private static final int COUNT = PROTOCOLS + Protocol.all().length;
    private static final int PAD = 16;

    private static final java.lang.invoke.VarHandle VALUES =
        java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[PAD + COUNT + PAD];

    public void add(final int counter, final long delta)
    {
        values[PAD + counter] += delta;
    }

    public void addDrop(final DropReason reason, final long delta)
    {
        values[PAD + DROPS + reason.ordinal()] += delta;
    }

    public void addMalformed(final int reasonCode)
    {
        values[PAD + MALFORMED + reasonCode]++;
    }

    /** Counts one packet for every protocol bit set in {@code protocolBits}. */
    public void addProtocols(final int protocolBits)
    {
        int bits = protocolBits;
        while (bits != 0)
        {
            values[PAD + PROTOCOLS + Integer.numberOfTrailingZeros(bits)]++;
            bits &= bits - 1;
        }
    }

    public long get(final int counter)
    {
        return values[PAD + counter];
    }

    /** Any thread: the counter as last written by its owner, without ordering (for sampling a running worker). */
    public long getOpaque(final int counter)
    {
        return (long)VALUES.getOpaque(values, PAD + counter);
    }

    public long drops(final DropReason reason)
    {
        return values[PAD + DROPS + reason.ordinal()];
    }

    public long malformed(final Malformed reason)
    {
        return values[PAD + MALFORMED + reason.ordinal()];
    }

    public long protocol(final Protocol protocol)
    {
        return values[PAD + PROTOCOLS + protocol.ordinal()];
    }

    /** Adds every counter of {@code other} to this one. */
    public void addAll(final WorkerCounters other)
    {
        for (int i = PAD; i < PAD + COUNT; i++)
        {
            values[i] += other.values[i];
        }
    }
}
