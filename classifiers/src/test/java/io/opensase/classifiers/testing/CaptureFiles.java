package io.opensase.classifiers.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture files written by hand, field by field from the pcap and pcapng specifications, in either byte
 * order, so that the readers are checked against files their own code did not write. Also reads classic pcap
 * records the same plain way.
 */
public final class CaptureFiles
{
    public static final int PCAP_MICROS = 0xA1B2C3D4;
    public static final int PCAP_NANOS = 0xA1B23C4D;

    private CaptureFiles()
    {
    }

    /** One packet record: timestamp seconds and fraction (micro- or nanoseconds), wire length, data. */
    public record Record(long seconds, long fraction, int wireLength, byte[] data)
    {
        public static Record of(final byte[] data)
        {
            return new Record(1_700_000_000L, 0, data.length, data);
        }
    }

    public static Path writePcap(
        final Path file, final ByteOrder order, final boolean nanos, final int linkType, final List<Record> records)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(buffer(24, order).putInt(nanos ? PCAP_NANOS : PCAP_MICROS).putShort((short)2)
            .putShort((short)4).putInt(0).putInt(0).putInt(262_144).putInt(linkType).array());
        for (final Record record : records)
        {
            out.writeBytes(buffer(16, order).putInt((int)record.seconds()).putInt((int)record.fraction())
                .putInt(record.data().length).putInt(record.wireLength()).array());
            out.writeBytes(record.data());
        }
        return write(file, out.toByteArray());
    }

    /** The records of a classic pcap file, read with nothing but its own header's byte order. */
    public static List<Record> readPcap(final byte[] file)
    {
        final int magic = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        final ByteBuffer in = ByteBuffer.wrap(file).order(
            PCAP_MICROS == magic || PCAP_NANOS == magic ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        final List<Record> records = new ArrayList<>();
        int at = 24;
        while (at < file.length)
        {
            final long seconds = in.getInt(at) & 0xFFFF_FFFFL;
            final long fraction = in.getInt(at + 4) & 0xFFFF_FFFFL;
            final int captured = in.getInt(at + 8);
            final int wire = in.getInt(at + 12);
            final byte[] data = new byte[captured];
            System.arraycopy(file, at + 16, data, 0, captured);
            records.add(new Record(seconds, fraction, wire, data));
            at += 16 + captured;
        }
        return records;
    }

    /** The same pcap file with every header field in the other byte order. */
    public static byte[] swapPcapByteOrder(final byte[] file)
    {
        final byte[] swapped = file.clone();
        // magic, major, minor, thiszone, sigfigs, snaplen, network; then per record seconds, fraction, lengths.
        swapFields(swapped, 0, new int[] {0, 4, 4, 2, 6, 2, 8, 4, 12, 4, 16, 4, 20, 4});
        final boolean little = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == PCAP_MICROS
            || ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(0) == PCAP_NANOS;
        final ByteBuffer in = ByteBuffer.wrap(file).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int at = 24;
        while (at < file.length)
        {
            final int captured = in.getInt(at + 8);
            swapFields(swapped, at, new int[] {0, 4, 4, 4, 8, 4, 12, 4});
            at += 16 + captured;
        }
        return swapped;
    }

    private static void swapFields(final byte[] bytes, final int base, final int[] offsetsAndSizes)
    {
        for (int f = 0; f < offsetsAndSizes.length; f += 2)
        {
            final int from = base + offsetsAndSizes[f];
            final int size = offsetsAndSizes[f + 1];
            for (int b = 0; b < size / 2; b++)
            {
                final byte t = bytes[from + b];
                bytes[from + b] = bytes[from + size - 1 - b];
                bytes[from + size - 1 - b] = t;
            }
        }
    }

    public static Path write(final Path file, final byte[] bytes)
    {
        try
        {
            return Files.write(file, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static ByteBuffer buffer(final int size, final ByteOrder order)
    {
        return ByteBuffer.allocate(size).order(order);
    }

    /** Builds a pcapng file block by block; each section may have its own byte order. */
    public static final class PcapNg
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        /** Starts a section (SHB, version 1.0, length unknown) in {@code sectionOrder}. */
        public PcapNg section(final ByteOrder sectionOrder)
        {
            order = sectionOrder;
            return block(0x0A0D0D0A, buffer(16, order).putInt(0x1A2B3C4D).putShort((short)1).putShort((short)0)
                .putLong(-1L).array());
        }

        /**
         * An interface description block.
         *
         * @param tsresol   the if_tsresol byte, or -1 to leave the option out (microseconds).
         * @param tsoffset  if_tsoffset in seconds, or 0 to leave the option out.
         */
        public PcapNg interfaceDescription(final int linkType, final int snapLength, final int tsresol,
            final long tsoffset)
        {
            final ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(buffer(8, order).putShort((short)linkType).putShort((short)0).putInt(snapLength).array());
            if (tsresol >= 0)
            {
                body.writeBytes(buffer(8, order).putShort((short)9).putShort((short)1).put((byte)tsresol)
                    .put(new byte[3]).array());
            }
            if (0 != tsoffset)
            {
                body.writeBytes(buffer(12, order).putShort((short)14).putShort((short)8).putLong(tsoffset).array());
            }
            body.writeBytes(buffer(4, order).putShort((short)0).putShort((short)0).array());
            return block(1, body.toByteArray());
        }

        /** An enhanced packet block; {@code timestamp} is in the interface's units. */
        public PcapNg enhancedPacket(final int interfaceId, final long timestamp, final int wireLength,
            final byte[] data)
        {
            final ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(buffer(20, order).putInt(interfaceId).putInt((int)(timestamp >>> 32)).putInt((int)timestamp)
                .putInt(data.length).putInt(wireLength).array());
            body.writeBytes(padded(data));
            return block(6, body.toByteArray());
        }

        /** An obsolete packet block (type 2): 16-bit interface id and drops count. */
        public PcapNg obsoletePacket(final int interfaceId, final long timestamp, final int wireLength,
            final byte[] data)
        {
            final ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(buffer(20, order).putShort((short)interfaceId).putShort((short)0)
                .putInt((int)(timestamp >>> 32)).putInt((int)timestamp).putInt(data.length).putInt(wireLength).array());
            body.writeBytes(padded(data));
            return block(2, body.toByteArray());
        }

        /** A simple packet block: interface 0, no timestamp, the data as kept. */
        public PcapNg simplePacket(final int wireLength, final byte[] data)
        {
            return block(3, concatBytes(buffer(4, order).putInt(wireLength).array(), padded(data)));
        }

        /** Any other block, which readers must skip. */
        public PcapNg block(final int type, final byte[] body)
        {
            final int length = 12 + body.length;
            out.writeBytes(buffer(8, order).putInt(type).putInt(length).array());
            out.writeBytes(body);
            out.writeBytes(buffer(4, order).putInt(length).array());
            return this;
        }

        public byte[] bytes()
        {
            return out.toByteArray();
        }

        private static byte[] padded(final byte[] data)
        {
            final byte[] padded = new byte[(data.length + 3) & ~3];
            System.arraycopy(data, 0, padded, 0, data.length);
            return padded;
        }

        private static byte[] concatBytes(final byte[] a, final byte[] b)
        {
            final byte[] joined = new byte[a.length + b.length];
            System.arraycopy(a, 0, joined, 0, a.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            return joined;
        }
    }
}
