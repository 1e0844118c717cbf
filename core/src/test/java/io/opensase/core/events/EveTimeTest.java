package io.opensase.core.events;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EVE time text against dates worked out by hand (day counts from 1970 with the Gregorian leap rules; each
 * also checked with Python's datetime and strftime("%z")), and against java.time over random times.
 */
class EveTimeTest
{
    private static String text(final long epochNs)
    {
        final byte[] line = new byte[EveTime.LENGTH];

        assertEquals(EveTime.LENGTH, EveTime.write(epochNs, line, 0));

        return new String(line, StandardCharsets.US_ASCII);
    }

    @Test
    void shouldWriteTheEpochWithSuricatasOffset()
    {
        assertEquals("1970-01-01T00:00:00.000000+0000", text(0));
    }

    @Test
    void shouldWriteLeapDays()
    {
        // 2024-01-01 is 54 * 365 + 13 leap days = 19,723 days after the epoch; Feb 29 is 59 days later.
        assertEquals("2024-02-29T12:34:56.789012+0000", text(1_709_210_096_789_012_345L));
        // 2000 is a leap year (divisible by 400): 30 * 365 + 7 + 59 = 11,016 days.
        assertEquals("2000-02-29T00:00:00.000000+0000", text(951_782_400_000_000_000L));
        // 2100 is not (divisible by 100): 130 * 365 + 32 + 59 = 47,541 days is March 1, the day before is Feb 28.
        assertEquals("2100-03-01T00:00:00.000000+0000", text(4_107_542_400_000_000_000L));
        assertEquals("2100-02-28T23:59:59.999999+0000", text(4_107_542_399_999_999_999L));
    }

    @Test
    void shouldWriteTimesPastThe2038Rollover()
    {
        // 2^31 seconds, one past the largest signed 32-bit time_t.
        assertEquals("2038-01-19T03:14:08.000000+0000", text(2_147_483_648_000_000_000L));
        assertEquals("2262-04-11T23:47:16.854775+0000", text(Long.MAX_VALUE));
    }

    @Test
    void shouldCutNanosecondsToTheMicrosecondBelowNeverRoundingUp()
    {
        assertEquals("1970-01-01T00:00:00.000000+0000", text(999));
        assertEquals("1970-01-01T00:00:00.000001+0000", text(1_999));
        assertEquals("1970-01-01T00:00:00.999999+0000", text(999_999_999));
    }

    @Test
    void shouldWriteTimesBefore1970CutTowardThePast()
    {
        assertEquals("1969-12-31T23:59:59.999999+0000", text(-1));
        assertEquals("1969-12-31T23:59:59.999999+0000", text(-1_000));
        assertEquals("1969-12-31T23:59:59.999998+0000", text(-1_001));
        assertEquals("1969-12-31T00:00:00.000000+0000", text(-86_400_000_000_000L));
        // 1900 is not a leap year: 1900-01-01 is 70 * 365 + 17 = 25,567 days before the epoch, March 1 59 after.
        assertEquals("1900-03-01T00:00:00.000000+0000", text(-2_203_891_200_000_000_000L));
        assertEquals("1900-02-28T23:59:59.999999+0000", text(-2_203_891_200_000_000_001L));
        assertEquals("1677-09-21T00:12:43.145224+0000", text(Long.MIN_VALUE));
    }

    @Test
    void shouldWriteOnlyItsOwnBytesAtTheGivenOffset()
    {
        final byte[] line = new byte[EveTime.LENGTH + 10];
        Arrays.fill(line, (byte)'x');

        assertEquals(5 + EveTime.LENGTH, EveTime.write(0, line, 5));

        assertEquals("xxxxx1970-01-01T00:00:00.000000+0000xxxxx", new String(line, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldAgreeWithJavaTimeAcrossTheWholeRange()
    {
        final DateTimeFormatter suricata = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxx");
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++)
        {
            final long ns = random.nextLong();
            final Instant expected = Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L),
                Math.floorMod(ns, 1_000_000_000L)).truncatedTo(ChronoUnit.MICROS);

            assertEquals(suricata.format(expected.atOffset(ZoneOffset.UTC)), text(ns), Long.toString(ns));
        }
    }

    @Test
    void shouldAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final byte[] line = new byte[EveTime.LENGTH];
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += EveTime.write(i * 1_234_567_891L, line, 0) + line[3];
        }

        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++)
        {
            sum += EveTime.write(i * 9_876_543_211L, line, 0) + line[3];
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertTrue(sum > 0);
        // Slack for the measuring itself: one object a write would be 1.6 MB at least.
        assertTrue(allocated < 1024, allocated + " bytes allocated by 100,000 writes");
    }
}
