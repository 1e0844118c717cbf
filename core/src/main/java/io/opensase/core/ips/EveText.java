package io.opensase.core.ips;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The text forms EVE uses for times, addresses and protocols. */
final class EveText
{
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx").withZone(ZoneOffset.UTC);

    private EveText()
    {
    }

    /** RFC 3339 with microseconds, as Suricata writes {@code timestamp}. */
    static String time(final long epochNs)
    {
        return TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L),
            Math.floorMod(epochNs, 1_000_000_000L)));
    }

    /** An address as the parser stores it: IPv4 in the low 32 bits of {@code lo}, IPv6 in both words. */
    static String address(final int ipVersion, final long hi, final long lo)
    {
        if (4 == ipVersion)
        {
            return (lo >>> 24 & 0xFF) + "." + (lo >>> 16 & 0xFF) + "." + (lo >>> 8 & 0xFF) + "." + (lo & 0xFF);
        }
        final int[] groups = new int[8];
        for (int g = 0; g < 8; g++)
        {
            final long word = g < 4 ? hi : lo;
            groups[g] = (int)(word >>> (48 - 16 * (g % 4)) & 0xFFFF);
        }
        // RFC 5952: the longest run of two or more zero groups (the first of equal runs) becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int g = 0; g < 8; )
        {
            if (0 != groups[g])
            {
                g++;
                continue;
            }
            int end = g;
            while (end < 8 && 0 == groups[end])
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
        final StringBuilder text = new StringBuilder(39);
        for (int g = 0; g < 8; g++)
        {
            if (g == bestStart)
            {
                text.append("::");
                g += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':')
            {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[g]));
        }
        return text.toString();
    }

    /** {@code proto} of an EVE line. */
    static String protocol(final int ipProtocol)
    {
        return switch (ipProtocol)
        {
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 58 -> "IPv6-ICMP";
            case 132 -> "SCTP";
            case 47 -> "GRE";
            default -> Integer.toString(ipProtocol);
        };
    }
}
