package io.opensase.ips.rules;

import java.util.Locale;

/**
 * A test on an unsigned integer, in Suricata's integer keyword syntax: {@code 5}, {@code =5}, {@code !5},
 * {@code !=5}, {@code <5}, {@code <=5}, {@code >5}, {@code >=5}, {@code 5-10} or {@code 5<>10} (exclusive
 * range), {@code !5-10} (outside the exclusive range), {@code &0xc0=0x80}, {@code &0xc0!=0}. Numbers are
 * decimal or {@code 0x} hex, with an optional {@code kb}/{@code kib}, {@code mb}/{@code mib},
 * {@code gb}/{@code gib} multiplier (1024-based, case-insensitive).
 *
 * @param mode   the comparison.
 * @param value  the operand; the low bound of a range; the mask of a bitmask test.
 * @param value2 the high bound of a range; the value a masked number is compared with; else 0.
 */
public record IntMatch(Mode mode, long value, long value2)
{
    /** The comparisons. */
    public enum Mode
    {
        EQ,
        NE,
        LT,
        LE,
        GT,
        GE,
        /** {@code value < x < value2}. */
        RANGE,
        /** {@code x <= value || x >= value2}. */
        NOT_RANGE,
        /** {@code (x & value) == value2}. */
        MASK_EQ,
        /** {@code (x & value) != value2}. */
        MASK_NE
    }

    /** Unsigned 8-bit maximum. */
    public static final long U8 = 0xFFL;
    /** Unsigned 16-bit maximum. */
    public static final long U16 = 0xFFFFL;
    /** Unsigned 32-bit maximum. */
    public static final long U32 = 0xFFFF_FFFFL;
    /** Largest value of a 64-bit field that this model keeps signed: 2^63-1. */
    public static final long U63 = Long.MAX_VALUE;

    public static IntMatch equal(final long value)
    {
        return new IntMatch(Mode.EQ, value, 0);
    }

    /** True when {@code x} (unsigned, at most 2^63-1) passes the test. */
    public boolean test(final long x)
    {
        return switch (mode)
        {
            case EQ -> x == value;
            case NE -> x != value;
            case LT -> x < value;
            case LE -> x <= value;
            case GT -> x > value;
            case GE -> x >= value;
            case RANGE -> x > value && x < value2;
            case NOT_RANGE -> x <= value || x >= value2;
            case MASK_EQ -> (x & value) == value2;
            case MASK_NE -> (x & value) != value2;
        };
    }

    /** The largest {@code x} that can pass, or -1 when there is no bound below {@code max}. */
    public long upperBound(final long max)
    {
        return switch (mode)
        {
            case EQ -> value;
            case LT -> value - 1;
            case LE -> value;
            case RANGE -> value2 - 1;
            default -> max;
        };
    }

    /**
     * Parses {@code text} (spaces around operators allowed).
     *
     * @param max the largest value the field can hold.
     * @throws IllegalArgumentException with a one-line reason.
     */
    public static IntMatch parse(final String text, final long max)
    {
        final String s = text.replace(" ", "").replace("\t", "");
        if (s.isEmpty())
        {
            throw new IllegalArgumentException("empty value");
        }
        final IntMatch match;
        if (s.startsWith("&"))
        {
            final int ne = s.indexOf("!=");
            final int eq = s.indexOf('=');
            if (eq < 0)
            {
                throw new IllegalArgumentException("'" + text + "': a bitmask test needs =value or !=value");
            }
            final boolean negated = ne >= 0 && ne + 1 == eq;
            final long mask = number(s.substring(1, negated ? ne : eq), max, text);
            final long against = number(s.substring(eq + 1), max, text);
            if ((against & ~mask) != 0)
            {
                throw new IllegalArgumentException("'" + text + "': the value has bits outside the mask");
            }
            match = new IntMatch(negated ? Mode.MASK_NE : Mode.MASK_EQ, mask, against);
        }
        else if (s.startsWith("!=") || s.startsWith("<=") || s.startsWith(">="))
        {
            final long v = number(s.substring(2), max, text);
            match = new IntMatch(s.charAt(0) == '!' ? Mode.NE : s.charAt(0) == '<' ? Mode.LE : Mode.GE, v, 0);
        }
        else if (s.startsWith("<") || s.startsWith(">"))
        {
            final long v = number(s.substring(1), max, text);
            if (s.charAt(0) == '<' && 0 == v)
            {
                throw new IllegalArgumentException("'" + text + "': nothing is below 0");
            }
            if (s.charAt(0) == '>' && max == v)
            {
                throw new IllegalArgumentException("'" + text + "': nothing is above the largest value " + max);
            }
            match = new IntMatch(s.charAt(0) == '<' ? Mode.LT : Mode.GT, v, 0);
        }
        else
        {
            final boolean negated = s.startsWith("!");
            final String body = negated ? s.substring(1) : s.startsWith("=") ? s.substring(1) : s;
            final int diamond = body.indexOf("<>");
            final int dash = body.indexOf('-');
            if (diamond > 0 || dash > 0)
            {
                final long low = number(body.substring(0, diamond > 0 ? diamond : dash), max, text);
                final long high = number(body.substring(diamond > 0 ? diamond + 2 : dash + 1), max, text);
                if (low >= high)
                {
                    throw new IllegalArgumentException("'" + text + "': a range needs its low end below its high end");
                }
                match = new IntMatch(negated ? Mode.NOT_RANGE : Mode.RANGE, low, high);
            }
            else
            {
                match = new IntMatch(negated ? Mode.NE : Mode.EQ, number(body, max, text), 0);
            }
        }
        return match;
    }

    /** Parses one unsigned number: decimal or 0x hex with an optional 1024-based unit, at most {@code max}. */
    static long number(final String raw, final long max, final String whole)
    {
        String s = raw.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!s.startsWith("0x"))
        {
            final String[][] units = {{"kib", "1024"}, {"kb", "1024"}, {"mib", "1048576"}, {"mb", "1048576"},
                {"gib", "1073741824"}, {"gb", "1073741824"}};
            for (final String[] u : units)
            {
                if (s.endsWith(u[0]))
                {
                    unit = Long.parseLong(u[1]);
                    s = s.substring(0, s.length() - u[0].length());
                    break;
                }
            }
        }
        final long v;
        try
        {
            v = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + whole + "': '" + raw + "' is not a number");
        }
        if (v < 0 || (unit > 1 && v > max / unit) || v * unit > max)
        {
            throw new IllegalArgumentException("'" + whole + "': " + raw + " is out of range 0.." + max);
        }
        return v * unit;
    }

    @Override
    public String toString()
    {
        return switch (mode)
        {
            case EQ -> Long.toString(value);
            case NE -> "!" + value;
            case LT -> "<" + value;
            case LE -> "<=" + value;
            case GT -> ">" + value;
            case GE -> ">=" + value;
            case RANGE -> value + "-" + value2;
            case NOT_RANGE -> "!" + value + "-" + value2;
            case MASK_EQ -> "&" + value + "=" + value2;
            case MASK_NE -> "&" + value + "!=" + value2;
        };
    }
}
