package io.opensase.core.capture;

import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.classifiers.parse.LinkType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

/**
 * One capture: arms every worker's tap with the filter, drains them into a pcap file on a thread of its own
 * until the packet or time limit, then disarms them and closes the file. Control threads only.
 */
public final class CaptureSession
{
    private static final long DRAIN_PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final List<CaptureTap> taps;
    private final Path file;
    private final int maxPackets;
    private final long deadlineNs;
    private final Thread drainer;
    private volatile long packets;
    private volatile long missed;
    private volatile String error;
    private volatile boolean done;

    private CaptureSession(final List<CaptureTap> taps, final Path file, final int maxPackets, final long deadlineNs,
        final PacketFilter filter, final Supplier<LinkType> linkType, final Arena arena)
    {
        this.taps = taps;
        this.file = file;
        this.maxPackets = maxPackets;
        this.deadlineNs = deadlineNs;
        taps.forEach(tap -> tap.arm(filter, arena));
        this.drainer = Thread.ofPlatform().daemon().name("opensase-capture").start(() -> drain(linkType));
    }

    /**
     * Starts a capture; the file is created at once (so that a bad place fails here) and written with the
     * receiving port's link type once the engine runs.
     *
     * @param linkType the receiving port's link type, or null until the engine has opened it.
     * @param arena    where the taps' rings are made the first time (it must live as long as the engine).
     * @throws IOException when the file cannot be created.
     */
    public static CaptureSession start(final List<CaptureTap> taps, final Supplier<LinkType> linkType,
        final Path file, final PacketFilter filter, final int maxPackets, final int maxSeconds, final Arena arena)
        throws IOException
    {
        Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return new CaptureSession(taps, file, maxPackets, System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds),
            filter, linkType, arena);
    }

    private void drain(final Supplier<LinkType> linkType)
    {
        final long[] written = {0};
        LinkType type = linkType.get();
        while (null == type && System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(DRAIN_PAUSE_NS);
            type = linkType.get();
        }
        try (PcapWriter writer = new PcapWriter(file, null == type ? LinkType.ETHERNET : type))
        {
            while (written[0] < maxPackets && System.nanoTime() < deadlineNs)
            {
                int drained = 0;
                for (final CaptureTap tap : taps)
                {
                    drained += tap.drain((address, length, wire, time) -> writer.write(address, length, wire, time),
                        (int)Math.min(Integer.MAX_VALUE, maxPackets - written[0] - drained));
                }
                written[0] += drained;
                packets = written[0];
                if (0 == drained)
                {
                    LockSupport.parkNanos(DRAIN_PAUSE_NS);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            error = String.valueOf(ex.getMessage());
        }
        finally
        {
            long lost = 0;
            for (final CaptureTap tap : taps)
            {
                tap.disarm();
                lost += tap.missed();
            }
            // Whatever the workers copied past the limit stays in the rings; the next capture skips it.
            missed = lost;
            done = true;
        }
    }

    public Path file()
    {
        return file;
    }

    public boolean isDone()
    {
        return done;
    }

    /** Packets written to the file so far. */
    public long packets()
    {
        return packets;
    }

    /** Packets the filter took that a full ring could not hold (known once done). */
    public long missed()
    {
        return missed;
    }

    /** Why writing the file stopped early, or null. */
    public String error()
    {
        return error;
    }

    /** Waits until the capture has ended (tests and shutdown). */
    public void awaitDone(final long timeoutMs) throws InterruptedException
    {
        drainer.join(timeoutMs);
    }
}
