package io.opensase.ips.rules;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code content} and its modifiers. Positions follow Suricata: {@code offset} and {@code depth} count from
 * the buffer start ({@code depth} from {@code offset}); {@code distance} and {@code within} from the end of
 * the previous match in the same buffer ({@code within} bounds where the match may end, counted from where
 * {@code distance} starts it). {@code startswith} is offset 0 with depth of the pattern length;
 * {@code endswith} requires the match to end at the buffer end. A negated content holds when no match
 * satisfies the positions.
 *
 * @param pattern     the bytes to find, hex and escapes decoded (copied in and out).
 * @param negated     {@code content:!"..."}.
 * @param nocase      ASCII case-insensitive.
 * @param offset      null when not given.
 * @param depth       null when not given.
 * @param distance    null when not given.
 * @param within      null when not given.
 * @param startsWith  {@code startswith}.
 * @param endsWith    {@code endswith}.
 * @param fastPattern null unless {@code fast_pattern} was given.
 */
public record ContentMatch(
    byte[] pattern,
    boolean negated,
    boolean nocase,
    Operand offset,
    Operand depth,
    Operand distance,
    Operand within,
    boolean startsWith,
    boolean endsWith,
    FastPattern fastPattern) implements BufferMatch
{
    /**
     * The part of the pattern the prefilter uses: all of it ({@link #WHOLE}) or a slice
     * ({@code fast_pattern:offset,length}).
     */
    public record FastPattern(int offset, int length)
    {
        /** {@code fast_pattern} without a slice. */
        public static final FastPattern WHOLE = new FastPattern(0, -1);
    }

    public ContentMatch
    {
        pattern = pattern.clone();
    }

    @Override
    public byte[] pattern()
    {
        return pattern.clone();
    }

    @Override
    public boolean relative()
    {
        return null != distance || null != within;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof ContentMatch c && Arrays.equals(pattern, c.pattern) && negated == c.negated
            && nocase == c.nocase && Objects.equals(offset, c.offset) && Objects.equals(depth, c.depth)
            && Objects.equals(distance, c.distance) && Objects.equals(within, c.within)
            && startsWith == c.startsWith && endsWith == c.endsWith && Objects.equals(fastPattern, c.fastPattern);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(pattern) * 31 + Objects.hash(negated, nocase, offset, depth, distance, within,
            startsWith, endsWith, fastPattern);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("content:").append(negated ? "!" : "").append('"');
        boolean hex = false;
        for (final byte b : pattern)
        {
            final int c = b & 0xFF;
            final boolean printable = c >= 0x20 && c < 0x7F && c != '"' && c != ';' && c != '\\' && c != '|';
            if (printable == hex)
            {
                sb.append('|');
                hex = !hex;
            }
            if (printable)
            {
                sb.append((char)c);
            }
            else
            {
                sb.append(String.format("%02X ", c));
            }
        }
        if (hex)
        {
            sb.setLength(sb.length() - 1);
            sb.append('|');
        }
        sb.append('"');
        append(sb, "nocase", nocase);
        append(sb, "offset", offset);
        append(sb, "depth", depth);
        append(sb, "distance", distance);
        append(sb, "within", within);
        append(sb, "startswith", startsWith);
        append(sb, "endswith", endsWith);
        if (null != fastPattern)
        {
            sb.append("; fast_pattern").append(FastPattern.WHOLE.equals(fastPattern) ? ""
                : ":" + fastPattern.offset() + "," + fastPattern.length());
        }
        return sb.toString();
    }

    private static void append(final StringBuilder sb, final String name, final Object value)
    {
        if (Boolean.TRUE.equals(value))
        {
            sb.append("; ").append(name);
        }
        else if (null != value && !(value instanceof Boolean))
        {
            sb.append("; ").append(name).append(':').append(value);
        }
    }

    /** The pattern as ISO-8859-1 text, for messages and tests. */
    public String patternText()
    {
        return new String(pattern, StandardCharsets.ISO_8859_1);
    }
}
