package io.opensase.core.engine;

import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.pipeline.WorkerCounters;

/**
 * Counting around {@link TxPort#transmit}, shared by every owner of a transmitting port.
 */
final class Transmissions
{
    private Transmissions()
    {
    }

    /**
     * Transmits {@code count} mbufs whose captured lengths are {@code lengths[0..]} (read before the hand-over:
     * a sent mbuf belongs to the port) and counts packets and bytes sent and packets the port refused.
     */
    static void transmit(
        final TxPort port, final MbufArray mbufs, final int[] lengths, final int count, final WorkerCounters counters)
    {
        if (0 == count)
        {
            return;
        }
        final int sent = port.transmit(mbufs, count);
        long bytes = 0;
        for (int i = 0; i < sent; i++)
        {
            bytes += lengths[i];
        }
        counters.add(WorkerCounters.TX_PACKETS, sent);
        counters.add(WorkerCounters.TX_BYTES, bytes);
        if (sent < count)
        {
            counters.addDrop(DropReason.TX_FAILED, count - sent);
        }
    }
}
