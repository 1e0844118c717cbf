package io.opensase.core.dpdk;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.core.config.DevargsFiles;
import io.opensase.core.config.DpdkConfig;
import io.opensase.core.config.DpdkPortConfig;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.PortConfig;
import io.opensase.core.engine.BurstSource;
import io.opensase.core.engine.PortSet;
import io.opensase.core.engine.StopFlag;
import io.opensase.core.engine.TxPort;
import io.opensase.core.packet.PacketPool;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.Eal;
import io.opensase.dpdk.EthPort;
import io.opensase.dpdk.HotplugDevice;
import io.opensase.dpdk.Lcore;
import io.opensase.dpdk.Mempool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DPDK devices of one run: EAL brought up (once per process), one mempool, every port probed from its
 * devargs, configured and started. One port receives, on one queue or, with RSS, one queue per worker;
 * its traffic is transmitted on its {@code out} port, one TX queue per thread that transmits. Every poll
 * thread is pinned to a CPU and registered as a DPDK lcore, so it uses the mempool's per-lcore cache.
 * <p>
 * Built and closed by the control thread; closing stops and removes the devices and frees the mempool,
 * but leaves EAL up for the next run in this process.
 */
public final class DpdkPorts implements PortSet
{
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Mempool mempool;
    private final DpdkPacketPool pool;
    private final List<HotplugDevice> devices = new ArrayList<>();
    private final Map<String, EthPort> ports = new LinkedHashMap<>();
    private final EthPort receiving;
    private final EthPort transmitting;
    private final int queues;
    private final long limit;
    private final int burstSize;
    /**
     * CPUs of the process, counted when this class loads: before EAL starts, since EAL pins the thread that
     * starts it to one CPU, and the JVM then answers availableProcessors() from that thread's mask (found by
     * a test: every poll thread landed on CPU 0 with the main thread).
     */
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private final int baselineInUse;
    private final StopFlag stop = new StopFlag();

    private DpdkPorts(final EngineConfig config, final Mempool mempool, final long limit)
    {
        this.mempool = mempool;
        this.pool = new DpdkPacketPool(mempool);
        this.limit = limit;
        this.burstSize = config.burstSize();
        final DpdkPortConfig in = (DpdkPortConfig)config.receivingPort();
        this.queues = in.queues();
        final DpdkConfig dpdk = config.dpdk();
        for (final PortConfig port : config.ports())
        {
            final DpdkPortConfig device = (DpdkPortConfig)port;
            final HotplugDevice probed = HotplugDevice.probe(device.devargs());
            devices.add(probed);
            ports.put(device.name(), probed.openPort());
        }
        receiving = ports.get(in.name());
        transmitting = ports.get(in.out());
        for (final Map.Entry<String, EthPort> entry : ports.entrySet())
        {
            final EthPort port = entry.getValue();
            final int rx = port == receiving ? queues : 1;
            final int tx = port == transmitting ? queues : 1;
            port.configure(rx, tx, rx > 1 ? EthPort.RSS_IP_TCP_UDP : 0);
            for (int q = 0; q < rx; q++)
            {
                port.setupRxQueue(q, dpdk.rxDescriptors(), mempool);
            }
            for (int q = 0; q < tx; q++)
            {
                port.setupTxQueue(q, dpdk.txDescriptors());
            }
            port.start();
            // A bump in the wire must see every frame, whatever its destination MAC; devices over files
            // or nothing have no such mode and receive everything anyway.
            port.enablePromiscuousIfSupported();
        }
        baselineInUse = mempool.inUseCount();
    }

    /**
     * Brings EAL up if this process has not, creates the mempool and starts every port.
     *
     * @throws IOException when a capture a {@code net_pcap} device replays cannot be read.
     */
    public static DpdkPorts open(final EngineConfig config) throws IOException
    {
        final DpdkPortConfig in = (DpdkPortConfig)config.receivingPort();
        final long limit = replayedPackets(in.devargs());
        if (!Eal.isInitialised())
        {
            Eal.init(ealArguments(config.dpdk().ealArgs()));
        }
        final Mempool mempool = Mempool.create("opensase_" + RUNS.incrementAndGet(), config.dpdk().mbufs(),
            config.dpdk().mbufCache(), config.dpdk().frameCapacity());
        try
        {
            return new DpdkPorts(config, mempool, limit);
        }
        catch (final RuntimeException ex)
        {
            mempool.close();
            throw ex;
        }
    }

    /** The EAL arguments with every CPU as an lcore, unless the configuration names lcores itself. */
    static List<String> ealArguments(final List<String> configured)
    {
        final List<String> args = new ArrayList<>(configured);
        final boolean namesLcores = configured.stream().anyMatch(arg ->
            arg.equals("-l") || arg.startsWith("-l") || arg.equals("-c") || arg.startsWith("--lcores"));
        if (!namesLcores)
        {
            args.add("-l");
            args.add("0-" + (CPUS - 1));
        }
        return args;
    }

    /**
     * For a {@code net_pcap} device replaying a capture once ({@code rx_pcap=FILE} without
     * {@code infinite_rx=1}): how many packets it will deliver, so that the run ends when they are in. Such a
     * capture must be Ethernet, since {@code net_pcap} delivers its frames as Ethernet.
     *
     * @return the packet count, or {@link DpdkRxSource#UNLIMITED} for any other device.
     */
    static long replayedPackets(final String devargs) throws IOException
    {
        final Path capture = DevargsFiles.rxCapture(devargs);
        if (!devargs.startsWith("net_pcap") || DevargsFiles.loops(devargs) || null == capture)
        {
            return DpdkRxSource.UNLIMITED;
        }
        long packets = 0;
        try (CaptureReader reader = Captures.open(capture))
        {
            if (reader.linkType() != LinkType.ETHERNET)
            {
                throw new CaptureFormatException(capture, 0, "link type " + reader.linkType()
                    + ": DPDK's net_pcap delivers Ethernet frames; run this capture on the pure-Java path instead");
            }
            while (reader.next())
            {
                packets++;
            }
        }
        return packets;
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
    public LinkType linkType()
    {
        return LinkType.ETHERNET;
    }

    @Override
    public int queues()
    {
        return queues;
    }

    @Override
    public boolean live()
    {
        return true;
    }

    @Override
    public BurstSource source(final int queue, final WorkerCounters counters)
    {
        return new DpdkRxSource(receiving, queue, counters, 1 == queues ? limit : DpdkRxSource.UNLIMITED, stop,
            burstSize);
    }

    @Override
    public TxPort txPort(final int queue)
    {
        return new DpdkTxPort(transmitting, queue);
    }

    @Override
    public PacketPool pool()
    {
        return pool;
    }

    @Override
    public int buffersInUse()
    {
        return mempool.inUseCount() - baselineInUse;
    }

    /** Pins poll thread {@code index} to a CPU other than the control thread's first, and registers it. */
    @Override
    public void onThreadStart(final int index)
    {
        Lcore.attachCurrentThread((index + 1) % CPUS);
    }

    @Override
    public void onThreadStop()
    {
        Lcore.detachCurrentThread();
    }

    @Override
    public CaptureFormatException inputError()
    {
        return null;
    }

    @Override
    public void close()
    {
        RuntimeException failure = null;
        for (final EthPort port : ports.values())
        {
            try
            {
                port.close();
            }
            catch (final RuntimeException ex)
            {
                failure = add(failure, ex);
            }
        }
        for (final HotplugDevice device : devices)
        {
            try
            {
                device.close();
            }
            catch (final RuntimeException ex)
            {
                failure = add(failure, ex);
            }
        }
        mempool.close();
        if (null != failure)
        {
            throw failure;
        }
    }

    private static RuntimeException add(final RuntimeException first, final RuntimeException next)
    {
        if (null == first)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
