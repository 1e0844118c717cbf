package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the numbers of {@code byte_test}, {@code byte_jump} and {@code byte_extract}: binary, big- or
 * little-endian, or text in a base with the C library's {@code strtoull} rules, as Suricata reads them
 * (leading white space and a sign are skipped, hex may start with {@code 0x}, base 0 takes the base from
 * the prefix, a value past 2^64 - 1 is an error). One per worker; {@link #value} holds the last number read.
 */
final class NumberReader
{
    long value;

    /** The {@code n} bytes (at most 8) at {@code at} as an unsigned number. */
    static long binary(final MemorySegment data, final long at, final int n, final boolean bigEndian)
    {
        long v = 0;
        for (int i = 0; i < n; i++)
        {
            final long b = data.get(ValueLayout.JAVA_BYTE, at + (bigEndian ? i : n - 1 - i)) & 0xFFL;
            v = v << 8 | b;
        }
        return v;
    }

    /**
     * Reads a text number from the bytes in [{@code from}, {@code limit}) of the buffer that starts at
     * {@code origin} of {@code data} into {@link #value}.
     *
     * @return the bytes used (white space, sign and prefix included), or -1 when there are no digits or the
     *         number does not fit in 64 bits.
     */
    int text(final MemorySegment data, final long origin, final int from, final int limit, final int base)
    {
        int i = from;
        while (i < limit && space(byteAt(data, origin + i)))
        {
            i++;
        }
        boolean negative = false;
        if (i < limit && (byteAt(data, origin + i) == '+' || byteAt(data, origin + i) == '-'))
        {
            negative = byteAt(data, origin + i) == '-';
            i++;
        }
        int b = base;
        final boolean hexPrefix = i + 2 < limit && byteAt(data, origin + i) == '0'
            && (byteAt(data, origin + i + 1) | 0x20) == 'x' && digit(byteAt(data, origin + i + 2)) < 16;
        if (0 == b)
        {
            b = hexPrefix ? 16 : i < limit && byteAt(data, origin + i) == '0' ? 8 : 10;
        }
        if (16 == b && hexPrefix)
        {
            i += 2;
        }
        final int digits = i;
        long v = 0;
        while (i < limit)
        {
            final int d = digit(byteAt(data, origin + i));
            if (d >= b)
            {
                break;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, b)) > 0)
            {
                return -1;
            }
            v = v * b + d;
            i++;
        }
        if (i == digits)
        {
            return -1;
        }
        value = negative ? -v : v;
        return i - from;
    }

    private static int byteAt(final MemorySegment data, final long i)
    {
        return data.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
    }

    private static boolean space(final int c)
    {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** The digit's value in base 36, or 99 for a byte that is no digit. */
    private static int digit(final int c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        final int lower = c | 0x20;
        return lower >= 'a' && lower <= 'z' ? lower - 'a' + 10 : 99;
    }
}
