package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A window of memory read as ISO-8859-1 characters (one byte, one char), so that a translated pcre runs on
 * the bytes as PCRE2 does. Mutable and reused: each pcre step of a worker owns one, repointed before each
 * match. Not thread-safe.
 * <p>
 * Each point gives the window a budget of character reads: {@code java.util.regex} backtracks without a
 * limit ({@code (a+)+b} over 60 KB of {@code a} ran for seconds), so the read past the budget throws the
 * preallocated {@link #BUDGET_SPENT}, which ends the match; the inspector catches and counts it. A normal
 * match pays one decrement per read and allocates nothing.
 */
final class ByteChars implements CharSequence
{
    /** Ends a match that read more characters than its budget; one stackless instance, never allocated again. */
    static final class BudgetSpent extends RuntimeException
    {
        private BudgetSpent()
        {
            super("pcre step budget spent", null, false, false);
        }
    }

    static final BudgetSpent BUDGET_SPENT = new BudgetSpent();

    private MemorySegment data = MemorySegment.NULL;
    private long base;
    private int length;
    private long budget;

    /** Views {@code length} bytes from {@code base}, for at most {@code budget} character reads. */
    ByteChars point(final MemorySegment data, final long base, final int length, final long budget)
    {
        this.data = data;
        this.base = base;
        this.length = length;
        this.budget = budget;
        return this;
    }

    /** Character reads left of the budget given at the last {@link #point}. */
    long budget()
    {
        return budget;
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
        if (--budget < 0)
        {
            throw BUDGET_SPENT;
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
