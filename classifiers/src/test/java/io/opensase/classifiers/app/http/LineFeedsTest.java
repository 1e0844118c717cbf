package io.opensase.classifiers.app.http;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The word-at-a-time search agrees with a byte loop on random data, every start and end, with and without LF. */
class LineFeedsTest
{
    @Test
    void shouldFindTheFirstLineFeedLikeAByteLoop()
    {
        final SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 300; round++)
        {
            final byte[] bytes = new byte[random.nextInt(1, 40)];
            // Bytes next to LF (0x09, 0x0B, 0x8A) test the zero-byte trick's borrow handling; every third
            // array has no LF at all.
            final int[] pool = {0x0A, 0x09, 0x0B, 0x8A, 0x00, 0xFF, 'a'};
            final int first = 0 == round % 3 ? 1 : 0;
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = (byte)pool[first + random.nextInt(pool.length - first)];
            }
            final MemorySegment segment = MemorySegment.ofArray(bytes);
            for (int from = 0; from <= bytes.length; from++)
            {
                for (int to = from; to <= bytes.length; to++)
                {
                    int expected = from;
                    while (expected < to && '\n' != bytes[expected])
                    {
                        expected++;
                    }
                    assertEquals(expected, LineFeeds.next(bytes, from, to));
                    assertEquals(expected, LineFeeds.next(segment, from, to));
                }
            }
        }
    }
}
