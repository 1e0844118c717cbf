package io.opensase.core.dpdk;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.core.config.DpdkPortConfig;
import io.opensase.core.config.PortConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * DPDK {@code net_pcap} devices over capture files, for {@code run --dpdk --pcap-in}: one device replays the
 * input (and writes the output when there is one); without an output, a {@code net_null} device takes what
 * is transmitted.
 */
public final class PcapDevices
{
    private PcapDevices()
    {
    }

    /**
     * @throws IllegalArgumentException when the input is not an Ethernet capture: {@code net_pcap} delivers
     *                                  every frame as Ethernet.
     */
    public static List<PortConfig> of(final Path in, final Path out) throws IOException
    {
        try (CaptureReader reader = Captures.open(in))
        {
            if (reader.linkType() != LinkType.ETHERNET)
            {
                throw new IllegalArgumentException(in + ": link type " + reader.linkType() + "; --dpdk takes "
                    + "Ethernet captures only (DPDK's net_pcap delivers Ethernet frames): run it without --dpdk");
            }
        }
        final String rx = "net_pcap_in,rx_pcap=" + in.toAbsolutePath();
        if (null != out)
        {
            return List.of(new DpdkPortConfig("capture", rx + ",tx_pcap=" + out.toAbsolutePath(), 1, true, "capture"));
        }
        return List.of(new DpdkPortConfig("capture", rx, 1, true, "discard"),
            new DpdkPortConfig("discard", "net_null_out", 1, false, "discard"));
    }
}
