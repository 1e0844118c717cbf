package io.opensase.classifiers.app.http;

/** Byte-array helpers for header text; stateless. */
final class Ascii
{
    private Ascii()
    {
    }

    static int lower(final int b)
    {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    static boolean isSpace(final int b)
    {
        return ' ' == b || '\t' == b;
    }

    /** True when {@code bytes[from, from+length)} equals the lower-case {@code name} ignoring ASCII case. */
    static boolean equalsLower(final byte[] bytes, final int from, final int length, final byte[] name)
    {
        if (length != name.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (lower(bytes[from + i]) != name[i])
            {
                return false;
            }
        }
        return true;
    }

    /** True when the two ranges are equal ignoring ASCII case. */
    static boolean equalsIgnoreCase(final byte[] bytes, final int a, final int b, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (lower(bytes[a + i]) != lower(bytes[b + i]))
            {
                return false;
            }
        }
        return true;
    }

    /** Index of the first {@code needle} (lower case) in {@code bytes[from, to)} ignoring case, or -1. */
    static int indexOfLower(final byte[] bytes, final int from, final int to, final byte[] needle)
    {
        for (int i = from; i <= to - needle.length; i++)
        {
            int j = 0;
            while (j < needle.length && lower(bytes[i + j]) == needle[j])
            {
                j++;
            }
            if (j == needle.length)
            {
                return i;
            }
        }
        return -1;
    }

    static int hexValue(final int b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        final int l = lower(b);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    static byte[] bytes(final String lowerCaseText)
    {
        return lowerCaseText.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
