package io.opensase.ips.rules.pcre;

import java.io.ByteArrayOutputStream;

/**
 * The literal bytes every match of a pcre starts with, read from its source, so that a search for the
 * leftmost match can jump from one place they occur to the next (a fast byte search) and try the expression
 * only there, instead of trying it at every position of a 16 KiB body. {@code /CREATE\s.*?FILE/i} starts with
 * {@code create} in any case; {@code /ab+c/}, {@code /a|bc/}, {@code /[ab]c/}, {@code /^abc/} and anything
 * with the {@code x} modifier give none. Conservative: whatever is not plainly a literal ends the prefix.
 */
public final class PcrePrefix
{
    /** A shorter prefix would hit too often to be worth the jump. */
    public static final int MIN_LENGTH = 2;

    private static final String META = "\\^$.|?*+()[]{}";

    private PcrePrefix()
    {
    }

    /**
     * The prefix of {@code source} (the text between the slashes) under {@code modifiers}, folded to lower
     * case when the {@code i} modifier is given; null when it has none of at least {@link #MIN_LENGTH} bytes.
     */
    public static byte[] of(final String source, final String modifiers)
    {
        // x: blanks are not literal; A: a match must start at the subject's start anyway.
        if (modifiers.indexOf('x') >= 0 || modifiers.indexOf('A') >= 0 || hasTopLevelAlternative(source))
        {
            return null;
        }
        final boolean nocase = modifiers.indexOf('i') >= 0;
        final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
        int i = 0;
        while (i < source.length())
        {
            final int atomStart = i;
            final int value;
            final char c = source.charAt(i);
            if ('\\' == c)
            {
                if (i + 1 >= source.length())
                {
                    break;
                }
                final char escaped = source.charAt(i + 1);
                if ('x' == escaped && i + 3 < source.length() && isHex(source.charAt(i + 2))
                    && isHex(source.charAt(i + 3)))
                {
                    value = Integer.parseInt(source.substring(i + 2, i + 4), 16);
                    i += 4;
                }
                else if (!Character.isLetterOrDigit(escaped) && escaped < 0x80)
                {
                    value = escaped;
                    i += 2;
                }
                else
                {
                    break; // a class (\s, \d), an assertion (\b, \A) or a back reference
                }
            }
            else if (META.indexOf(c) >= 0 || c >= 0x80)
            {
                break;
            }
            else
            {
                value = c;
                i++;
            }
            if (i < source.length() && "?*+{".indexOf(source.charAt(i)) >= 0)
            {
                break; // the atom is quantified: it may be absent or repeated
            }
            if (atomStart == i)
            {
                break;
            }
            prefix.write(nocase && value >= 'A' && value <= 'Z' ? value + 32 : value);
        }
        return prefix.size() >= MIN_LENGTH ? prefix.toByteArray() : null;
    }

    /** True when {@code |} separates alternatives of the whole expression (outside groups and classes). */
    private static boolean hasTopLevelAlternative(final String source)
    {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < source.length(); i++)
        {
            final char c = source.charAt(i);
            if ('\\' == c)
            {
                i++;
            }
            else if (inClass)
            {
                inClass = ']' != c;
            }
            else if ('[' == c)
            {
                inClass = true;
                if (i + 1 < source.length() && '^' == source.charAt(i + 1))
                {
                    i++;
                }
                if (i + 1 < source.length() && ']' == source.charAt(i + 1))
                {
                    i++; // "[]...]" or "[^]...]": a leading ] is a member
                }
            }
            else if ('(' == c)
            {
                depth++;
            }
            else if (')' == c)
            {
                depth--;
            }
            else if ('|' == c && depth <= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isHex(final char c)
    {
        return Character.digit(c, 16) >= 0;
    }
}
