package io.opensase.core.engine;

import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.packet.PacketPool;
import io.opensase.core.pipeline.WorkerCounters;

/**
 * The transmitting side of a capture port: packets to transmit are written to the output capture (or,
 * without one, counted as sent to a port that discards them); dropped packets are counted by reason.
 * Every buffer goes back to its pool.
 */
public final class CaptureSink implements BurstSink
{
    private final PcapWriter writer;
    private final PacketPool pool;
    private final WorkerCounters counters;

    /**
     * @param writer output capture, or null to discard what is transmitted.
     */
    public CaptureSink(final PcapWriter writer, final PacketPool pool, final WorkerCounters counters)
    {
        this.writer = writer;
        this.pool = pool;
        this.counters = counters;
    }

    @Override
    public void send(final PacketBurst burst)
    {
        final int size = burst.size();
        for (int i = 0; i < size; i++)
        {
            if (burst.isDropped(i))
            {
                counters.addDrop(burst.verdict(i), 1);
                continue;
            }
            if (null != writer)
            {
                writer.write(burst.data(i), burst.length(i), burst.wireLength(i), burst.timestampNs(i));
            }
            counters.add(WorkerCounters.TX_PACKETS, 1);
            counters.add(WorkerCounters.TX_BYTES, burst.length(i));
        }
        pool.free(burst.mbufs(), size);
        burst.clear();
    }

    @Override
    public void flush()
    {
        if (null != writer)
        {
            writer.flush();
        }
    }
}
