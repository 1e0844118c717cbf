package io.opensase.core.events;

/**
 * The time text of every EVE line ({@code timestamp}, {@code flow.start}, {@code flow.end}): UTC with
 * microseconds and the offset as Suricata writes it (strftime's {@code %z}, no colon), e.g.
 * {@code 2026-01-01T00:00:00.000000+0000}. That is RFC 3339 but for the offset, which RFC 3339 spells
 * {@code +00:00}; Suricata's tools and Python's {@code strptime("%z")} read it, {@code java.time.Instant.parse}
 * does not.
 * <p>
 * Nanoseconds are cut to the microsecond below (toward the past, also before 1970: -1 ns is
 * {@code 1969-12-31T23:59:59.999999+0000}), never rounded up. Every long is a time from 1677-09-21 to
 * 2262-04-11, so the year always has four digits and the text is always {@link #LENGTH} bytes.
 * <p>
 * Stateless and allocation-free: it writes ASCII into the caller's line buffer.
 */
public final class EveTime
{
    /** Bytes of every time written. */
    public static final int LENGTH = 31;

    private static final long NS_PER_SECOND = 1_000_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;

    private EveTime()
    {
    }

    /**
     * Writes {@code epochNs} (nanoseconds since 1970-01-01T00:00:00Z) into {@code to[at..at + LENGTH)}.
     *
     * @return {@code at + LENGTH}, where the caller's line goes on.
     * @throws ArrayIndexOutOfBoundsException when {@code to} has fewer than {@link #LENGTH} bytes from {@code at}.
     */
    public static int write(final long epochNs, final byte[] to, final int at)
    {
        final long seconds = Math.floorDiv(epochNs, NS_PER_SECOND);
        final long micros = Math.floorMod(epochNs, NS_PER_SECOND) / 1000;
        final long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        final long secondOfDay = Math.floorMod(seconds, SECONDS_PER_DAY);
        // Days to civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"): eras of 400 years
        // that start on 1 March, so the leap day is the last day of a year.
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long dayOfEra = z - era * 146_097;
        final long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        final long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final long mp = (5 * dayOfYear + 2) / 153;
        final long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        final long month = mp < 10 ? mp + 3 : mp - 9;
        final long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        digits(year, 4, to, at);
        to[at + 4] = '-';
        digits(month, 2, to, at + 5);
        to[at + 7] = '-';
        digits(day, 2, to, at + 8);
        to[at + 10] = 'T';
        digits(secondOfDay / 3600, 2, to, at + 11);
        to[at + 13] = ':';
        digits(secondOfDay / 60 % 60, 2, to, at + 14);
        to[at + 16] = ':';
        digits(secondOfDay % 60, 2, to, at + 17);
        to[at + 19] = '.';
        digits(micros, 6, to, at + 20);
        to[at + 26] = '+';
        digits(0, 4, to, at + 27);
        return at + LENGTH;
    }

    /** The {@code width} low decimal digits of {@code value} (not negative), zero-padded. */
    private static void digits(final long value, final int width, final byte[] to, final int at)
    {
        long rest = value;
        for (int i = width - 1; i >= 0; i--)
        {
            to[at + i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
    }
}
