package io.opensase.classifiers.testing;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One packet as a capture reader delivered it, copied out of the reader's mapping; and the same facts as
 * tshark reports them, for comparison.
 */
public record CapturedPacket(LinkType link, byte[] data, int wireLength, long timestampNs, long recordOffset)
{
    /** What tshark says of one frame: lengths, time to the nanosecond, MD5 of the captured bytes. */
    public record Facts(int wireLength, int capturedLength, long timestampNs, String md5)
    {
    }

    /** Every packet a reader delivers, and the format error that ended it early, if any. */
    public record Reading(List<CapturedPacket> packets, CaptureFormatException error)
    {
        public List<Facts> facts()
        {
            return packets.stream().map(CapturedPacket::facts).toList();
        }
    }

    public Facts facts()
    {
        return new Facts(wireLength, data.length, timestampNs, md5(data));
    }

    /** Reads the whole file; a {@link CaptureFormatException} from opening or reading ends the list. */
    public static Reading readAll(final Path file) throws IOException
    {
        final List<CapturedPacket> packets = new ArrayList<>();
        try (CaptureReader reader = Captures.open(file))
        {
            while (reader.next())
            {
                final byte[] data = MemorySegment.ofAddress(reader.dataAddress()).reinterpret(reader.capturedLength())
                    .toArray(ValueLayout.JAVA_BYTE);
                packets.add(new CapturedPacket(reader.linkType(), data, reader.wireLength(), reader.timestampNs(),
                    reader.recordOffset()));
            }
        }
        catch (final CaptureFormatException ex)
        {
            return new Reading(packets, ex);
        }
        return new Reading(packets, null);
    }

    /** tshark's view of every frame of {@code file}. */
    public static List<Facts> tshark(final Path file)
    {
        final String output = Tools.run("tshark", "-n", "-r", file.toString(), "-o", "frame.generate_md5_hash:TRUE",
            "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.time_epoch", "-e", "frame.md5_hash");
        final List<Facts> frames = new ArrayList<>();
        for (final String line : output.split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String[] columns = line.split("\t", -1);
            // No time at all (a simple packet block) is taken as 0.
            final long nanos = columns[2].isEmpty() ? 0 : new BigDecimal(columns[2]).movePointRight(9).longValueExact();
            frames.add(new Facts(Integer.parseInt(columns[0]), Integer.parseInt(columns[1]), nanos, columns[3]));
        }
        return frames;
    }

    public static String md5(final byte[] data)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
