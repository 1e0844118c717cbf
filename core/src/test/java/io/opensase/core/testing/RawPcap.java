package io.opensase.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second, deliberately tiny pcap reader used only to check the engine's output: frames as byte arrays,
 * with nothing shared with the product's reader.
 */
public final class RawPcap
{
    private RawPcap()
    {
    }

    /** A frame's captured bytes and recorded wire length. */
    public record Frame(byte[] bytes, int wireLength)
    {
        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Frame frame && frame.wireLength == wireLength && Arrays.equals(frame.bytes, bytes);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(bytes) * 31 + wireLength;
        }

        @Override
        public String toString()
        {
            return "Frame[" + bytes.length + "/" + wireLength + " bytes]";
        }
    }

    public static int linkType(final Path file)
    {
        final ByteBuffer buffer = read(file);
        return buffer.getInt(20) & 0xFFFF;
    }

    public static List<Frame> frames(final Path file)
    {
        final ByteBuffer buffer = read(file);
        final List<Frame> frames = new ArrayList<>();
        int at = 24;
        while (at + 16 <= buffer.limit())
        {
            final int captured = buffer.getInt(at + 8);
            final int wire = buffer.getInt(at + 12);
            final byte[] bytes = new byte[captured];
            buffer.get(at + 16, bytes);
            frames.add(new Frame(bytes, wire));
            at += 16 + captured;
        }
        return frames;
    }

    private static ByteBuffer read(final Path file)
    {
        try
        {
            final ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
            final int magic = buffer.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D)
            {
                buffer.order(ByteOrder.BIG_ENDIAN);
            }
            return buffer;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
