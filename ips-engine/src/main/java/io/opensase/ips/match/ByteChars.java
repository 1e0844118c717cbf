package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A window of memory read as ISO-8859-1 characters (one byte, one char), so that a translated pcre runs on
 * the bytes as PCRE2 does. Mutable and reused: each pcre step of a worker owns one, repointed before each
 * match. Not thread-safe.
 */
final class ByteChars implements CharSequence
{
    private MemorySegment data = MemorySegment.NULL;
    private long base;
    private int length;

    ByteChars point(final MemorySegment data, final long base, final int length)
    {
        this.data = data;
        this.base = base;
        this.length = length;
        return this;
    }

    @Override
    public int length()
    {
        return length;
    }

    @Override
    public char charAt(final int index)
    {
        if (index < 0 || index >= length)
        {
            throw new IndexOutOfBoundsException(index);
        }
        return (char)(data.get(ValueLayout.JAVA_BYTE, base + index) & 0xFF);
    }

    @Override
    public CharSequence subSequence(final int start, final int end)
    {
        return toString().substring(start, end);
    }

    @Override
    public String toString()
    {
        final byte[] bytes = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
