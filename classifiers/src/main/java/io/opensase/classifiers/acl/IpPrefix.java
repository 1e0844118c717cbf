package io.opensase.classifiers.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix. Addresses follow the convention of
 * {@code io.opensase.classifiers.parse.ParsedPackets}: an IPv6 address is two longs, {@code hi} (the first
 * eight bytes) and {@code lo}; an IPv4 address lives in the low 32 bits of {@code lo} with {@code hi = 0}.
 * Bits past the prefix length are cleared on construction. Immutable; any thread.
 *
 * @param ipv6 whether this is an IPv6 prefix
 * @param hi the first 64 bits of an IPv6 prefix; 0 for IPv4
 * @param lo the last 64 bits of an IPv6 prefix, or the IPv4 address in the low 32 bits
 * @param length prefix length, 0..32 for IPv4 and 0..128 for IPv6
 */
public record IpPrefix(boolean ipv6, long hi, long lo, int length)
{
    /** 0.0.0.0/0. */
    public static final IpPrefix ANY_V4 = new IpPrefix(false, 0, 0, 0);
    /** ::/0. */
    public static final IpPrefix ANY_V6 = new IpPrefix(true, 0, 0, 0);

    public IpPrefix
    {
        if (ipv6)
        {
            if (length < 0 || length > 128)
            {
                throw new IllegalArgumentException("IPv6 prefix length " + length + " is not within 0..128");
            }
            hi &= maskHi(length);
            lo &= maskLo(length);
        }
        else
        {
            if (length < 0 || length > 32)
            {
                throw new IllegalArgumentException("IPv4 prefix length " + length + " is not within 0..32");
            }
            if (0 != hi || 0 != (lo >>> 32))
            {
                throw new IllegalArgumentException("an IPv4 address must be in the low 32 bits of lo");
            }
            lo &= 0 == length ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
        }
    }

    /** An IPv4 prefix of {@code address} (as 32 bits) and {@code length}. */
    public static IpPrefix v4(final int address, final int length)
    {
        return new IpPrefix(false, 0, address & 0xFFFF_FFFFL, length);
    }

    /** An IPv6 prefix. */
    public static IpPrefix v6(final long hi, final long lo, final int length)
    {
        return new IpPrefix(true, hi, lo, length);
    }

    /**
     * Parses {@code address/length} (IPv4 dotted quad or any IPv6 text form; without {@code /length} a host
     * prefix). Host bits past the length are cleared.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IpPrefix parse(final String text)
    {
        final int slash = text.indexOf('/');
        final String address = slash < 0 ? text : text.substring(0, slash);
        if (address.indexOf(':') < 0)
        {
            final int value = parseV4(address);
            final int length = slash < 0 ? 32 : parseLength(text.substring(slash + 1), 32);
            return v4(value, length);
        }
        final byte[] bytes;
        try
        {
            if (!address.matches("[0-9A-Fa-f:.]+"))
            {
                throw new UnknownHostException(address);
            }
            bytes = InetAddress.getByName(address).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("'" + address + "' is not an IPv6 address");
        }
        if (16 != bytes.length)
        {
            throw new IllegalArgumentException("'" + address + "' is not an IPv6 address");
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++)
        {
            hi = (hi << 8) | (bytes[i] & 0xFF);
            lo = (lo << 8) | (bytes[i + 8] & 0xFF);
        }
        final int length = slash < 0 ? 128 : parseLength(text.substring(slash + 1), 128);
        return v6(hi, lo, length);
    }

    /** Parses a dotted-quad IPv4 address into its 32 bits. */
    public static int parseV4(final String address)
    {
        int value = 0;
        int octets = 0;
        int octet = -1;
        for (int i = 0; i <= address.length(); i++)
        {
            final char c = i < address.length() ? address.charAt(i) : '.';
            if ('.' == c)
            {
                if (octet < 0 || ++octets > 4)
                {
                    throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
                }
                value = (value << 8) | octet;
                octet = -1;
            }
            else if (c >= '0' && c <= '9' && octet < 256)
            {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255)
                {
                    throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
                }
            }
            else
            {
                throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
            }
        }
        if (4 != octets)
        {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
        }
        return value;
    }

    private static int parseLength(final String text, final int max)
    {
        try
        {
            final int length = Integer.parseInt(text);
            if (length >= 0 && length <= max)
            {
                return length;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException("prefix length '" + text + "' is not within 0.." + max);
    }

    /** Mask of the first 64 bits of an IPv6 prefix of {@code length}. */
    static long maskHi(final int length)
    {
        return length >= 64 ? -1L : 0 == length ? 0 : -1L << (64 - length);
    }

    /** Mask of the last 64 bits of an IPv6 prefix of {@code length}. */
    static long maskLo(final int length)
    {
        return length <= 64 ? 0 : 128 == length ? -1L : -1L << (128 - length);
    }

    /** Whether this prefix is every address of its family. */
    public boolean isAny()
    {
        return 0 == length;
    }

    @Override
    public String toString()
    {
        if (!ipv6)
        {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF)
                + "/" + length;
        }
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            final long word = i < 4 ? hi >>> (48 - 16 * i) : lo >>> (48 - 16 * (i - 4));
            text.append(i > 0 ? ":" : "").append(Long.toHexString(word & 0xFFFF));
        }
        return text.append('/').append(length).toString();
    }
}
