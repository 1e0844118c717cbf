package io.opensase.core.ips.verify;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Comparisons between a value from an EVE event and one from a test.yaml with the meaning Python gives them in
 * suricata-verify's runner: numbers equal across int and float ({@code 244 == 244.0}), booleans are the numbers 1
 * and 0 ({@code true == 1}), a string never equals a number ({@code "244" != 244}), a JSON null equals only a
 * YAML null (which an absent field equals too), lists and objects compare item by item.
 */
final class PyValues
{
    private PyValues()
    {
    }

    /** Python's {@code found == expected}; {@code found} is null for an absent field. */
    static boolean equal(final JsonNode found, final Object expected)
    {
        if (null == expected)
        {
            return null == found || found.isNull();
        }
        if (null == found || found.isNull())
        {
            return false;
        }
        if (expected instanceof String text)
        {
            return found.isTextual() && found.textValue().equals(text);
        }
        if (expected instanceof Boolean || expected instanceof Number)
        {
            final Number number = number(found);
            return null != number && numbersEqual(number, expected instanceof Boolean flag ? (flag ? 1L : 0L)
                : (Number)expected);
        }
        if (expected instanceof List<?> items)
        {
            if (!found.isArray() || found.size() != items.size())
            {
                return false;
            }
            for (int i = 0; i < items.size(); i++)
            {
                if (!equal(found.get(i), items.get(i)))
                {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Map<?, ?> fields)
        {
            if (!found.isObject() || found.size() != fields.size())
            {
                return false;
            }
            for (final Map.Entry<?, ?> field : fields.entrySet())
            {
                final JsonNode value = found.get((String)field.getKey());
                if (null == value || !equal(value, field.getValue()))
                {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Python's {@code expected in found}: a substring, a list item, or an object key. */
    static boolean contains(final JsonNode found, final Object expected) throws FieldError
    {
        if (null != found && found.isTextual())
        {
            if (!(expected instanceof String text))
            {
                throw new FieldError("'in <string>' needs a string, not " + typeName(expected));
            }
            return found.textValue().contains(text);
        }
        if (null != found && found.isArray())
        {
            for (final JsonNode item : found)
            {
                if (equal(item, expected))
                {
                    return true;
                }
            }
            return false;
        }
        if (null != found && found.isObject())
        {
            if (expected instanceof List || expected instanceof Map)
            {
                throw new FieldError("a " + typeName(expected) + " cannot be an object key");
            }
            return expected instanceof String key && found.has(key);
        }
        throw new FieldError("cannot look inside " + typeName(found));
    }

    /** The string a {@code __find}, {@code __startswith} or {@code __endswith} test works on. */
    static String text(final JsonNode found, final Object expected, final String operator) throws FieldError
    {
        if (null == found || !found.isTextual())
        {
            throw new FieldError(operator + " needs a string field, not " + typeName(found));
        }
        if (!(expected instanceof String))
        {
            throw new FieldError(operator + " needs a string to look for, not " + typeName(expected));
        }
        return found.textValue();
    }

    /** The Python type name of an EVE value (NoneType for absent or null). */
    static String typeName(final JsonNode node)
    {
        if (null == node || node.isNull())
        {
            return "NoneType";
        }
        if (node.isObject())
        {
            return "dict";
        }
        if (node.isArray())
        {
            return "list";
        }
        if (node.isTextual())
        {
            return "str";
        }
        if (node.isBoolean())
        {
            return "bool";
        }
        return node.isIntegralNumber() ? "int" : "float";
    }

    static String typeName(final Object value)
    {
        return switch (value)
        {
            case null -> "NoneType";
            case String ignored -> "str";
            case Boolean ignored -> "bool";
            case Double ignored -> "float";
            case Number ignored -> "int";
            case List<?> ignored -> "list";
            case Map<?, ?> ignored -> "dict";
            default -> value.toString();
        };
    }

    /** A test.yaml value as a report shows it: strings quoted, the rest as YAML would write them. */
    static String show(final Object value)
    {
        return switch (value)
        {
            case null -> "null";
            case String text -> '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            case List<?> items ->
            {
                final StringBuilder out = new StringBuilder("[");
                for (final Iterator<?> it = items.iterator(); it.hasNext(); )
                {
                    out.append(show(it.next())).append(it.hasNext() ? ", " : "");
                }
                yield out.append(']').toString();
            }
            case Map<?, ?> fields ->
            {
                final StringBuilder out = new StringBuilder("{");
                for (final Iterator<? extends Map.Entry<?, ?>> it = fields.entrySet().iterator(); it.hasNext(); )
                {
                    final Map.Entry<?, ?> field = it.next();
                    out.append(field.getKey()).append(": ").append(show(field.getValue()))
                        .append(it.hasNext() ? ", " : "");
                }
                yield out.append('}').toString();
            }
            default -> value.toString();
        };
    }

    /** Python's {@code str()} of a test.yaml value: how suricata-verify turns a version or comment into text. */
    static String str(final Object value)
    {
        return switch (value)
        {
            case null -> "None";
            case String text -> text;
            case Boolean flag -> flag ? "True" : "False";
            case Double number -> floatRepr(number);
            default -> value.toString();
        };
    }

    /** Python's shortest round-trip form of a float: 7.0, 0.0001, 1e-05, 1e+16, inf, nan. */
    static String floatRepr(final double value)
    {
        if (Double.isNaN(value))
        {
            return "nan";
        }
        if (Double.isInfinite(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        final double magnitude = Math.abs(value);
        final String sign = value < 0 || (value == 0 && 1 / value < 0) ? "-" : "";
        if (magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16))
        {
            final String plain = new BigDecimal(Double.toString(magnitude)).stripTrailingZeros().toPlainString();
            return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
        // Java's shortest digits are Python's (JDK 19 on); only the exponent is written differently.
        final String java = Double.toString(magnitude);
        final int e = java.indexOf('E');
        final String mantissa = java.substring(0, e).endsWith(".0") ? java.substring(0, e - 2) : java.substring(0, e);
        final int exponent = Integer.parseInt(java.substring(e + 1));
        return sign + mantissa + (exponent < 0 ? "e-" : "e+") + (Math.abs(exponent) < 10 ? "0" : "")
            + Math.abs(exponent);
    }

    private static Number number(final JsonNode node)
    {
        if (node.isBoolean())
        {
            return node.booleanValue() ? 1L : 0L;
        }
        if (node.isFloatingPointNumber())
        {
            return node.doubleValue();
        }
        return node.isIntegralNumber() ? node.bigIntegerValue() : null;
    }

    /** Python's numeric equality: exact between int and float, IEEE between two floats. */
    private static boolean numbersEqual(final Number a, final Number b)
    {
        if (a instanceof Double x && b instanceof Double y)
        {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Double x)
        {
            return Double.isFinite(x) && new BigDecimal(x).compareTo(new BigDecimal(integer(b))) == 0;
        }
        if (b instanceof Double y)
        {
            return Double.isFinite(y) && new BigDecimal(y).compareTo(new BigDecimal(integer(a))) == 0;
        }
        return integer(a).equals(integer(b));
    }

    private static BigInteger integer(final Number number)
    {
        return number instanceof BigInteger big ? big : BigInteger.valueOf(number.longValue());
    }
}
