package io.opensase.classifiers.frag;

import io.opensase.classifiers.testing.Frames;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.opensase.classifiers.testing.Frames.concat;
import static io.opensase.classifiers.testing.Frames.ip;
import static io.opensase.classifiers.testing.Frames.u16;
import static io.opensase.classifiers.testing.Frames.u32;

/**
 * Hand-built IPv4 and IPv6 fragments, field by field from RFC 791 and RFC 8200, so that what the reassembler
 * returns is checked against bytes its own code did not write. Offsets are in bytes.
 */
final class Fragments
{
    static final String SRC4 = "192.0.2.1";
    static final String DST4 = "198.51.100.2";
    static final String SRC6 = "2001:db8::1";
    static final String DST6 = "2001:db8::2";
    static final int UDP = 17;
    static final int TCP = 6;

    private Fragments()
    {
    }

    /** An IPv4 fragment with a 20-byte header: TTL 64, checksum filled in. */
    static byte[] ipv4(final int id, final int protocol, final int offset, final boolean more, final byte[] payload)
    {
        return ipv4(SRC4, DST4, id, protocol, offset, more, new byte[0], payload);
    }

    static byte[] ipv4(
        final String src,
        final String dst,
        final int id,
        final int protocol,
        final int offset,
        final boolean more,
        final byte[] options,
        final byte[] payload)
    {
        if (offset % 8 != 0 || options.length % 4 != 0)
        {
            throw new IllegalArgumentException("offset " + offset + " options " + options.length);
        }
        final int headerLength = 20 + options.length;
        final byte[] header = concat(new byte[] {(byte)(0x40 | headerLength / 4), 0},
            u16(headerLength + payload.length), u16(id), u16((more ? 0x2000 : 0) | offset / 8),
            new byte[] {64, (byte)protocol}, u16(0), ip(src), ip(dst), options);
        final byte[] checksum = u16(Frames.checksum(header));
        header[10] = checksum[0];
        header[11] = checksum[1];
        return concat(header, payload);
    }

    /** An IPv6 fragment without extension headers besides the fragment header. */
    static byte[] ipv6(final long id, final int nextHeader, final int offset, final boolean more, final byte[] payload)
    {
        return ipv6(SRC6, DST6, id, nextHeader, offset, more, new byte[0], 44, payload);
    }

    /**
     * An IPv6 fragment: the 40-byte header, {@code unfragmentable} extension headers as given (their chain
     * must end in {@code 44}, the fragment header; {@code firstNextHeader} names the first of them), the
     * fragment header, then the payload.
     */
    static byte[] ipv6(
        final String src,
        final String dst,
        final long id,
        final int nextHeader,
        final int offset,
        final boolean more,
        final byte[] unfragmentable,
        final int firstNextHeader,
        final byte[] payload)
    {
        if (offset % 8 != 0)
        {
            throw new IllegalArgumentException("offset " + offset);
        }
        final byte[] fragmentHeader = concat(new byte[] {(byte)nextHeader, 0}, u16(offset | (more ? 1 : 0)), u32(id));
        return concat(Frames.hex("60000000"), u16(unfragmentable.length + 8 + payload.length),
            new byte[] {(byte)firstNextHeader, 64}, ip(src), ip(dst), unfragmentable, fragmentHeader, payload);
    }

    /** {@code count} bytes of {@code c}. */
    static byte[] repeat(final char c, final int count)
    {
        final byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte)c);
        return bytes;
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code length} bytes counting up from {@code seed}, so that every offset has its own value. */
    static byte[] pattern(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int b = 0; b < length; b++)
        {
            bytes[b] = (byte)(seed + b * 7 + (b >>> 8));
        }
        return bytes;
    }

    static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        return Arrays.copyOfRange(bytes, from, to);
    }
}
