package io.opensase.core.engine;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.core.config.CapturePortConfig;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.PacketPool;
import io.opensase.core.pipeline.WorkerCounters;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A capture port on the pure-Java path: one queue, read from a capture file into the Java packet pool, and
 * written to an output capture (or discarded).
 */
final class CapturePorts implements PortSet
{
    private final CaptureReader reader;
    private final JavaPacketPool pool;
    private final PcapWriter writer;
    private final int burstSize;
    private final StopFlag stop = new StopFlag();
    private CaptureSource source;

    private CapturePorts(final CaptureReader reader, final JavaPacketPool pool, final PcapWriter writer,
        final int burstSize)
    {
        this.reader = reader;
        this.pool = pool;
        this.writer = writer;
        this.burstSize = burstSize;
    }

    /**
     * @throws CaptureFormatException when the input is not a capture at all.
     * @throws IOException            when the input cannot be read or the output cannot be created.
     */
    static CapturePorts open(final CapturePortConfig port, final int packetBuffers, final int burstSize)
        throws IOException
    {
        final CaptureReader reader = Captures.open(port.rxCapture());
        JavaPacketPool pool = null;
        try
        {
            pool = new JavaPacketPool(packetBuffers);
            final PcapWriter writer = null == port.txCapture() ? null : new PcapWriter(port.txCapture(), reader.linkType());
            return new CapturePorts(reader, pool, writer, burstSize);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != pool)
            {
                pool.close();
            }
            reader.close();
            throw ex;
        }
    }

    @Override
    public LinkType linkType()
    {
        return reader.linkType();
    }

    @Override
    public int queues()
    {
        return 1;
    }

    @Override
    public boolean live()
    {
        return false;
    }

    @Override
    public BurstSource source(final int queue, final WorkerCounters counters)
    {
        source = new CaptureSource(reader, pool, counters, burstSize, stop);
        return source;
    }

    @Override
    public TxPort txPort(final int queue)
    {
        return new CaptureTxPort(writer, pool);
    }

    @Override
    public PacketPool pool()
    {
        return pool;
    }

    @Override
    public int buffersInUse()
    {
        return pool.inUse();
    }

    @Override
    public void onThreadStart(final int index)
    {
    }

    @Override
    public void onThreadStop()
    {
    }

    @Override
    public CaptureFormatException inputError()
    {
        return null == source ? null : source.error();
    }

    @Override
    public void requestStop()
    {
        stop.raise();
    }

    @Override
    public boolean stopped()
    {
        return stop.isRaised();
    }

    @Override
    public void close()
    {
        try
        {
            try
            {
                if (null != writer)
                {
                    writer.close();
                }
            }
            finally
            {
                reader.close();
                pool.close();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot finish writing " + writer.file(), ex);
        }
    }
}
