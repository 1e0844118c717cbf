package io.opensase.ips.match;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The record of content occurrences answers every search as a plain byte loop does, whatever order the
 * searches come in (retries move forward, a new outer match can move back), across inspections, and past
 * its capacity of kept starts.
 */
class ContentOccurrencesTest
{
    @Test
    void answersAsAPlainSearchInAnyOrder()
    {
        final Random random = new Random(20261205);
        final byte[] alphabet = {'<', '.', 'l', 'L', 'x', 0};
        final ContentOccurrences occurrences = new ContentOccurrences(3);
        for (int inspection = 0; inspection < 3_000; inspection++)
        {
            final int length = random.nextInt(120);
            final byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++)
            {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            final int origin = random.nextInt(5);
            final byte[] framed = new byte[origin + length];
            System.arraycopy(bytes, 0, framed, origin, length);
            final MemorySegment data = MemorySegment.ofArray(framed);
            final byte[][] patterns = {{'<'}, {'.', 'l'}, {'l', 'l', 'x'}};
            occurrences.start();
            int at = 0;
            for (int query = 0; query < 40; query++)
            {
                final int k = random.nextInt(patterns.length);
                // Mostly forward, as retries go; sometimes back to an earlier position.
                at = random.nextInt(4) == 0 ? random.nextInt(length + 1) : Math.min(length, at + random.nextInt(6));
                final int to = at + random.nextInt(length - at + 1);
                final boolean nocase = 1 == k;
                final int expected = plain(bytes, at, to, patterns[k], nocase);
                final int got = occurrences.find(k, data, origin, at, to, patterns[k], nocase);
                assertEquals(expected, got, "inspection " + inspection + " query " + query);
            }
        }
    }

    @Test
    void keepsAnsweringPastItsCapacity()
    {
        final int count = ContentOccurrences.CAPACITY * 3 + 7;
        final byte[] bytes = "<a".repeat(count).getBytes(StandardCharsets.ISO_8859_1);
        final MemorySegment data = MemorySegment.ofArray(bytes);
        final ContentOccurrences occurrences = new ContentOccurrences(1);
        final byte[] pattern = {'<'};
        occurrences.start();
        for (int i = 0; i < count; i++)
        {
            assertEquals(2 * i, occurrences.find(0, data, 0, 2 * i - (i > 0 ? 1 : 0), bytes.length, pattern, false));
        }
        assertEquals(-1, occurrences.find(0, data, 0, bytes.length - 1, bytes.length, pattern, false));
        // Back to the start after the kept range moved on: answered by a new scan.
        assertEquals(0, occurrences.find(0, data, 0, 0, bytes.length, pattern, false));
        assertEquals(-1, occurrences.find(0, data, 0, 1, 2, pattern, false), "the window [1, 2) holds no '<'");
    }

    private static int plain(final byte[] data, final int from, final int to, final byte[] pattern,
        final boolean nocase)
    {
        for (int i = from; i + pattern.length <= to; i++)
        {
            int j = 0;
            while (j < pattern.length && (nocase ? (byte)AhoCorasick.fold(data[i + j] & 0xFF) : data[i + j])
                == pattern[j])
            {
                j++;
            }
            if (j == pattern.length)
            {
                return i;
            }
        }
        return -1;
    }
}
