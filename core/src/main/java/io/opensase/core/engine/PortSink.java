package io.opensase.core.engine;

import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.packet.PacketPool;
import io.opensase.core.pipeline.WorkerCounters;

/**
 * A worker's output when it owns the transmitting port itself: packets to transmit go to the port in one
 * call per burst, dropped ones are counted by reason and freed.
 */
public final class PortSink implements BurstSink
{
    private final TxPort port;
    private final PacketPool pool;
    private final WorkerCounters counters;
    private final MbufArray forward;
    private final int[] forwardLengths;
    private final MbufArray dropped;

    public PortSink(final TxPort port, final PacketPool pool, final WorkerCounters counters, final int burstSize)
    {
        this.port = port;
        this.pool = pool;
        this.counters = counters;
        this.forward = new MbufArray(burstSize);
        this.forwardLengths = new int[burstSize];
        this.dropped = new MbufArray(burstSize);
    }

    @Override
    public void send(final PacketBurst burst)
    {
        if (0 == burst.droppedCount())
        {
            Transmissions.transmit(port, burst.mbufs(), burst.lengths(), burst.size(), counters);
            burst.clear();
            return;
        }
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
                forward.set(forwardCount, burst.mbuf(i));
                forwardLengths[forwardCount++] = burst.length(i);
            }
        }
        pool.free(dropped, droppedCount);
        Transmissions.transmit(port, forward, forwardLengths, forwardCount, counters);
        burst.clear();
    }

    @Override
    public void flush()
    {
        port.flush();
    }
}
