package io.opensase.core.bench;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.classifiers.parse.LinkType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of captures as one capture for {@code net_pcap} to replay: the Ethernet packets of every
 * {@code .pcap} and {@code .pcapng} file under it, files in path order, packets in file order, written to one
 * pcap. Packets of other link types are left out and counted.
 */
public final class CaptureFolder
{
    private CaptureFolder()
    {
    }

    /** What {@link #concatenate} wrote. */
    public record Written(int files, long packets, long otherLinkTypes)
    {
    }

    public static Written concatenate(final Path folder, final Path into) throws IOException
    {
        final List<Path> captures;
        try (Stream<Path> files = Files.walk(folder))
        {
            captures = files.filter(CaptureFolder::isCapture).sorted().toList();
        }
        if (captures.isEmpty())
        {
            throw new IllegalArgumentException(folder + " holds no .pcap or .pcapng file");
        }
        long packets = 0;
        long other = 0;
        try (PcapWriter out = new PcapWriter(into, LinkType.ETHERNET))
        {
            for (final Path capture : captures)
            {
                try (CaptureReader reader = Captures.open(capture))
                {
                    while (reader.next())
                    {
                        if (LinkType.ETHERNET != reader.linkType())
                        {
                            other++;
                            continue;
                        }
                        out.write(reader.dataAddress(), reader.capturedLength(), reader.wireLength(),
                            reader.timestampNs());
                        packets++;
                    }
                }
            }
        }
        return new Written(captures.size(), packets, other);
    }

    private static boolean isCapture(final Path file)
    {
        final String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".pcap") || name.endsWith(".pcapng"));
    }
}
