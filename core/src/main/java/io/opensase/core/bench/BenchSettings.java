package io.opensase.core.bench;

import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.core.firewall.FirewallConfig;
import io.opensase.core.ips.IpsMode;
import io.opensase.core.ips.IpsSettings;
import io.opensase.dpdk.Mempool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run: the capture both sides replay and what it was made of (the same file, or a folder of
 * captures concatenated into it), its packet count and bytes, the buffer data room both sides
 * use, the mode, how long to warm up and to measure, the firewall the engine's worker runs (null for none) with
 * the rule file it came from, and the IPS it runs in {@link BenchMode#IPS} mode (null otherwise).
 */
public record BenchSettings(Path capture, Path captureSource, long capturePackets, long captureBytes,
    int frameCapacity, BenchMode mode, int seconds, int warmupSeconds, Path rules, FirewallConfig firewall,
    IpsSettings ips)
{
    /** Packet buffers on both sides: net_pcap keeps the whole capture in mbufs, and queues need their own. */
    static final int MBUFS = 16_384;
    static final int WARMUP_SECONDS = 2;
    /** The IPS path's code is larger: its warm-up is longer, so that what is measured is compiled. */
    static final int IPS_WARMUP_SECONDS = 5;

    /**
     * Reads the capture once: it must be Ethernet, and its largest frame decides the data room (DPDK's
     * default when every frame fits, else room for jumbo frames), the same for the engine and testpmd.
     */
    public static BenchSettings of(final Path capture, final BenchMode mode, final int seconds) throws IOException
    {
        long packets = 0;
        long bytes = 0;
        int largest = 0;
        try (CaptureReader reader = Captures.open(capture))
        {
            if (reader.linkType() != LinkType.ETHERNET)
            {
                throw new IllegalArgumentException(capture + ": link type " + reader.linkType()
                    + "; the benchmark replays Ethernet captures through DPDK's net_pcap");
            }
            while (reader.next())
            {
                packets++;
                bytes += reader.capturedLength();
                largest = Math.max(largest, reader.capturedLength());
            }
        }
        if (0 == packets)
        {
            // net_pcap would replay nothing forever, and testpmd measure nothing.
            throw new IllegalArgumentException(capture + ": no packets to replay");
        }
        if (packets > MBUFS / 2)
        {
            throw new IllegalArgumentException(capture + ": " + packets + " packets; the benchmark replays captures "
                + "of at most " + MBUFS / 2 + " (net_pcap holds the whole capture in packet buffers)");
        }
        final int room = largest <= Mempool.DEFAULT_FRAME_CAPACITY ? Mempool.DEFAULT_FRAME_CAPACITY
            : Mempool.JUMBO_FRAME_CAPACITY;
        final Path file = capture.toAbsolutePath().normalize();
        return new BenchSettings(file, file, packets, bytes, room, mode, seconds,
            BenchMode.IPS == mode ? IPS_WARMUP_SECONDS : WARMUP_SECONDS, null, null, null);
    }

    /** These settings without the firewall: the baseline a firewall run is compared with. */
    BenchSettings withoutFirewall()
    {
        return new BenchSettings(capture, captureSource, capturePackets, captureBytes, frameCapacity,
            mode, seconds, warmupSeconds, null, null, null);
    }

    /** These settings with another mode, and no firewall or IPS. */
    BenchSettings withMode(final BenchMode other)
    {
        return new BenchSettings(capture, captureSource, capturePackets, captureBytes, frameCapacity,
            other, seconds, warmupSeconds, null, null, null);
    }

    /** These settings replaying {@code capture}, made from {@code source} (a folder of captures). */
    public BenchSettings madeFrom(final Path source)
    {
        return new BenchSettings(capture, source.toAbsolutePath().normalize(), capturePackets, captureBytes,
            frameCapacity, mode, seconds, warmupSeconds, rules, firewall, ips);
    }

    /** These settings in IPS mode without the IPS: parse, flow table and rewrite, with IPS mode's timeouts. */
    BenchSettings withoutIps()
    {
        return new BenchSettings(capture, captureSource, capturePackets, captureBytes, frameCapacity,
            mode, seconds, warmupSeconds, null, null, null);
    }

    /**
     * These settings with the engine's worker running an IPS of {@code ruleFiles} (files or folders), in IDS mode
     * with every variable {@code any}, as {@code opensase ips} runs them without a configuration.
     */
    public BenchSettings withIps(final List<Path> ruleFiles)
    {
        if (BenchMode.IPS != mode)
        {
            throw new IllegalArgumentException("--ips-rules needs --mode ips");
        }
        return new BenchSettings(capture, captureSource, capturePackets, captureBytes, frameCapacity,
            mode, seconds, warmupSeconds, null, null,
            new IpsSettings(ruleFiles, Map.of(), Map.of(), IpsMode.IDS, false, null, null, null));
    }

    /** These settings with the engine's worker running a firewall made of a ClassBench rule file. */
    public BenchSettings withRules(final Path ruleFile, final List<AclRule> aclRules)
    {
        if (BenchMode.FLOW != mode && BenchMode.ESTABLISHED != mode)
        {
            throw new IllegalArgumentException("--rules needs --mode flow or established");
        }
        return new BenchSettings(capture, captureSource, capturePackets, captureBytes, frameCapacity,
            mode, seconds, warmupSeconds, ruleFile.toAbsolutePath().normalize(), BenchFirewall.of(aclRules), null);
    }

    /** Devargs of a net_pcap device named {@code name} replaying the capture forever. */
    String replayDevargs(final String name)
    {
        return name + ",rx_pcap=" + capture + ",infinite_rx=1";
    }
}
