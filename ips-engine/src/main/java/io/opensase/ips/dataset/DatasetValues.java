package io.opensase.ips.dataset;

import io.opensase.ips.rules.DatasetMatch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How a set's values are kept and written, per {@link DatasetMatch.Type}. A value is kept as a key of one
 * char per byte (ISO-8859-1), so any byte sequence is a key and the map compares bytes. Files use
 * Suricata's formats: a string value is one base64 line, md5 and sha256 values are hex lines, addresses
 * are text (an IPv4 address in an {@code ip} set is kept IPv4-mapped, {@code ::ffff:a.b.c.d}).
 */
final class DatasetValues
{
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xFF, (byte)0xFF};

    private DatasetValues()
    {
    }

    /** Bytes of a value of the type; -1 for any length. */
    static int size(final DatasetMatch.Type type)
    {
        return switch (type)
        {
            case STRING -> -1;
            case MD5 -> 16;
            case SHA256 -> 32;
            case IPV4 -> 4;
            case IPV6 -> 16;
        };
    }

    /**
     * Writes the key for the {@code length} bytes of {@code data} from {@code offset} into {@code key}. No
     * allocation.
     *
     * @return false when the buffer cannot hold a value of the type (wrong length), as Suricata's lookup
     *         fails for it.
     */
    static boolean key(
        final DatasetMatch.Type type,
        final MemorySegment data,
        final long offset,
        final int length,
        final StringBuilder key)
    {
        key.setLength(0);
        final int size = size(type);
        if (type == DatasetMatch.Type.IPV6 && 4 == length)
        {
            for (final byte b : V4_MAPPED_PREFIX)
            {
                key.append((char)(b & 0xFF));
            }
        }
        else if (size >= 0 && length != size)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            key.append((char)(data.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF));
        }
        return true;
    }

    /**
     * The value one line of a load or state file holds, as bytes. Errors do not quote the line: a set file may
     * hold what should not reach a log.
     */
    static byte[] parseLine(final DatasetMatch.Type type, final String line) throws DatasetException
    {
        try
        {
            return switch (type)
            {
                case STRING -> Base64.getDecoder().decode(line);
                case MD5, SHA256 ->
                {
                    final byte[] bytes = HexFormat.of().parseHex(line);
                    if (bytes.length != size(type))
                    {
                        throw new DatasetException("not " + 2 * size(type) + " hex digits");
                    }
                    yield bytes;
                }
                case IPV4 ->
                {
                    final byte[] bytes = address(line);
                    if (bytes.length != 4)
                    {
                        throw new DatasetException("not an IPv4 address");
                    }
                    yield bytes;
                }
                case IPV6 ->
                {
                    final byte[] bytes = address(line);
                    if (bytes.length == 4)
                    {
                        final byte[] mapped = new byte[16];
                        System.arraycopy(V4_MAPPED_PREFIX, 0, mapped, 0, 12);
                        System.arraycopy(bytes, 0, mapped, 12, 4);
                        yield mapped;
                    }
                    yield bytes;
                }
            };
        }
        catch (final IllegalArgumentException ex)
        {
            throw new DatasetException("not a " + type.ruleName() + " value");
        }
    }

    /** The file line for a key. */
    static String formatLine(final DatasetMatch.Type type, final CharSequence key)
    {
        final byte[] bytes = new byte[key.length()];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)key.charAt(i);
        }
        return switch (type)
        {
            case STRING -> Base64.getEncoder().encodeToString(bytes);
            case MD5, SHA256 -> HexFormat.of().formatHex(bytes);
            case IPV4, IPV6 -> text(bytes);
        };
    }

    static String key(final byte[] value)
    {
        final StringBuilder sb = new StringBuilder(value.length);
        for (final byte b : value)
        {
            sb.append((char)(b & 0xFF));
        }
        return sb.toString();
    }

    /** A textual address; {@link InetAddress#ofLiteral} never asks a resolver. */
    private static byte[] address(final String text)
    {
        return InetAddress.ofLiteral(text).getAddress();
    }

    private static String text(final byte[] bytes)
    {
        final boolean mapped = bytes.length == 16 && Arrays.equals(bytes, 0, 12, V4_MAPPED_PREFIX, 0, 12);
        final byte[] shown = mapped ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
        try
        {
            return InetAddress.getByAddress(shown).getHostAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException("a 4 or 16 byte key is always an address", ex);
        }
    }
}
