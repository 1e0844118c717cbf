package io.opensase.core.engine;

import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.packet.PacketPool;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.ring.SpscLongRing;

/**
 * A worker's output when another thread owns the transmitting port: packets to transmit are handed over
 * through an SPSC ring, dropped ones are counted and freed here. When the ring is full the worker waits
 * for the port owner, which always drains before it distributes, so nothing is lost and nothing deadlocks.
 */
public final class RingSink implements BurstSink
{
    private final SpscLongRing ring;
    private final PacketPool pool;
    private final WorkerCounters counters;
    private final long[] forward;
    private final MbufArray dropped;

    public RingSink(final SpscLongRing ring, final PacketPool pool, final WorkerCounters counters, final int burstSize)
    {
        this.ring = ring;
        this.pool = pool;
        this.counters = counters;
        this.forward = new long[burstSize];
        this.dropped = new MbufArray(burstSize);
    }

    @Override
    public void send(final PacketBurst burst)
    {
        int forwardCount = 0;
        int droppedCount = 0;
        for (int i = 0; i < burst.size(); i++)
        {
            if (burst.isDropped(i))
            {
                counters.addDrop(burst.verdict(i), 1);
                dropped.set(droppedCount++, burst.mbuf(i));
            }
            else
            {
                forward[forwardCount++] = burst.mbuf(i);
            }
        }
        pool.free(dropped, droppedCount);
        int offered = 0;
        int spins = 0;
        while (offered < forwardCount)
        {
            final int n = ring.offer(forward, offered, forwardCount - offered);
            offered += n;
            if (0 == n && ++spins > 100)
            {
                Thread.yield();
            }
        }
        burst.clear();
    }
}
