package io.opensase.core.config;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML node with the field path and file line it came from, and typed readers that fail with a
 * {@link ConfigException} naming both. Mappings reject keys they do not know and keys given twice.
 */
final class YamlNode
{
    /** Longest duration a field takes: a year is longer than any sensible idle timeout. */
    private static final long MAX_DURATION_NS = 365L * 24 * 3_600_000_000_000L;

    private final Path file;
    private final String path;
    private final Node node;

    YamlNode(final Path file, final String path, final Node node)
    {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    Path file()
    {
        return file;
    }

    String path()
    {
        return path;
    }

    int line()
    {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    ConfigException error(final String reason)
    {
        return new ConfigException(file, line(), path, reason);
    }

    /** The fields of a mapping, checked against the allowed keys. */
    Map<String, YamlNode> mapping(final Set<String> allowed) throws ConfigException
    {
        return mapping(allowed, "unknown field; allowed here: " + String.join(", ", sorted(allowed)));
    }

    /** The fields of a mapping, checked against the allowed keys; a key not allowed is refused for {@code why}. */
    Map<String, YamlNode> mapping(final Set<String> allowed, final String why) throws ConfigException
    {
        if (!(node instanceof MappingNode mapping))
        {
            throw error("expected a mapping of " + String.join(", ", sorted(allowed)));
        }
        final Map<String, YamlNode> fields = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            final YamlNode key = new YamlNode(file, path, tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode scalarKey))
            {
                throw key.error("keys must be plain names");
            }
            final String name = scalarKey.getValue();
            final YamlNode value = new YamlNode(file, path.isEmpty() ? name : path + "." + name, tuple.getValueNode());
            if (!allowed.contains(name))
            {
                throw new ConfigException(file, key.line(), value.path, why);
            }
            if (fields.put(name, value) != null)
            {
                throw new ConfigException(file, key.line(), value.path, "given twice");
            }
        }
        return fields;
    }

    /** A mapping whose keys are names the configuration chooses (address groups), checked for duplicates. */
    Map<String, YamlNode> freeMapping() throws ConfigException
    {
        if (!(node instanceof MappingNode mapping))
        {
            throw error("expected a mapping of names");
        }
        final Map<String, YamlNode> fields = new LinkedHashMap<>();
        for (final NodeTuple tuple : mapping.getValue())
        {
            final YamlNode key = new YamlNode(file, path, tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode scalarKey))
            {
                throw key.error("keys must be plain names");
            }
            final YamlNode value = new YamlNode(file, path + "." + scalarKey.getValue(), tuple.getValueNode());
            if (fields.put(scalarKey.getValue(), value) != null)
            {
                throw new ConfigException(file, key.line(), value.path, "given twice");
            }
        }
        return fields;
    }

    boolean isSequence()
    {
        return node instanceof SequenceNode;
    }

    /** A list, or a single value taken as a list of one. */
    List<YamlNode> listOrOne() throws ConfigException
    {
        return node instanceof SequenceNode ? sequence() : List.of(this);
    }

    /** The value of {@code name} in this mapping, or null when absent or when this is not a mapping. */
    YamlNode peek(final String name)
    {
        if (node instanceof MappingNode mapping)
        {
            for (final NodeTuple tuple : mapping.getValue())
            {
                if (tuple.getKeyNode() instanceof ScalarNode key && name.equals(key.getValue()))
                {
                    return new YamlNode(file, path.isEmpty() ? name : path + "." + name, tuple.getValueNode());
                }
            }
        }
        return null;
    }

    List<YamlNode> sequence() throws ConfigException
    {
        if (!(node instanceof SequenceNode sequence))
        {
            throw error("expected a list");
        }
        final List<YamlNode> items = new ArrayList<>();
        for (final Node item : sequence.getValue())
        {
            items.add(new YamlNode(file, path + "[" + items.size() + "]", item));
        }
        return items;
    }

    String text() throws ConfigException
    {
        if (!(node instanceof ScalarNode scalar))
        {
            throw error("expected a single value");
        }
        return scalar.getValue().trim();
    }

    /**
     * A file name, taken relative to {@code folder} (the configuration file's folder) unless absolute, and
     * normalised. Nothing is checked on disk.
     */
    Path fileIn(final Path folder) throws ConfigException
    {
        final String text = text();
        if (text.isEmpty())
        {
            throw error("expected a file name, got nothing");
        }
        final Path resolved;
        try
        {
            resolved = folder.resolve(text).normalize();
        }
        catch (final java.nio.file.InvalidPathException ex)
        {
            throw error("not a usable file name: " + ex.getReason());
        }
        final String last = text.substring(text.lastIndexOf('/') + 1);
        if (null == resolved.getFileName() || last.isEmpty() || ".".equals(last) || "..".equals(last))
        {
            throw error("'" + text + "' names a folder; expected a file");
        }
        return resolved;
    }

    /**
     * The error a model's constructor raised, {@code "field: reason"} with {@code field} a dotted path below
     * this mapping: placed on that field's line when the file gives it, else on this node's line with the
     * field's full path (a default that clashes with a given value). A message without such a prefix is placed
     * on this node.
     */
    ConfigException rejected(final IllegalArgumentException ex)
    {
        final String message = String.valueOf(ex.getMessage());
        final int colon = message.indexOf(": ");
        if (colon <= 0 || !message.substring(0, colon).matches("[a-z_]+(\\.[a-z_]+)*"))
        {
            return error(message);
        }
        final String field = message.substring(0, colon);
        final String reason = message.substring(colon + 2);
        YamlNode target = this;
        for (final String name : field.split("\\."))
        {
            target = null == target ? null : target.peek(name);
        }
        return null != target ? target.error(reason)
            : new ConfigException(file, line(), path.isEmpty() ? field : path + "." + field, reason);
    }

    boolean bool() throws ConfigException
    {
        final String text = text();
        return switch (text)
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw error("expected true or false, got '" + text + "'");
        };
    }

    int integer(final int min, final int max) throws ConfigException
    {
        final String text = text();
        try
        {
            final long value = Long.parseLong(text.replace("_", ""));
            if (value < min || value > max)
            {
                throw error("must be " + min + ".." + max + ", got " + text);
            }
            return (int)value;
        }
        catch (final NumberFormatException ex)
        {
            throw error("expected an integer " + min + ".." + max + ", got '" + text + "'");
        }
    }

    int powerOfTwo(final int min, final int max) throws ConfigException
    {
        final int value = integer(min, max);
        if (Integer.bitCount(value) != 1)
        {
            throw error("must be a power of two " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    long durationNs() throws ConfigException
    {
        final String text = text();
        final String digits = text.replaceAll("(ms|s|m|h)$", "");
        final String unit = text.substring(digits.length());
        final long scale = switch (unit)
        {
            case "ms" -> 1_000_000L;
            case "", "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0;
        };
        try
        {
            final long value = Long.parseLong(digits.trim());
            if (value <= 0)
            {
                throw error("must be a positive duration, got '" + text + "'");
            }
            if (value > MAX_DURATION_NS / scale)
            {
                throw error("'" + text + "' is longer than the longest timeout, 365 days");
            }
            return value * scale;
        }
        catch (final NumberFormatException ex)
        {
            if (digits.trim().matches("\\d+"))
            {
                throw error("'" + text + "' is longer than the longest timeout, 365 days");
            }
            throw error("expected a duration such as 250ms, 30s, 5m or 1h, got '" + text + "'");
        }
    }

    <E extends Enum<E>> E choice(final Class<E> type, final Function<E, String> name) throws ConfigException
    {
        return choice(List.of(type.getEnumConstants()), name);
    }

    /** One of {@code values}, by name; the error lists exactly those names. */
    <E> E choice(final List<E> values, final Function<E, String> name) throws ConfigException
    {
        final String text = text();
        final List<String> names = new ArrayList<>();
        for (final E value : values)
        {
            if (name.apply(value).equals(text))
            {
                return value;
            }
            names.add(name.apply(value));
        }
        throw error("'" + text + "' is not one of " + String.join(", ", names));
    }

    private static List<String> sorted(final Set<String> names)
    {
        return names.stream().sorted().toList();
    }
}
