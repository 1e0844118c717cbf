package io.opensase.classifiers.capture;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a pcap file with nanosecond timestamps in the host's byte order, through an off-heap buffer so
 * that writing a packet allocates nothing. Used by one thread at a time (it may be created on another).
 */
public final class PcapWriter implements AutoCloseable
{
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int SNAP_LENGTH = 262_144;

    private final Path file;
    private final FileChannel channel;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
    private int used;
    private long packets;

    public PcapWriter(final Path file, final LinkType linkType) throws IOException
    {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        buffer.set(ValueLayout.JAVA_INT, 0, Captures.PCAP_NANOS);
        buffer.set(ValueLayout.JAVA_SHORT, 4, (short)2);
        buffer.set(ValueLayout.JAVA_SHORT, 6, (short)4);
        buffer.set(ValueLayout.JAVA_INT, 8, 0);
        buffer.set(ValueLayout.JAVA_INT, 12, 0);
        buffer.set(ValueLayout.JAVA_INT, 16, SNAP_LENGTH);
        buffer.set(ValueLayout.JAVA_INT, 20, linkType.number());
        used = PcapReader.FILE_HEADER_LENGTH;
    }

    public Path file()
    {
        return file;
    }

    /**
     * Appends one packet read from native memory.
     *
     * @param address    first byte of the packet, read through {@link PacketMemory#ALL}.
     * @param captured   bytes at {@code address}; at most the snap length (262144) of them are written.
     * @param wireLength original length recorded for the packet.
     */
    public void write(final long address, final int captured, final int wireLength, final long timestampNs)
    {
        // Past the snap length the header declares, the file would be unreadable (to tshark and PcapReader
        // alike): keep what a capture with that snap length keeps, and the wire length.
        final int kept = Math.min(captured, SNAP_LENGTH);
        final int record = PcapReader.RECORD_HEADER_LENGTH + kept;
        if (used + record > BUFFER_BYTES)
        {
            flush();
        }
        if (record > BUFFER_BYTES)
        {
            throw new IllegalArgumentException("packet of " + captured + " bytes is larger than the write buffer");
        }
        final long at = used;
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int)(timestampNs / 1_000_000_000L));
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4, (int)(timestampNs % 1_000_000_000L));
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, at + 8, kept);
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, at + 12, Math.max(captured, wireLength));
        MemorySegment.copy(PacketMemory.ALL, address, buffer, at + PcapReader.RECORD_HEADER_LENGTH, kept);
        used += record;
        packets++;
    }

    public long packets()
    {
        return packets;
    }

    /** Writes out what is buffered. */
    public void flush()
    {
        try
        {
            final var bytes = buffer.asSlice(0, used).asByteBuffer();
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            used = 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            flush();
            channel.close();
        }
        finally
        {
            arena.close();
        }
    }
}
