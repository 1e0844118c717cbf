package io.opensase.core.engine;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.Mbuf;

import java.lang.foreign.MemorySegment;

/**
 * A capture file as a receiving port: each packet is copied into a buffer of the Java packet pool, as a
 * NIC would place it in an mbuf, with its capture timestamp and wire length. Counts packets and bytes in,
 * and drops frames too large for a buffer. A corrupt or cut-short file ends the input; the packets before
 * the bad offset are delivered, and the error is kept for the run report. A raised stop flag ends the
 * input early.
 */
public final class CaptureSource implements BurstSource
{
    private final CaptureReader reader;
    private final StopFlag stop;
    private final LinkType linkType;
    private final JavaPacketPool pool;
    private final WorkerCounters counters;
    private final MbufArray spare;
    private boolean exhausted;
    private CaptureFormatException error;

    public CaptureSource(final CaptureReader reader, final JavaPacketPool pool, final WorkerCounters counters,
        final int burstSize, final StopFlag stop)
    {
        this.reader = reader;
        this.stop = stop;
        this.linkType = reader.linkType();
        this.pool = pool;
        this.counters = counters;
        this.spare = new MbufArray(burstSize);
    }

    @Override
    public int receive(final PacketBurst burst)
    {
        if (exhausted)
        {
            return 0;
        }
        if (stop.isRaised())
        {
            exhausted = true;
            return 0;
        }
        final MbufArray mbufs = burst.mbufs();
        final int allocated = pool.allocate(mbufs, burst.capacity());
        int received = 0;
        while (received < allocated && nextPacket())
        {
            final int length = reader.capturedLength();
            counters.add(WorkerCounters.RX_PACKETS, 1);
            counters.add(WorkerCounters.RX_BYTES, length);
            if (length > pool.dataRoom())
            {
                counters.addDrop(DropReason.OVERSIZE, 1);
                continue;
            }
            final long mbuf = mbufs.get(received++);
            MemorySegment.copy(PacketMemory.ALL, reader.dataAddress(), PacketMemory.ALL, Mbuf.dataAddress(mbuf), length);
            Mbuf.setLength(mbuf, length);
            Mbuf.setWireLength(mbuf, reader.wireLength());
            Mbuf.setTimestampNs(mbuf, reader.timestampNs());
        }
        if (received < allocated)
        {
            System.arraycopy(mbufs.addresses(), received, spare.addresses(), 0, allocated - received);
            pool.free(spare, allocated - received);
        }
        burst.loadCaptured(received);
        return received;
    }

    private boolean nextPacket()
    {
        try
        {
            if (reader.next())
            {
                if (reader.linkType() == linkType)
                {
                    return true;
                }
                error = new CaptureFormatException(reader.file(), reader.recordOffset(), "packet with link type "
                    + reader.linkType() + " in a capture that started with " + linkType
                    + "; one link type per capture is supported");
            }
        }
        catch (final CaptureFormatException ex)
        {
            error = ex;
        }
        exhausted = true;
        return false;
    }

    @Override
    public boolean isExhausted()
    {
        return exhausted;
    }

    /** Why the input ended early, or null when the file was read to its end. */
    public CaptureFormatException error()
    {
        return error;
    }
}
