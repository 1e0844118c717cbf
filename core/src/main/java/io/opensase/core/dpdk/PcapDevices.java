package io.opensase.core.dpdk;

import io.opensase.classifiers.capture.CaptureFormatException;
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
     * @throws IllegalArgumentException when DPDK could not replay the input whole: it is not an Ethernet
     *                                  capture ({@code net_pcap} delivers every frame as Ethernet), it is cut
     *                                  short or corrupt, or it changes link type part-way (the device would
     *                                  stop there); or a file name holds a comma, which devargs cannot carry.
     */
    public static List<PortConfig> of(final Path in, final Path out) throws IOException
    {
        requireNoComma(in);
        if (null != out)
        {
            requireNoComma(out);
        }
        requireWholeEthernet(in);
        final String rx = "net_pcap_in,rx_pcap=" + in.toAbsolutePath();
        if (null != out)
        {
            return List.of(new DpdkPortConfig("capture", rx + ",tx_pcap=" + out.toAbsolutePath(), 1, true, "capture"));
        }
        return List.of(new DpdkPortConfig("capture", rx, 1, true, "discard"),
            new DpdkPortConfig("discard", "net_null_out", 1, false, "discard"));
    }

    private static void requireNoComma(final Path file)
    {
        if (file.toAbsolutePath().toString().contains(","))
        {
            throw new IllegalArgumentException(file + ": DPDK devargs separate arguments with commas, so a file name "
                + "given to net_pcap cannot hold one: rename or link the file");
        }
    }

    private static void requireWholeEthernet(final Path in) throws IOException
    {
        try (CaptureReader reader = Captures.open(in))
        {
            if (reader.linkType() != LinkType.ETHERNET)
            {
                throw new IllegalArgumentException(in + ": link type " + reader.linkType() + "; --dpdk takes "
                    + "Ethernet captures only (DPDK's net_pcap delivers Ethernet frames): run it without --dpdk");
            }
            while (reader.next())
            {
                if (reader.linkType() != LinkType.ETHERNET)
                {
                    throw new IllegalArgumentException(in + ": at byte " + reader.recordOffset() + ": a packet of "
                        + "link type " + reader.linkType() + "; DPDK's net_pcap would stop there: run it without "
                        + "--dpdk, which processes the packets before it");
                }
            }
        }
        catch (final CaptureFormatException ex)
        {
            throw new IllegalArgumentException(ex.getMessage() + "; DPDK's net_pcap would stop there: run it "
                + "without --dpdk, which processes the packets before it", ex);
        }
    }
}
