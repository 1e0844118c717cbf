package io.opensase.core.engine;

import io.opensase.core.packet.PacketBurst;
import io.opensase.core.ring.SpscLongRing;

/**
 * A worker's input when another thread receives from the port: mbufs handed over through an SPSC ring.
 */
public final class RingSource implements BurstSource
{
    private final SpscLongRing ring;
    private volatile boolean upstreamFinished;

    public RingSource(final SpscLongRing ring)
    {
        this.ring = ring;
    }

    @Override
    public int receive(final PacketBurst burst)
    {
        final int n = ring.poll(burst.mbufs(), burst.capacity());
        burst.loadFromMbufs(n);
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
