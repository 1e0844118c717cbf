package io.opensase.core.report;

/**
 * Writes one JSON document, indented by two spaces (or, from {@link #compact()}, on one line without
 * spaces), with keys in the order they are written. Cold path only; keeps the product free of a JSON library
 * for its reports.
 */
public final class JsonWriter
{
    private final StringBuilder out = new StringBuilder();
    private final boolean compact;
    private int depth;
    private boolean first = true;

    /** A writer that indents by two spaces, one field a line. */
    public JsonWriter()
    {
        this(false);
    }

    private JsonWriter(final boolean compact)
    {
        this.compact = compact;
    }

    /**
     * A writer that puts the whole document on one line with no space between tokens, as JSON lines are
     * written: {@code {"a":1,"b":"x"}}. Strings are escaped as by the indenting writer.
     */
    public static JsonWriter compact()
    {
        return new JsonWriter(true);
    }

    public JsonWriter beginObject()
    {
        value();
        out.append('{');
        depth++;
        first = true;
        return this;
    }

    public JsonWriter beginObject(final String key)
    {
        name(key);
        out.append('{');
        depth++;
        first = true;
        return this;
    }

    public JsonWriter endObject()
    {
        return close('}');
    }

    /** An array field; its elements are written with {@link #beginObject()}. */
    public JsonWriter beginArray(final String key)
    {
        name(key);
        out.append('[');
        depth++;
        first = true;
        return this;
    }

    public JsonWriter endArray()
    {
        return close(']');
    }

    private JsonWriter close(final char bracket)
    {
        depth--;
        if (!first)
        {
            newline();
        }
        out.append(bracket);
        first = false;
        return this;
    }

    public JsonWriter field(final String key, final long value)
    {
        name(key);
        out.append(value);
        return this;
    }

    public JsonWriter field(final String key, final double value)
    {
        name(key);
        out.append(Double.isFinite(value) ? Double.toString(value) : "null");
        return this;
    }

    public JsonWriter field(final String key, final boolean value)
    {
        name(key);
        out.append(value);
        return this;
    }

    /** A string field; null is written as JSON null. */
    public JsonWriter field(final String key, final String value)
    {
        name(key);
        if (null == value)
        {
            out.append("null");
        }
        else
        {
            quote(value);
        }
        return this;
    }

    @Override
    public String toString()
    {
        return out.toString();
    }

    private void name(final String key)
    {
        value();
        quote(key);
        out.append(compact ? ":" : ": ");
    }

    private void value()
    {
        if (depth > 0)
        {
            if (!first)
            {
                out.append(',');
            }
            newline();
        }
        first = false;
    }

    private void newline()
    {
        if (compact)
        {
            return;
        }
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private void quote(final String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
