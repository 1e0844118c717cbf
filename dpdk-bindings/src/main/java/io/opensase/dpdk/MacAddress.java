package io.opensase.dpdk;

import java.util.HexFormat;

/**
 * An Ethernet address as a 48-bit number, first byte on the wire most significant. Immutable; any thread.
 */
public record MacAddress(long value)
{
    public MacAddress
    {
        if (0 != (value >>> 48))
        {
            throw new IllegalArgumentException("not a 48-bit address: 0x" + Long.toHexString(value));
        }
    }

    /** The address in transmission order. */
    public byte[] bytes()
    {
        final byte[] bytes = new byte[6];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(value >>> (8 * (5 - i)));
        }
        return bytes;
    }

    /** The I/G bit: a group (multicast or broadcast) address. */
    public boolean isMulticast()
    {
        return 0 != (bytes()[0] & 0x01);
    }

    /** The U/L bit: assigned locally rather than by the vendor. */
    public boolean isLocallyAdministered()
    {
        return 0 != (bytes()[0] & 0x02);
    }

    /** As {@code 02:00:5e:10:00:01}. */
    @Override
    public String toString()
    {
        return HexFormat.ofDelimiter(":").formatHex(bytes());
    }
}
