package io.opensase.core.engine;

import io.opensase.core.packet.PacketBurst;
import io.opensase.core.ring.SpscLongRing;

/**
 * A worker's input when another thread receives from the port: mbufs handed over through an SPSC ring.
 */
public final class RingSource implements BurstSource
{
    private final SpscLongRing ring;
    private final boolean live;
    private volatile boolean upstreamFinished;

    /**
     * @param live true when the packets come from a live port: they are stamped with the monotonic clock on
     *             arrival here; false for capture ports, whose packets carry their capture timestamps.
     */
    public RingSource(final SpscLongRing ring, final boolean live)
    {
        this.ring = ring;
        this.live = live;
    }

    @Override
    public int receive(final PacketBurst burst)
    {
        final int n = ring.poll(burst.mbufs().addresses(), burst.capacity());
        if (live)
        {
            burst.loadLive(n, System.nanoTime());
        }
        else
        {
            burst.loadCaptured(n);
        }
        return n;
    }

    /** Producer thread: no more packets will be offered. */
    public void finishUpstream()
    {
        upstreamFinished = true;
    }

    @Override
    public boolean isExhausted()
    {
        return upstreamFinished && 0 == ring.size();
    }
}
