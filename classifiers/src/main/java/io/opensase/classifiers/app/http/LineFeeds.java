package io.opensase.classifiers.app.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds line feeds eight bytes at a time (the zero-byte test of "Bit Twiddling Hacks", S. E. Anderson, on
 * the word XOR a word of line feeds); stateless.
 */
final class LineFeeds
{
    private static final long LF = 0x0A0A_0A0A_0A0A_0A0AL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LineFeeds()
    {
    }

    /** Index of the first LF in {@code bytes[from, to)}, or {@code to}. */
    static int next(final byte[] bytes, final int from, final int to)
    {
        int i = from;
        for (; i + 8 <= to; i += 8)
        {
            final long x = (long)LONGS.get(bytes, i) ^ LF;
            final long found = (x - ONES) & ~x & HIGHS;
            if (0 != found)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            if ('\n' == bytes[i])
            {
                return i;
            }
        }
        return to;
    }

    /** Offset of the first LF in {@code data[from, to)}, or {@code to}. */
    static long next(final MemorySegment data, final long from, final long to)
    {
        long i = from;
        for (; i + 8 <= to; i += 8)
        {
            final long x = data.get(WORD, i) ^ LF;
            final long found = (x - ONES) & ~x & HIGHS;
            if (0 != found)
            {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            if ('\n' == data.get(ValueLayout.JAVA_BYTE, i))
            {
                return i;
            }
        }
        return to;
    }
}
