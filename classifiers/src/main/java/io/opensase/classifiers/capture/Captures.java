package io.opensase.classifiers.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens capture files by their content, not their name: pcap (micro- or nanosecond, either byte order) or
 * pcapng.
 */
public final class Captures
{
    static final int PCAP_MICROS = 0xA1B2C3D4;
    static final int PCAP_NANOS = 0xA1B23C4D;
    static final int PCAPNG_SECTION_HEADER = 0x0A0D0D0A;

    private Captures()
    {
    }

    /**
     * @throws CaptureFormatException when the file is neither pcap nor pcapng, naming the file and offset 0.
     */
    public static CaptureReader open(final Path file) throws IOException
    {
        final Arena arena = Arena.ofShared();
        try
        {
            final MemorySegment mapping;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            }
            if (mapping.byteSize() < 4)
            {
                throw new CaptureFormatException(file, 0, "not a capture: the file holds "
                    + mapping.byteSize() + " bytes, too few for a pcap or pcapng header");
            }
            final int magic = mapping.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            final int swapped = Integer.reverseBytes(magic);
            if (PCAP_MICROS == magic || PCAP_NANOS == magic || PCAP_MICROS == swapped || PCAP_NANOS == swapped)
            {
                return new PcapReader(file, arena, mapping);
            }
            if (PCAPNG_SECTION_HEADER == magic)
            {
                return PcapNgReader.open(file, arena, mapping);
            }
            throw new CaptureFormatException(file, 0, String.format(
                "not a capture: magic number 0x%08x is neither pcap nor pcapng", magic));
        }
        catch (final IOException | RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
    }
}
