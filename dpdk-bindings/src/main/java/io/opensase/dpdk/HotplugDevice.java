package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;
import io.opensase.dpdk.internal.rte_eth_dev_info;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An ethdev device added at run time with {@code rte_dev_probe} and removed with {@code rte_dev_remove} on
 * {@link #close()}; control thread only.
 * <p>
 * This is how one process (one EAL) uses different device sets: probe {@code net_pcap0,rx_pcap=a.pcap}, use it,
 * remove it, probe {@code net_pcap0,rx_pcap=b.pcap}. Virtual devices (net_null, net_pcap, net_ring, ...) are
 * named by the text before the first comma of their devargs, and their port has the same name.
 */
public final class HotplugDevice implements AutoCloseable
{
    private final String devargs;
    private final String name;
    private final MemorySegment device;
    private boolean closed;

    private HotplugDevice(final String devargs, final String name, final MemorySegment device)
    {
        this.devargs = devargs;
        this.name = name;
        this.device = device;
    }

    /**
     * {@code rte_dev_probe(devargs)}, e.g. {@code "net_pcap0,rx_pcap=/data/in.pcap,tx_pcap=/tmp/out.pcap"}.
     *
     * @throws DpdkException          when the driver refuses, quoting its reason (a missing capture file, an
     *                                unknown driver) and what to do.
     * @throws IllegalStateException when a device of that name exists already.
     */
    public static HotplugDevice probe(final String devargs)
    {
        Eal.current();
        final String name = devargs.split(",", 2)[0];
        if (EthPort.find(name) >= 0)
        {
            // DPDK 22.11 reports success for a second probe of a device that exists.
            throw new IllegalStateException("a device named " + name + " is already probed: device names are " +
                "process-wide, so pick another name or close the HotplugDevice that holds it");
        }
        final long logPosition = Dpdk.logPosition();
        try (Arena call = Arena.ofConfined())
        {
            probeDevice(devargs, logPosition, "check the driver name (" + name + ": net_null, net_pcap, net_ring " +
                "... followed by a number) and its arguments against the driver's documentation; for net_pcap, " +
                "rx_pcap= must name a readable capture file and tx_pcap= a file in a writable directory");
            // The port is named like the device; its info holds the struct rte_device * that rte_dev_remove takes.
            final short portId = (short)EthPort.idOf(name);
            final MemorySegment info = rte_eth_dev_info.allocate(call);
            final int infoResult = opensase_dpdk_h.rte_eth_dev_info_get(portId, info);
            if (infoResult < 0)
            {
                throw Dpdk.failure("rte_eth_dev_info_get(" + name + ")", -infoResult, logPosition,
                    "the device was probed but its port cannot be read");
            }
            return new HotplugDevice(devargs, name, MemorySegment.ofAddress(rte_eth_dev_info.device(info).address()));
        }
    }

    /** {@code rte_dev_probe}, failing with {@code fix} and what DPDK logged since {@code logPosition}. */
    static void probeDevice(final String devargs, final long logPosition, final String fix)
    {
        try (Arena call = Arena.ofConfined())
        {
            final int result = opensase_dpdk_h.rte_dev_probe(call.allocateFrom(devargs));
            if (result < 0)
            {
                // The vdev bus answers a driver's refusal with -1, not with an errno: say so rather than "EPERM".
                throw -1 == result ?
                    new DpdkException("rte_dev_probe(\"" + devargs + "\")", 0, "the driver refused the device " +
                        "(DPDK returned -1, no errno)", Dpdk.logSince(logPosition), fix) :
                    Dpdk.failure("rte_dev_probe(\"" + devargs + "\")", -result, logPosition, fix);
            }
        }
    }

    /** The device (and port) name: the devargs up to the first comma. */
    public String name()
    {
        return name;
    }

    public String devargs()
    {
        return devargs;
    }

    /** The device's ethdev port; close the port before closing this device. */
    public EthPort openPort()
    {
        return EthPort.open(name);
    }

    /**
     * {@code rte_dev_remove}: the driver closes the port if it is still open and releases the device, so that the
     * name can be probed again. Close the {@link EthPort} first: a port object kept past this point is stale.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final long logPosition = Dpdk.logPosition();
        final int result = opensase_dpdk_h.rte_dev_remove(device);
        if (result < 0)
        {
            throw Dpdk.failure("rte_dev_remove(" + name + ")", -result, logPosition,
                "stop the lcores that poll the device's port and close the port, then remove the device again");
        }
    }

    @Override
    public String toString()
    {
        return "HotplugDevice[" + devargs + "]";
    }
}
