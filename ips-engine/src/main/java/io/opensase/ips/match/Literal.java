package io.opensase.ips.match;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One pattern of a prefilter: bytes to find, ASCII case-insensitively when {@code nocase} (only A-Z and a-z
 * fold, as in Suricata and in Hyperscan without UTF-8 mode).
 *
 * @param id    reported with each match; unique in its group, 0 or more; the same literal may be in several groups with one id.
 * @param bytes at least one byte (copied in and out).
 */
public record Literal(int id, byte[] bytes, boolean nocase)
{
    public Literal
    {
        if (id < 0)
        {
            throw new IllegalArgumentException("literal id " + id + " is negative");
        }
        if (0 == bytes.length)
        {
            throw new IllegalArgumentException("literal " + id + " is empty");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes()
    {
        return bytes.clone();
    }

    /** Length in bytes, without copying. */
    public int length()
    {
        return bytes.length;
    }

    byte byteAt(final int i)
    {
        return bytes[i];
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Literal l && id == l.id && nocase == l.nocase && Arrays.equals(bytes, l.bytes);
    }

    @Override
    public int hashCode()
    {
        return id * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString()
    {
        return id + ":\"" + new String(bytes, StandardCharsets.ISO_8859_1) + '"' + (nocase ? "i" : "");
    }
}
