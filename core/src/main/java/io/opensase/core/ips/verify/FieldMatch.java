package io.opensase.core.ips.verify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of a filter's {@code match}: a field and the value it must equal, or one of suricata-verify's
 * special forms: {@code has-key}/{@code not-has-key} (the value names a field that must be present, or absent
 * or null), and keys ending in {@code .__contains}, {@code .__find}, {@code .__startswith}, {@code .__endswith}.
 *
 * @param key      the key as written in test.yaml
 * @param line     its line in test.yaml
 * @param presence PRESENT for has-key, ABSENT for not-has-key, ANY otherwise
 * @param path     the field looked up: the key, or for has-key the field it names
 * @param expected the value from test.yaml (String, Boolean, Long, BigInteger, Double, null, List or Map)
 */
public record FieldMatch(String key, int line, Presence presence, FieldPath path, Object expected)
{
    /** What a has-key / not-has-key entry requires of its field. */
    public enum Presence
    {
        ANY, PRESENT, ABSENT
    }

    /** The value this entry looks at in {@code event}: null when absent. */
    JsonNode lookup(final JsonNode event) throws FieldError
    {
        return path.find(event);
    }

    /** Whether the value found (null when absent) satisfies this entry. */
    boolean holds(final JsonNode found) throws FieldError
    {
        return switch (presence)
        {
            case PRESENT -> null != found && !found.isNull();
            case ABSENT -> null == found || found.isNull();
            case ANY -> switch (path.test())
            {
                case EQUALS -> PyValues.equal(found, expected);
                case CONTAINS -> PyValues.contains(found, expected);
                case FIND -> PyValues.text(found, expected, "__find").contains((String)expected);
                case STARTS_WITH -> PyValues.text(found, expected, "__startswith").startsWith((String)expected);
                case ENDS_WITH -> PyValues.text(found, expected, "__endswith").endsWith((String)expected);
            };
        };
    }

    /** The entry as a report shows it, {@code alert.signature_id == 1}. */
    @Override
    public String toString()
    {
        return switch (presence)
        {
            case PRESENT -> "has " + expected;
            case ABSENT -> "has no " + expected;
            case ANY -> key + (path.test() == FieldPath.Test.EQUALS ? " == " : ": ") + PyValues.show(expected);
        };
    }
}
