package io.opensase.ips.match;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The content search reads eight bytes at a time: it must find exactly what a byte-by-byte search finds, at
 * every alignment, window, tail length and buffer origin in its segment, with and without nocase. The
 * reference here is the plain loop.
 */
class InspectorSearchTest
{
    @Test
    void findsWhatAPlainScanFinds()
    {
        final Random random = new Random(20261204);
        final byte[] alphabet = {'a', 'A', 'b', 'B', '<', '>', 0, (byte)0xFF};
        try (Arena arena = Arena.ofConfined())
        {
            for (int round = 0; round < 20_000; round++)
            {
                final int length = random.nextInt(80);
                final byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    bytes[i] = alphabet[random.nextInt(alphabet.length)];
                }
                final boolean nocase = random.nextBoolean();
                final byte[] pattern = new byte[1 + random.nextInt(4)];
                for (int i = 0; i < pattern.length; i++)
                {
                    final byte b = alphabet[random.nextInt(alphabet.length)];
                    pattern[i] = nocase ? (byte)AhoCorasick.fold(b & 0xFF) : b;
                }
                // The buffer starts at a random origin in the segment, behind bytes the search must not see.
                final int origin = random.nextInt(9);
                final MemorySegment data = arena.allocate(Math.max(1, origin + length));
                for (int i = 0; i < origin; i++)
                {
                    data.set(ValueLayout.JAVA_BYTE, i, pattern[0]);
                }
                MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, origin, length);
                final int from = length == 0 ? 0 : random.nextInt(length + 1);
                final int to = from + random.nextInt(length - from + 1);
                assertEquals(plain(bytes, from, to, pattern, nocase),
                    Inspector.search(data, origin, from, to, pattern, nocase),
                    () -> "search in " + java.util.Arrays.toString(bytes) + " [" + from + "," + to + ") for "
                        + java.util.Arrays.toString(pattern) + " nocase " + nocase);
            }
        }
    }

    private static int plain(final byte[] data, final int from, final int to, final byte[] pattern,
        final boolean nocase)
    {
        for (int i = from; i + pattern.length <= to; i++)
        {
            int j = 0;
            while (j < pattern.length && (nocase ? (byte)AhoCorasick.fold(data[i + j] & 0xFF) : data[i + j]) == pattern[j])
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
