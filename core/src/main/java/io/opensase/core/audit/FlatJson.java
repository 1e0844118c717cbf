package io.opensase.core.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one JSON object whose values are strings, non-negative integers or null, as audit entries and
 * anchors are written (JSON whitespace between tokens is taken, so that a reformatted entry reads and fails
 * its mac); anything else (nesting, other numbers, booleans, a key given twice, trailing text) is refused
 * with the reason. Cold path; one instance per call.
 */
final class FlatJson
{
    private final String text;
    private int at;

    private FlatJson(final String text)
    {
        this.text = text;
    }

    /** The members in the order they appear; values are {@link String}, {@link Long} or null. */
    static Map<String, Object> parse(final String text) throws FormatException
    {
        return new FlatJson(text).object();
    }

    private Map<String, Object> object() throws FormatException
    {
        final Map<String, Object> members = new LinkedHashMap<>();
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}')
        {
            at++;
        }
        else
        {
            while (true)
            {
                skipSpace();
                final int keyAt = at;
                final String key = string();
                expect(':');
                final Object value = value();
                if (members.containsKey(key))
                {
                    throw new FormatException("'" + key + "' given twice (at character " + (keyAt + 1) + ")");
                }
                members.put(key, value);
                skipSpace();
                final char next = peek();
                at++;
                if ('}' == next)
                {
                    break;
                }
                if (',' != next)
                {
                    throw unexpected(at - 1, "',' or '}'");
                }
            }
        }
        skipSpace();
        if (at != text.length())
        {
            throw new FormatException("text after the object (at character " + (at + 1) + ")");
        }
        return members;
    }

    private Object value() throws FormatException
    {
        skipSpace();
        final char c = peek();
        if ('"' == c)
        {
            return string();
        }
        if (text.startsWith("null", at))
        {
            at += 4;
            return null;
        }
        if (c >= '0' && c <= '9')
        {
            final int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9')
            {
                at++;
            }
            if (at - start > 18 || (at - start > 1 && '0' == text.charAt(start)))
            {
                throw new FormatException("number '" + text.substring(start, at) + "' out of range (at character "
                    + (start + 1) + ")");
            }
            return Long.parseLong(text, start, at, 10);
        }
        throw unexpected(at, "a string, a non-negative integer or null");
    }

    private String string() throws FormatException
    {
        expect('"');
        final StringBuilder value = new StringBuilder();
        while (true)
        {
            if (at >= text.length())
            {
                throw new FormatException("string not closed");
            }
            final char c = text.charAt(at++);
            if ('"' == c)
            {
                return value.toString();
            }
            if (c < 0x20)
            {
                throw new FormatException("control character in a string (at character " + at + ")");
            }
            if ('\\' != c)
            {
                value.append(c);
                continue;
            }
            if (at >= text.length())
            {
                throw new FormatException("string not closed");
            }
            final char escaped = text.charAt(at++);
            switch (escaped)
            {
                case '"', '\\', '/' -> value.append(escaped);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> value.append(unicodeEscape());
                default -> throw new FormatException("bad escape '\\" + escaped + "' (at character " + (at - 1) + ")");
            }
        }
    }

    private char unicodeEscape() throws FormatException
    {
        if (at + 4 > text.length())
        {
            throw new FormatException("string not closed");
        }
        int code = 0;
        for (int i = 0; i < 4; i++)
        {
            final int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0)
            {
                throw new FormatException("bad \\u escape (at character " + (at - 1) + ")");
            }
            code = code << 4 | digit;
        }
        at += 4;
        return (char)code;
    }

    private void expect(final char c) throws FormatException
    {
        skipSpace();
        if (peek() != c)
        {
            throw unexpected(at, "'" + c + "'");
        }
        at++;
    }

    private void skipSpace()
    {
        while (at < text.length() && (' ' == text.charAt(at) || '\t' == text.charAt(at) || '\r' == text.charAt(at)
            || '\n' == text.charAt(at)))
        {
            at++;
        }
    }

    private char peek()
    {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private FormatException unexpected(final int where, final String expected)
    {
        if (where >= text.length())
        {
            return new FormatException("ends where " + expected + " was expected");
        }
        return new FormatException("expected " + expected + " at character " + (where + 1) + ", found '"
            + text.charAt(where) + "'");
    }

    /** Text that is not what this reader takes; the message says why and where. */
    static final class FormatException extends Exception
    {
        private static final long serialVersionUID = 1L;

        FormatException(final String message)
        {
            super(message);
        }
    }
}
