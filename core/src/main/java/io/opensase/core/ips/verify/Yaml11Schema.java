package io.opensase.core.ips.verify;

import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * YAML 1.1 implicit typing of plain scalars, as PyYAML's {@code safe_load} (suricata-verify's loader) applies it:
 * {@code yes}/{@code off} are booleans, {@code 010} is octal, {@code 1:30} is base 60, {@code 1e5} (no dot) is a
 * string and {@code 2024-01-02} a date. The YAML 1.2 core schema snakeyaml-engine uses by default types several
 * of these differently, and a test.yaml value typed differently compares differently with an EVE field.
 * Only the resolver is used: values are built by {@link CaseYaml}.
 */
final class Yaml11Schema implements Schema
{
    static final Tag TIMESTAMP = new Tag(Tag.PREFIX + "timestamp");
    static final Tag VALUE = new Tag(Tag.PREFIX + "value");

    private static final Pattern BOOL = Pattern.compile(
        "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern FLOAT = Pattern.compile(
        "[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN)");
    private static final Pattern INT = Pattern.compile(
        "[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern TIMESTAMP_FORM = Pattern.compile(
        "[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "|[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
            + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9]{2})?))?");

    private static final ScalarResolver RESOLVER = Yaml11Schema::resolve;

    @Override
    public ScalarResolver getScalarResolver()
    {
        return RESOLVER;
    }

    @Override
    public Map<Tag, ConstructNode> getSchemaTagConstructors()
    {
        return Map.of();
    }

    /** The tag of a scalar: typed by its form only when plain and untagged, else a string. */
    static Tag resolve(final String value, final Boolean implicit)
    {
        if (!implicit)
        {
            return Tag.STR;
        }
        // PyYAML tries its resolvers in this order and takes the first whose pattern matches the whole value.
        if (BOOL.matcher(value).matches())
        {
            return Tag.BOOL;
        }
        if (FLOAT.matcher(value).matches())
        {
            return Tag.FLOAT;
        }
        if (INT.matcher(value).matches())
        {
            return Tag.INT;
        }
        if ("<<".equals(value))
        {
            return Tag.MERGE;
        }
        if (NULL.matcher(value).matches())
        {
            return Tag.NULL;
        }
        if (TIMESTAMP_FORM.matcher(value).matches())
        {
            return TIMESTAMP;
        }
        return "=".equals(value) ? VALUE : Tag.STR;
    }
}
