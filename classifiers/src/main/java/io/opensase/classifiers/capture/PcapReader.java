package io.opensase.classifiers.capture;

import io.opensase.classifiers.parse.LinkType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads classic pcap files: micro- or nanosecond timestamps, written in either byte order.
 */
final class PcapReader extends MappedCaptureReader
{
    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;
    /** Largest record accepted whatever the header's snap length says; guards against corrupt lengths. */
    static final int MAX_RECORD_LENGTH = 256 * 1024;

    private final ValueLayout.OfInt int32;
    private final boolean nanoseconds;
    private final LinkType linkType;

    private long position = FILE_HEADER_LENGTH;

    PcapReader(final Path file, final Arena arena, final MemorySegment mapping) throws CaptureFormatException
    {
        super(file, arena, mapping);
        if (mapping.byteSize() < FILE_HEADER_LENGTH)
        {
            throw corrupt(0,
                "pcap file header cut short: " + mapping.byteSize() + " of 24 bytes");
        }
        final int magic = mapping.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        final boolean swapped = magic != Captures.PCAP_MICROS && magic != Captures.PCAP_NANOS;
        final ByteOrder order = swapped
            ? (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
            : ByteOrder.nativeOrder();
        this.int32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.nanoseconds = Captures.PCAP_NANOS == (swapped ? Integer.reverseBytes(magic) : magic);
        final int network = mapping.get(int32, 20) & 0xFFFF;
        this.linkType = LinkType.fromNumber(network);
        if (null == linkType)
        {
            throw corrupt(20, "unsupported link type " + network
                + " (supported: Ethernet 1, raw IP 101/228/229, Linux cooked 113/276, BSD loopback 0)");
        }
        setLinkType(linkType);
    }

    @Override
    public boolean next() throws CaptureFormatException
    {
        final long size = mapping.byteSize();
        if (position == size)
        {
            return false;
        }
        if (position + RECORD_HEADER_LENGTH > size)
        {
            throw corrupt(position, "packet record header cut short: "
                + (size - position) + " of 16 bytes");
        }
        final long seconds = mapping.get(int32, position) & 0xFFFF_FFFFL;
        final long fraction = mapping.get(int32, position + 4) & 0xFFFF_FFFFL;
        final long included = mapping.get(int32, position + 8) & 0xFFFF_FFFFL;
        final long original = mapping.get(int32, position + 12) & 0xFFFF_FFFFL;
        if (included > MAX_RECORD_LENGTH)
        {
            throw corrupt(position, "packet record claims " + included
                + " captured bytes, more than the " + MAX_RECORD_LENGTH + " any capture holds");
        }
        if (position + RECORD_HEADER_LENGTH + included > size)
        {
            throw corrupt(position, "packet data cut short: "
                + (size - position - RECORD_HEADER_LENGTH) + " of " + included + " bytes");
        }
        setPacket(position, position + RECORD_HEADER_LENGTH, linkType, included, original,
            seconds * 1_000_000_000L + (nanoseconds ? fraction : fraction * 1_000L));
        position += RECORD_HEADER_LENGTH + included;
        return true;
    }
}
