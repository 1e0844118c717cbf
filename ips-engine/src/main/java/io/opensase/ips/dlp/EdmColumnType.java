package io.opensase.ips.dlp;

/**
 * How an exact-data-match column's values are normalised, in the CSV and in scanned text alike.
 */
public enum EdmColumnType
{
    /** Digits only; spaces and dashes between digit groups dropped (account, card, phone numbers). */
    DIGITS("digits", (byte)'d'),
    /** Letters and digits upper-cased, separators dropped; a value needs at least one digit (customer ids). */
    ALNUM("alnum", (byte)'a'),
    /** Words lower-cased and joined by one space, up to four words (names, phrases). */
    TEXT("text", (byte)'t');

    private final String yamlName;
    private final byte tag;

    EdmColumnType(final String yamlName, final byte tag)
    {
        this.yamlName = yamlName;
        this.tag = tag;
    }

    public String yamlName()
    {
        return yamlName;
    }

    /** Prefixed to the normalised value before hashing, so that equal text in two types keys differently. */
    byte tag()
    {
        return tag;
    }
}
