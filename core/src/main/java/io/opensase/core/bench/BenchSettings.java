package io.opensase.core.bench;

import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.core.firewall.FirewallConfig;
import io.opensase.dpdk.Mempool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark run: the capture both sides replay, its packet count, the buffer data room both sides use,
 * the mode, how long to warm up and to measure, and the firewall the engine's worker runs (null for none)
 * with the rule file it came from.
 */
public record BenchSettings(Path capture, long capturePackets, int frameCapacity, BenchMode mode, int seconds,
    int warmupSeconds, Path rules, FirewallConfig firewall)
{
    /** Packet buffers on both sides: net_pcap keeps the whole capture in mbufs, and queues need their own. */
    static final int MBUFS = 16_384;
    static final int WARMUP_SECONDS = 2;

    /**
     * Reads the capture once: it must be Ethernet, and its largest frame decides the data room (DPDK's
     * default when every frame fits, else room for jumbo frames), the same for the engine and testpmd.
     */
    public static BenchSettings of(final Path capture, final BenchMode mode, final int seconds) throws IOException
    {
        long packets = 0;
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
                largest = Math.max(largest, reader.capturedLength());
            }
        }
        if (packets > MBUFS / 2)
        {
            throw new IllegalArgumentException(capture + ": " + packets + " packets; the benchmark replays captures "
                + "of at most " + MBUFS / 2 + " (net_pcap holds the whole capture in packet buffers)");
        }
        final int room = largest <= Mempool.DEFAULT_FRAME_CAPACITY ? Mempool.DEFAULT_FRAME_CAPACITY
            : Mempool.JUMBO_FRAME_CAPACITY;
        return new BenchSettings(capture.toAbsolutePath().normalize(), packets, room, mode, seconds, WARMUP_SECONDS,
            null, null);
    }

    /** These settings without the firewall: the baseline a firewall run is compared with. */
    BenchSettings withoutFirewall()
    {
        return new BenchSettings(capture, capturePackets, frameCapacity, mode, seconds, warmupSeconds, null, null);
    }

    /** These settings with another mode, and no firewall. */
    BenchSettings withMode(final BenchMode other)
    {
        return new BenchSettings(capture, capturePackets, frameCapacity, other, seconds, warmupSeconds, null, null);
    }

    /** These settings with the engine's worker running a firewall made of a ClassBench rule file. */
    public BenchSettings withRules(final Path ruleFile, final List<AclRule> aclRules)
    {
        if (BenchMode.FLOW != mode && BenchMode.ESTABLISHED != mode)
        {
            throw new IllegalArgumentException("--rules needs --mode flow or established");
        }
        return new BenchSettings(capture, capturePackets, frameCapacity, mode, seconds, warmupSeconds,
            ruleFile.toAbsolutePath().normalize(), BenchFirewall.of(aclRules));
    }

    /** Devargs of a net_pcap device named {@code name} replaying the capture forever. */
    String replayDevargs(final String name)
    {
        return name + ",rx_pcap=" + capture + ",infinite_rx=1";
    }
}
