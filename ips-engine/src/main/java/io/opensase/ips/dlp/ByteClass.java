package io.opensase.ips.dlp;

/**
 * What the scanner needs to know about a byte, one table load per byte: word characters (as regex {@code \w}),
 * token characters (word characters and {@code . + / - @}), separators inside a value (space, dash), and the
 * character classes kept as flags of words and tokens.
 */
final class ByteClass
{
    /** A word character: letter, digit or underscore. */
    static final int WORD = 1;
    static final int DIGIT = 2;
    static final int UPPER = 4;
    static final int LOWER = 8;
    static final int UNDERSCORE = 16;
    /** A character of a secret token. */
    static final int TOKEN = 32;
    /** A separator allowed between the groups of a value. */
    static final int SEPARATOR = 64;
    static final int DASH = 128;
    static final int DOT = 256;
    static final int PLUS_SLASH = 512;
    static final int AT = 1024;
    /** Word flag: longer than any identifier, so it breaks chains. */
    static final int LONG = 1 << 12;
    static final int MAX_WORD = 48;
    static final int LETTERS = UPPER | LOWER;
    /** Flags by byte value. */
    static final int[] CLASS = new int[256];

    static
    {
        for (int c = '0'; c <= '9'; c++)
        {
            CLASS[c] = WORD | DIGIT | TOKEN;
        }
        for (int c = 'A'; c <= 'Z'; c++)
        {
            CLASS[c] = WORD | UPPER | TOKEN;
            CLASS[c + 32] = WORD | LOWER | TOKEN;
        }
        CLASS['_'] = WORD | UNDERSCORE | TOKEN;
        CLASS['-'] = SEPARATOR | DASH | TOKEN;
        CLASS[' '] = SEPARATOR;
        CLASS['.'] = DOT | TOKEN;
        CLASS['+'] = PLUS_SLASH | TOKEN;
        CLASS['/'] = PLUS_SLASH | TOKEN;
        CLASS['@'] = AT | TOKEN;
    }

    private ByteClass()
    {
    }
}
