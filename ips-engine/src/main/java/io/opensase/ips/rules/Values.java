package io.opensase.ips.rules;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Value syntax shared by the keyword parsers. Rule text is held as ISO-8859-1, one char per byte of the
 * file, so that {@code content} and {@code pcre} see the file's bytes exactly.
 */
final class Values
{
    private Values()
    {
    }

    /**
     * The body of a value that must be in double quotes (spaces around allowed), escapes kept.
     *
     * @throws RuleException when the quotes are missing.
     */
    static String quoted(final String keyword, final String value)
    {
        final String v = value.strip();
        if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"')
        {
            throw RuleException.badValue(keyword, "value must be in double quotes: " + value);
        }
        return v.substring(1, v.length() - 1);
    }

    /**
     * Strips surrounding double quotes when the value starts with one.
     *
     * @throws RuleException when the closing quote is missing or escaped.
     */
    static String unquote(final String keyword, final String value)
    {
        final String v = value.strip();
        if (v.isEmpty() || v.charAt(0) != '"')
        {
            return v;
        }
        int backslashes = 0;
        for (int i = v.length() - 2; i > 0 && v.charAt(i) == '\\'; i--)
        {
            backslashes++;
        }
        if (v.length() < 2 || v.charAt(v.length() - 1) != '"' || backslashes % 2 == 1)
        {
            throw RuleException.badValue(keyword, "unterminated quoted value: " + value);
        }
        return v.substring(1, v.length() - 1);
    }

    /** Resolves {@code \x} escapes to {@code x} (msg, reference and similar text values). */
    static String unescape(final String body)
    {
        final StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++)
        {
            final char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length())
            {
                i++;
                sb.append(body.charAt(i));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The text (rule bytes read as ISO-8859-1) decoded as UTF-8, the encoding of rule files. A byte that starts
     * no valid UTF-8 sequence stays the ISO-8859-1 character it was read as, so one stray byte (found by a
     * tester: {@code \xFF} before {@code café}) no longer turns the valid sequences around it into mojibake.
     */
    static String text(final String latin1)
    {
        final byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        final CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true)
        {
            final CoderResult result = decoder.decode(in, out, true);
            if (!result.isError())
            {
                break;
            }
            for (int i = 0; i < result.length(); i++)
            {
                out.put((char)(in.get() & 0xFF));
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /**
     * The bytes of a {@code content} body: text with {@code \"}, {@code \;}, {@code \:}, {@code \\} escapes
     * and {@code |hex bytes|} sections, as Suricata reads it.
     */
    static byte[] contentBytes(final String keyword, final String body)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(body.length());
        boolean hex = false;
        int nibble = -1;
        for (int i = 0; i < body.length(); i++)
        {
            final char c = body.charAt(i);
            if (hex)
            {
                if (c == '|')
                {
                    if (nibble >= 0)
                    {
                        throw RuleException.badValue(keyword, "odd number of hex digits in |...|");
                    }
                    hex = false;
                }
                else if (c == ' ' || c == '\t')
                {
                    if (nibble >= 0)
                    {
                        throw RuleException.badValue(keyword, "hex byte split by a space in |...|");
                    }
                }
                else
                {
                    final int d = Character.digit(c, 16);
                    if (d < 0)
                    {
                        throw RuleException.badValue(keyword, "'" + c + "' is not a hex digit in |...|");
                    }
                    if (nibble < 0)
                    {
                        nibble = d;
                    }
                    else
                    {
                        out.write(nibble << 4 | d);
                        nibble = -1;
                    }
                }
            }
            else if (c == '|')
            {
                hex = true;
            }
            else if (c == '\\')
            {
                if (i + 1 >= body.length())
                {
                    throw RuleException.badValue(keyword, "\\ at the end of the pattern");
                }
                final char e = body.charAt(++i);
                if (e != '"' && e != ';' && e != ':' && e != '\\')
                {
                    throw RuleException.badValue(keyword, "'\\" + e + "' is not an escape (only \\\" \\; \\: \\\\)");
                }
                out.write(e);
            }
            else if (c == '"' || c == ';')
            {
                throw RuleException.badValue(keyword, "'" + c + "' must be escaped in a pattern");
            }
            else
            {
                out.write(c & 0xFF);
            }
        }
        if (hex)
        {
            throw RuleException.badValue(keyword, "unterminated |hex| section");
        }
        if (0 == out.size())
        {
            throw RuleException.badValue(keyword, "empty pattern");
        }
        return out.toByteArray();
    }

    /** Comma-separated items, stripped. */
    static List<String> list(final String value)
    {
        final List<String> items = new ArrayList<>();
        for (final String item : value.split(",", -1))
        {
            items.add(item.strip());
        }
        return items;
    }

    /** A signed decimal (or 0x hex) number in {@code [min, max]}. */
    static long number(final String keyword, final String text, final long min, final long max)
    {
        final String t = text.strip();
        final long v;
        try
        {
            if (t.startsWith("0x") || t.startsWith("0X"))
            {
                v = Long.parseLong(t.substring(2), 16);
            }
            else
            {
                if (t.startsWith("+"))
                {
                    throw new NumberFormatException();
                }
                v = Long.parseLong(t);
            }
        }
        catch (final NumberFormatException ex)
        {
            throw RuleException.badValue(keyword, "'" + text.strip() + "' is not a number");
        }
        if (v < min || v > max)
        {
            throw RuleException.badValue(keyword, v + " is outside " + min + ".." + max);
        }
        return v;
    }

    /** A byte_extract variable name: a letter or underscore, then letters, digits, underscores. */
    static boolean isName(final String text)
    {
        if (text.isEmpty() || !(Character.isLetter(text.charAt(0)) || text.charAt(0) == '_'))
        {
            return false;
        }
        return text.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_'));
    }
}
