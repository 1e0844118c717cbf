package io.opensase.core.engine;

import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketPool;
import io.opensase.dpdk.Mbuf;

/**
 * A capture file as a transmitting port: packets are appended to the output capture with their timestamp
 * and wire length, or, without an output, accepted and discarded like a null device. Buffers go back to
 * their pool.
 */
public final class CaptureTxPort implements TxPort
{
    private final PcapWriter writer;
    private final PacketPool pool;

    /**
     * @param writer output capture, or null to discard.
     */
    public CaptureTxPort(final PcapWriter writer, final PacketPool pool)
    {
        this.writer = writer;
        this.pool = pool;
    }

    @Override
    public int transmit(final MbufArray mbufs, final int count)
    {
        if (null != writer)
        {
            for (int i = 0; i < count; i++)
            {
                final long mbuf = mbufs.get(i);
                writer.write(Mbuf.dataAddress(mbuf), Mbuf.dataLength(mbuf), Mbuf.wireLength(mbuf),
                    Mbuf.timestampNs(mbuf));
            }
        }
        pool.free(mbufs, count);
        return count;
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
