package io.opensase.classifiers.capture;

import io.opensase.classifiers.parse.LinkType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pcapng files: every section in either byte order, interface description blocks with their
 * timestamp resolution and offset, and enhanced, simple and obsolete packet blocks. Other blocks are skipped.
 */
final class PcapNgReader extends MappedCaptureReader
{
    private static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int OPTION_TS_RESOLUTION = 9;
    private static final int OPTION_TS_OFFSET = 14;

    /**
     * One interface description: the link type (null when the parser does not support it: an error only
     * once a packet arrives on that interface) and how to turn its timestamps into nanoseconds.
     */
    private record Interface(int network, LinkType linkType, int snapLength, boolean binaryResolution, int exponent,
        long offsetSeconds)
    {
        long toNanoseconds(final long units)
        {
            final long nanos;
            if (binaryResolution)
            {
                final long whole = units >>> exponent;
                final long part = units & ((1L << exponent) - 1);
                nanos = whole * 1_000_000_000L + (exponent <= 33
                    ? (part * 1_000_000_000L) >>> exponent
                    : (long)(part * 1e9 / Math.pow(2, exponent)));
            }
            else if (exponent <= 9)
            {
                nanos = units * POWERS_OF_TEN[9 - exponent];
            }
            else
            {
                nanos = units / POWERS_OF_TEN[Math.min(exponent - 9, 18)];
            }
            return nanos + offsetSeconds * 1_000_000_000L;
        }
    }

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    private final List<Interface> interfaces = new ArrayList<>();

    private ValueLayout.OfInt int32 = ValueLayout.JAVA_INT_UNALIGNED;
    private ValueLayout.OfShort int16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private long position;

    private PcapNgReader(final Path file, final Arena arena, final MemorySegment mapping)
    {
        super(file, arena, mapping);
    }

    /**
     * A reader whose link type is known before the first packet: a second reader over the same mapping
     * (never closed, since the first owns the arena) looks ahead to the first packet.
     */
    static PcapNgReader open(final Path file, final Arena arena, final MemorySegment mapping)
        throws CaptureFormatException
    {
        final PcapNgReader reader = new PcapNgReader(file, arena, mapping);
        final PcapNgReader ahead = new PcapNgReader(file, arena, mapping);
        reader.setLinkType(ahead.next() ? ahead.linkType() : LinkType.ETHERNET);
        return reader;
    }

    @Override
    public boolean next() throws CaptureFormatException
    {
        final long size = mapping.byteSize();
        while (position < size)
        {
            final long block = position;
            if (block + 12 > size)
            {
                throw corrupt(block, "block header cut short: " + (size - block) + " of 12 bytes");
            }
            final int type = mapping.get(ValueLayout.JAVA_INT_UNALIGNED, block);
            if (SECTION_HEADER == type)
            {
                readByteOrder(block);
            }
            final long length = mapping.get(int32, block + 4) & 0xFFFF_FFFFL;
            if (length < 12 || (length & 3) != 0)
            {
                throw corrupt(block, "block length " + length + " is not a multiple of 4 of at least 12");
            }
            if (block + length > size)
            {
                throw corrupt(block, "block cut short: " + (size - block) + " of " + length + " bytes");
            }
            if ((mapping.get(int32, block + length - 4) & 0xFFFF_FFFFL) != length)
            {
                throw corrupt(block, "block trailer length does not match its header length " + length);
            }
            position = block + length;
            final int blockType = mapping.get(int32, block);
            if (SECTION_HEADER == type)
            {
                interfaces.clear();
            }
            else if (INTERFACE_DESCRIPTION == blockType)
            {
                interfaces.add(readInterface(block, length));
            }
            else if (ENHANCED_PACKET == blockType || OBSOLETE_PACKET == blockType)
            {
                readPacket(block, length, ENHANCED_PACKET == blockType);
                return true;
            }
            else if (SIMPLE_PACKET == blockType)
            {
                readSimplePacket(block, length);
                return true;
            }
        }
        return false;
    }

    private void readByteOrder(final long block) throws CaptureFormatException
    {
        final int magic = mapping.get(ValueLayout.JAVA_INT_UNALIGNED, block + 8);
        final ByteOrder order;
        if (BYTE_ORDER_MAGIC == magic)
        {
            order = ByteOrder.nativeOrder();
        }
        else if (BYTE_ORDER_MAGIC == Integer.reverseBytes(magic))
        {
            order = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
        else
        {
            throw corrupt(block + 8, String.format("section header byte-order magic 0x%08x is not 0x1a2b3c4d", magic));
        }
        int32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        int16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
    }

    private Interface readInterface(final long block, final long length) throws CaptureFormatException
    {
        if (length < 20)
        {
            throw corrupt(block, "interface description block of " + length + " bytes, fewer than 20");
        }
        final int network = mapping.get(int16, block + 8) & 0xFFFF;
        final LinkType type = LinkType.fromNumber(network);
        final int snapLength = mapping.get(int32, block + 12);
        boolean binary = false;
        int exponent = 6;
        long offsetSeconds = 0;
        long option = block + 16;
        final long end = block + length - 4;
        while (option + 4 <= end)
        {
            final int code = mapping.get(int16, option) & 0xFFFF;
            final int optionLength = mapping.get(int16, option + 2) & 0xFFFF;
            if (0 == code)
            {
                break;
            }
            if (option + 4 + optionLength > end)
            {
                throw corrupt(option, "interface option " + code + " runs past its block");
            }
            if (OPTION_TS_RESOLUTION == code && optionLength >= 1)
            {
                final int resolution = mapping.get(ValueLayout.JAVA_BYTE, option + 4) & 0xFF;
                binary = (resolution & 0x80) != 0;
                exponent = resolution & 0x7F;
                if (binary ? exponent > 62 : exponent > 27)
                {
                    throw corrupt(option, "timestamp resolution " + resolution + " is out of range");
                }
            }
            else if (OPTION_TS_OFFSET == code && optionLength >= 8)
            {
                offsetSeconds = readLong(option + 4);
            }
            option += 4 + ((optionLength + 3) & ~3);
        }
        return new Interface(network, type, snapLength, binary, exponent, offsetSeconds);
    }

    private long readLong(final long at)
    {
        final long first = mapping.get(int32, at) & 0xFFFF_FFFFL;
        final long second = mapping.get(int32, at + 4) & 0xFFFF_FFFFL;
        return int32.order() == ByteOrder.LITTLE_ENDIAN ? second << 32 | first : first << 32 | second;
    }

    private void readPacket(final long block, final long length, final boolean enhanced) throws CaptureFormatException
    {
        if (length < 32)
        {
            throw corrupt(block, "packet block of " + length + " bytes, fewer than 32");
        }
        final int interfaceId = enhanced
            ? mapping.get(int32, block + 8)
            : mapping.get(int16, block + 8) & 0xFFFF;
        final Interface iface = interfaceOf(block, interfaceId);
        final long high = mapping.get(int32, block + 12) & 0xFFFF_FFFFL;
        final long low = mapping.get(int32, block + 16) & 0xFFFF_FFFFL;
        final long included = mapping.get(int32, block + 20) & 0xFFFF_FFFFL;
        final long original = mapping.get(int32, block + 24) & 0xFFFF_FFFFL;
        if (included > length - 32)
        {
            throw corrupt(block, "packet block claims " + included + " captured bytes in a block of " + length);
        }
        setPacket(block, iface, block + 28, included, original, iface.toNanoseconds(high << 32 | low));
    }

    private void readSimplePacket(final long block, final long length) throws CaptureFormatException
    {
        if (length < 16)
        {
            throw corrupt(block, "simple packet block of " + length + " bytes, fewer than 16");
        }
        final Interface iface = interfaceOf(block, 0);
        final long original = mapping.get(int32, block + 8) & 0xFFFF_FFFFL;
        long included = Math.min(original, length - 16);
        if (iface.snapLength() > 0)
        {
            included = Math.min(included, iface.snapLength());
        }
        setPacket(block, iface, block + 12, included, original, 0);
    }

    private Interface interfaceOf(final long block, final int interfaceId) throws CaptureFormatException
    {
        if (interfaceId < 0 || interfaceId >= interfaces.size())
        {
            throw corrupt(block, "packet block names interface " + interfaceId + " but the section describes "
                + interfaces.size());
        }
        final Interface iface = interfaces.get(interfaceId);
        if (null == iface.linkType())
        {
            throw corrupt(block, "packet on interface " + interfaceId + " with unsupported link type " + iface.network()
                + " (supported: Ethernet 1, raw IP 101/228/229, Linux cooked 113/276, BSD loopback 0)");
        }
        return iface;
    }

    private void setPacket(
        final long block,
        final Interface iface,
        final long data,
        final long included,
        final long original,
        final long timestamp)
    {
        setPacket(block, data, iface.linkType(), included, original, timestamp);
    }
}
