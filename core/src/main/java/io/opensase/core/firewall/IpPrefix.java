package io.opensase.core.firewall;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix, held as the parser holds addresses: IPv6 as two longs, IPv4 in the low 32 bits of
 * the low word with the high word zero.
 *
 * @param version 4 or 6.
 * @param length  prefix length: 0..32 or 0..128.
 */
public record IpPrefix(int version, long hi, long lo, int length)
{
    public static final IpPrefix ANY4 = new IpPrefix(4, 0, 0, 0);
    public static final IpPrefix ANY6 = new IpPrefix(6, 0, 0, 0);

    public IpPrefix
    {
        if (4 != version && 6 != version)
        {
            throw new IllegalArgumentException("IP version must be 4 or 6");
        }
        if (length < 0 || length > bits(version))
        {
            throw new IllegalArgumentException("prefix length must be 0.." + bits(version));
        }
        hi = 4 == version ? 0 : hi & highMask(length);
        lo = lo & lowMask(version, length);
    }

    /**
     * Parses {@code 10.1.0.0/16}, {@code 2001:db8::/32}, or a bare address (a host prefix).
     *
     * @throws IllegalArgumentException saying what is wrong.
     */
    public static IpPrefix parse(final String text)
    {
        final int slash = text.indexOf('/');
        final String address = slash < 0 ? text : text.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+") || address.isEmpty())
        {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 prefix");
        }
        final byte[] bytes;
        try
        {
            bytes = InetAddress.getByName(address).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 prefix");
        }
        final int version = 4 == bytes.length ? 4 : 6;
        final int length;
        try
        {
            length = slash < 0 ? bits(version) : Integer.parseInt(text.substring(slash + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "': the prefix length is not a number");
        }
        if (length < 0 || length > bits(version))
        {
            throw new IllegalArgumentException("'" + text + "': the prefix length must be 0.." + bits(version));
        }
        long hi = 0;
        long lo = 0;
        if (4 == version)
        {
            lo = (bytes[0] & 0xFFL) << 24 | (bytes[1] & 0xFFL) << 16 | (bytes[2] & 0xFFL) << 8 | (bytes[3] & 0xFFL);
        }
        else
        {
            for (int i = 0; i < 8; i++)
            {
                hi = hi << 8 | (bytes[i] & 0xFFL);
                lo = lo << 8 | (bytes[8 + i] & 0xFFL);
            }
        }
        return new IpPrefix(version, hi, lo, length);
    }

    /** True when the address (of the same version) lies inside the prefix. */
    public boolean contains(final int addressVersion, final long addressHi, final long addressLo)
    {
        return addressVersion == version && (addressHi & highMask(length)) == hi
            && (addressLo & lowMask(version, length)) == lo;
    }

    private static int bits(final int version)
    {
        return 4 == version ? 32 : 128;
    }

    private static long highMask(final int length)
    {
        return length >= 64 ? -1L : 0 == length ? 0 : -1L << (64 - length);
    }

    private static long lowMask(final int version, final int length)
    {
        if (4 == version)
        {
            return 0 == length ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
        }
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }
}
