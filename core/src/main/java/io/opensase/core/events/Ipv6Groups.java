package io.opensase.core.events;

/**
 * The eight 16-bit groups of an IPv6 address held as two longs, and the run of zero groups RFC 5952 shortens
 * to {@code ::} (the longest of at least two, the first of equals), for the EVE writers' address text.
 */
final class Ipv6Groups
{
    private Ipv6Groups()
    {
    }

    static int group(final long hi, final long lo, final int g)
    {
        return (int)((g < 4 ? hi : lo) >>> (48 - 16 * (g & 3))) & 0xFFFF;
    }

    /** The shortened run as {@code start << 4 | length}, or -1 when no two zero groups stand together. */
    static int zeroRun(final long hi, final long lo)
    {
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; )
        {
            if (0 != group(hi, lo, g))
            {
                g++;
                continue;
            }
            int end = g;
            while (end < 8 && 0 == group(hi, lo, end))
            {
                end++;
            }
            if (end - g > bestLength)
            {
                bestStart = g;
                bestLength = end - g;
            }
            g = end;
        }
        return bestStart < 0 ? -1 : bestStart << 4 | bestLength;
    }
}
