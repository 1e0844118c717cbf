package io.opensase.core.ips.verify;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a test.yaml the way PyYAML's {@code safe_load} does (YAML 1.1 typing, the last of two equal keys wins),
 * keeping each node's line for error messages. Values become String, Boolean, Long or BigInteger, Double, null,
 * List and Map with String keys; a date, {@code !!binary} data or a mapping with non-string keys becomes an
 * {@link Opaque}, which no EVE value equals (as in Python, where a date or bytes never equal a JSON value).
 */
final class CaseYaml
{
    /** Deeper values are refused: an alias can make a node contain itself. */
    private static final int MAX_DEPTH = 64;

    /** A YAML value no JSON value can equal, kept with a description for reports. */
    record Opaque(String description)
    {
        @Override
        public String toString()
        {
            return description;
        }
    }

    /** A mapping entry: its key, the key's line, and the value node. */
    record Entry(String key, int line, Node value)
    {
    }

    private final Path file;

    CaseYaml(final Path file)
    {
        this.file = file;
    }

    Path file()
    {
        return file;
    }

    /** The document's root node, or null for an empty file. */
    Node compose(final String text) throws VerifyFormatException
    {
        final LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setSchema(new Yaml11Schema())
            .build();
        try
        {
            final StreamReader reader = new StreamReader(settings, text);
            return new Composer(settings, new ParserImpl(settings, reader)).getSingleNode().orElse(null);
        }
        catch (final MarkedYamlEngineException ex)
        {
            final int line = ex.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            throw new VerifyFormatException(file, line, "not valid YAML: " + ex.getProblem());
        }
        catch (final YamlEngineException ex)
        {
            throw new VerifyFormatException(file, 0, "not valid YAML: " + ex.getMessage());
        }
        catch (final StackOverflowError ex)
        {
            throw new VerifyFormatException(file, 0, "not valid YAML: nested too deeply");
        }
    }

    static int line(final Node node)
    {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    VerifyFormatException error(final Node node, final String reason)
    {
        return new VerifyFormatException(file, line(node), reason);
    }

    /** The entries of a mapping whose keys are names, in first-seen order with the last value of a repeated key. */
    Map<String, Entry> mapping(final Node node, final String what) throws VerifyFormatException
    {
        if (!(node instanceof MappingNode mapping))
        {
            throw error(node, what + " must be a mapping");
        }
        final Map<String, Entry> entries = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            final Node keyNode = tuple.getKeyNode();
            if (!(value(keyNode) instanceof String key))
            {
                throw error(keyNode, "keys in " + what + " must be names, not " + describe(keyNode));
            }
            entries.put(key, new Entry(key, line(keyNode), tuple.getValueNode()));
        }
        return entries;
    }

    List<Node> sequence(final Node node, final String what) throws VerifyFormatException
    {
        if (!(node instanceof SequenceNode sequence))
        {
            throw error(node, what + " must be a list");
        }
        return sequence.getValue();
    }

    String text(final Node node, final String what) throws VerifyFormatException
    {
        if (!(value(node) instanceof String text))
        {
            throw error(node, what + " must be a string, not " + describe(node));
        }
        return text;
    }

    /** The value PyYAML would construct for this node. */
    Object value(final Node node) throws VerifyFormatException
    {
        return value(node, 0);
    }

    private Object value(final Node node, final int depth) throws VerifyFormatException
    {
        if (depth > MAX_DEPTH)
        {
            throw error(node, "nested more than " + MAX_DEPTH + " levels (an alias inside itself?)");
        }
        final Tag tag = node.getTag();
        if (node instanceof ScalarNode scalar)
        {
            return scalar(scalar, tag);
        }
        if (node instanceof SequenceNode sequence && Tag.SEQ.equals(tag))
        {
            final List<Object> items = new ArrayList<>();
            for (final Node item : sequence.getValue())
            {
                items.add(value(item, depth + 1));
            }
            return Collections.unmodifiableList(items);
        }
        if (node instanceof MappingNode mapping && Tag.MAP.equals(tag))
        {
            final Map<String, Object> fields = new LinkedHashMap<>();
            boolean namesOnly = true;
            for (final NodeTuple tuple : mapping.getValue())
            {
                if (Tag.MERGE.equals(tuple.getKeyNode().getTag()))
                {
                    throw error(tuple.getKeyNode(), "merge keys (<<) are not supported");
                }
                final Object key = value(tuple.getKeyNode(), depth + 1);
                final Object fieldValue = value(tuple.getValueNode(), depth + 1);
                if (key instanceof String name)
                {
                    fields.put(name, fieldValue);
                }
                else
                {
                    namesOnly = false;
                }
            }
            // JSON object keys are strings, and Python's 1 never equals "1": such a mapping equals no EVE value.
            return namesOnly ? Collections.unmodifiableMap(fields)
                : new Opaque("a mapping with keys that are not strings (line " + line(node) + ")");
        }
        throw error(node, "unsupported YAML tag " + tag.getValue());
    }

    private Object scalar(final ScalarNode scalar, final Tag tag) throws VerifyFormatException
    {
        final String text = scalar.getValue();
        try
        {
            if (Tag.STR.equals(tag))
            {
                return text;
            }
            if (Tag.INT.equals(tag))
            {
                return integer(text);
            }
            if (Tag.FLOAT.equals(tag))
            {
                return floating(text);
            }
            if (Tag.BOOL.equals(tag))
            {
                return bool(text);
            }
            if (Tag.NULL.equals(tag))
            {
                return null;
            }
            if (Yaml11Schema.TIMESTAMP.equals(tag))
            {
                return new Opaque("the date " + text);
            }
            if (Tag.BINARY.equals(tag))
            {
                // Python bytes, which never equal a JSON string.
                return new Opaque("binary data " + text.strip());
            }
        }
        catch (final NumberFormatException | StringIndexOutOfBoundsException ex)
        {
            throw error(scalar, "'" + text + "' is not a valid " + tag.getValue());
        }
        throw error(scalar, "unsupported YAML tag " + tag.getValue() + " on '" + text + "'");
    }

    /** An integer as PyYAML builds one: underscores dropped, 0b binary, 0x hex, leading 0 octal, a:b base 60. */
    static Number integer(final String text)
    {
        String digits = text.replace("_", "");
        final boolean negative = digits.charAt(0) == '-';
        if (digits.charAt(0) == '-' || digits.charAt(0) == '+')
        {
            digits = digits.substring(1);
        }
        final BigInteger magnitude;
        if ("0".equals(digits))
        {
            magnitude = BigInteger.ZERO;
        }
        else if (digits.startsWith("0b"))
        {
            magnitude = new BigInteger(digits.substring(2), 2);
        }
        else if (digits.startsWith("0x"))
        {
            magnitude = new BigInteger(digits.substring(2), 16);
        }
        else if (digits.charAt(0) == '0')
        {
            magnitude = new BigInteger(digits, 8);
        }
        else if (digits.indexOf(':') >= 0)
        {
            BigInteger sum = BigInteger.ZERO;
            for (final String part : digits.split(":", -1))
            {
                sum = sum.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
            }
            magnitude = sum;
        }
        else
        {
            magnitude = new BigInteger(digits);
        }
        final BigInteger value = negative ? magnitude.negate() : magnitude;
        return value.bitLength() < 64 ? (Number)value.longValue() : value;
    }

    /** A float as PyYAML builds one: underscores dropped, .inf and .nan, a:b.c base 60. */
    static Double floating(final String text)
    {
        String digits = text.replace("_", "").toLowerCase(Locale.ROOT);
        final double sign = digits.charAt(0) == '-' ? -1.0 : 1.0;
        if (digits.charAt(0) == '-' || digits.charAt(0) == '+')
        {
            digits = digits.substring(1);
        }
        if (".inf".equals(digits))
        {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (".nan".equals(digits))
        {
            return Double.NaN;
        }
        if (digits.indexOf(':') >= 0)
        {
            // Summed from the last part up, as PyYAML does, so that the rounding is the same.
            final String[] parts = digits.split(":", -1);
            double sum = 0.0;
            double base = 1.0;
            for (int i = parts.length - 1; i >= 0; i--)
            {
                sum += Double.parseDouble(parts[i]) * base;
                base *= 60;
            }
            return sign * sum;
        }
        return sign * Double.parseDouble(digits);
    }

    private static Boolean bool(final String text)
    {
        return switch (text.toLowerCase(Locale.ROOT))
        {
            case "yes", "true", "on" -> Boolean.TRUE;
            case "no", "false", "off" -> Boolean.FALSE;
            default -> throw new NumberFormatException(text);
        };
    }

    private static String describe(final Node node)
    {
        if (node instanceof ScalarNode scalar)
        {
            return "'" + scalar.getValue() + "' (" + node.getTag().getValue().replace(Tag.PREFIX, "") + ")";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }
}
