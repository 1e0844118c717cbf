package io.opensase.core.ips.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A field named in a filter's {@code match}, looked up in an EVE event as suricata-verify's {@code find_value}
 * does: parts separated by dots ({@code alert.signature_id}), each part a name with at most one list index
 * ({@code vlan[0]}, {@code quic.extensions[1].values[0]}), and a final {@code __len} for the length of a string,
 * list or object (-1 for a number, a boolean or null). A lookup yields the JSON value, or null when the field is
 * absent or an index is out of range.
 */
public final class FieldPath
{
    /** The field test a key ends with, after its own dot; EQUALS when none. */
    public enum Test
    {
        EQUALS(""), CONTAINS("__contains"), FIND("__find"), STARTS_WITH("__startswith"), ENDS_WITH("__endswith");

        final String suffix;

        Test(final String suffix)
        {
            this.suffix = suffix;
        }
    }

    private static final String LENGTH = "__len";
    private static final Pattern INDEXED = Pattern.compile("(.*)\\[([0-9]+)\\]");

    private record Step(String name, int index)
    {
    }

    private final String key;
    private final List<Step> steps;
    private final boolean length;
    private final Test test;

    private FieldPath(final String key, final List<Step> steps, final boolean length, final Test test)
    {
        this.key = key;
        this.steps = steps;
        this.length = length;
        this.test = test;
    }

    /**
     * Parses a match key.
     *
     * @throws IllegalArgumentException naming the form this scorer does not judge (an operator that is not the
     *     last part, or glued to a name without a dot), so the check fails as unsupported.
     */
    static FieldPath parse(final String key)
    {
        final String[] parts = key.split("\\.", -1);
        final List<Step> steps = new ArrayList<>();
        boolean length = false;
        Test test = Test.EQUALS;
        for (int i = 0; i < parts.length; i++)
        {
            final String part = parts[i];
            final Test operator = operator(part);
            final boolean last = i == parts.length - 1;
            if (LENGTH.equals(part) || null != operator)
            {
                if (!last)
                {
                    throw new IllegalArgumentException("'" + part + "' must be the last part of the key '" + key + "'");
                }
                length = LENGTH.equals(part);
                test = null == operator ? Test.EQUALS : operator;
                break;
            }
            if (last && gluedOperator(part))
            {
                // suricata-verify applies the operator yet looks up the whole part as a field name.
                throw new IllegalArgumentException("in '" + key + "' the operator must follow a dot");
            }
            final Matcher indexed = INDEXED.matcher(part);
            if (indexed.matches())
            {
                steps.add(new Step(indexed.group(1), index(indexed.group(2))));
            }
            else
            {
                steps.add(new Step(part, -1));
            }
        }
        return new FieldPath(key, List.copyOf(steps), length, test);
    }

    public String key()
    {
        return key;
    }

    public Test test()
    {
        return test;
    }

    /**
     * The value at this path in {@code event}: the JSON value (possibly a JSON null), an {@link IntNode} for a
     * length, or null when absent.
     *
     * @throws FieldError where Python's lookup raises: a name looked up in a number, boolean or null, or in a
     *     string or list that holds the name (Python's {@code in} succeeds there, then indexing fails).
     */
    JsonNode find(final JsonNode event) throws FieldError
    {
        JsonNode current = event;
        for (final Step step : steps)
        {
            current = member(current, step.name);
            if (null == current)
            {
                return null;
            }
            if (step.index >= 0)
            {
                current = element(current, step.index);
                if (null == current)
                {
                    return null;
                }
            }
        }
        return length ? IntNode.valueOf(length(current)) : current;
    }

    private JsonNode member(final JsonNode node, final String name) throws FieldError
    {
        if (node.isObject())
        {
            return node.get(name);
        }
        if (node.isArray())
        {
            for (final JsonNode item : node)
            {
                if (item.isTextual() && item.textValue().equals(name))
                {
                    throw new FieldError(key + ": '" + name + "' looked up in a list holding that string");
                }
            }
            return null;
        }
        if (node.isTextual())
        {
            if (node.textValue().contains(name))
            {
                throw new FieldError(key + ": '" + name + "' looked up in a string that contains it");
            }
            return null;
        }
        throw new FieldError(key + ": '" + name + "' looked up in " + PyValues.typeName(node) + " " + node);
    }

    /** The item at {@code index} of a list, or character of a string; null for anything else or out of range. */
    private static JsonNode element(final JsonNode node, final int index)
    {
        if (node.isArray())
        {
            return index < node.size() ? node.get(index) : null;
        }
        if (node.isTextual())
        {
            final String text = node.textValue();
            if (index >= text.codePointCount(0, text.length()))
            {
                return null;
            }
            final int at = text.offsetByCodePoints(0, index);
            return TextNode.valueOf(new String(Character.toChars(text.codePointAt(at))));
        }
        return null;
    }

    private static int length(final JsonNode node)
    {
        if (node.isTextual())
        {
            return node.textValue().codePointCount(0, node.textValue().length());
        }
        return node.isArray() || node.isObject() ? node.size() : -1;
    }

    private static Test operator(final String part)
    {
        for (final Test test : Test.values())
        {
            if (test != Test.EQUALS && test.suffix.equals(part))
            {
                return test;
            }
        }
        return null;
    }

    private static boolean gluedOperator(final String part)
    {
        for (final Test test : Test.values())
        {
            if (test != Test.EQUALS && part.endsWith(test.suffix))
            {
                return true;
            }
        }
        return false;
    }

    private static int index(final String digits)
    {
        // Python's int() has no upper bound; an index past every list simply finds nothing.
        return digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    @Override
    public String toString()
    {
        return key;
    }
}
