package io.opensase.core.ips;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Base64;

/**
 * Builds one JSON object per line, field by field, in a reused buffer: the EVE lines of the IPS. Strings are
 * escaped as JSON requires; bytes from packets are written as text with non-printable bytes escaped.
 */
final class JsonLine
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder text = new StringBuilder(4096);
    private boolean first;

    JsonLine begin()
    {
        text.setLength(0);
        text.append('{');
        first = true;
        return this;
    }

    /** Ends the object and returns the line, without its line feed. */
    CharSequence end()
    {
        text.append('}');
        return text;
    }

    JsonLine open(final String name)
    {
        key(name);
        text.append('{');
        first = true;
        return this;
    }

    JsonLine close()
    {
        text.append('}');
        first = false;
        return this;
    }

    JsonLine openArray(final String name)
    {
        key(name);
        text.append('[');
        first = true;
        return this;
    }

    JsonLine closeArray()
    {
        text.append(']');
        first = false;
        return this;
    }

    JsonLine value(final long value)
    {
        comma();
        text.append(value);
        return this;
    }

    JsonLine value(final CharSequence value)
    {
        comma();
        quoted(value);
        return this;
    }

    JsonLine field(final String name, final long value)
    {
        key(name);
        text.append(value);
        return this;
    }

    JsonLine field(final String name, final boolean value)
    {
        key(name);
        text.append(value);
        return this;
    }

    JsonLine field(final String name, final CharSequence value)
    {
        key(name);
        quoted(value);
        return this;
    }

    /** A string field holding {@code bytes} as text (each byte one character; control bytes escaped). */
    JsonLine field(final String name, final MemorySegment bytes)
    {
        key(name);
        quotedBytes(bytes);
        return this;
    }

    JsonLine base64(final String name, final MemorySegment bytes)
    {
        key(name);
        text.append('"').append(Base64.getEncoder().encodeToString(bytes.toArray(ValueLayout.JAVA_BYTE))).append('"');
        return this;
    }

    /** Suricata's payload_printable: printable ASCII as it is, every other byte as a dot. */
    JsonLine printable(final String name, final MemorySegment bytes)
    {
        key(name);
        text.append('"');
        for (long b = 0; b < bytes.byteSize(); b++)
        {
            final int c = bytes.get(ValueLayout.JAVA_BYTE, b) & 0xFF;
            final char printable = c >= 0x20 && c < 0x7F || '\n' == c || '\r' == c || '\t' == c ? (char)c : '.';
            escaped(printable);
        }
        text.append('"');
        return this;
    }

    private void key(final String name)
    {
        comma();
        text.append('"').append(name).append("\":");
    }

    private void comma()
    {
        if (!first)
        {
            text.append(',');
        }
        first = false;
    }

    private void quoted(final CharSequence value)
    {
        text.append('"');
        for (int c = 0; c < value.length(); c++)
        {
            escaped(value.charAt(c));
        }
        text.append('"');
    }

    private void quotedBytes(final MemorySegment bytes)
    {
        text.append('"');
        for (long b = 0; b < bytes.byteSize(); b++)
        {
            escaped((char)(bytes.get(ValueLayout.JAVA_BYTE, b) & 0xFF));
        }
        text.append('"');
    }

    private void escaped(final char c)
    {
        switch (c)
        {
            case '"' -> text.append("\\\"");
            case '\\' -> text.append("\\\\");
            case '\n' -> text.append("\\n");
            case '\r' -> text.append("\\r");
            case '\t' -> text.append("\\t");
            default ->
            {
                if (c < 0x20 || c >= 0x7F)
                {
                    text.append("\\u00").append(HEX[c >>> 4 & 0xF]).append(HEX[c & 0xF]);
                }
                else
                {
                    text.append(c);
                }
            }
        }
    }
}
