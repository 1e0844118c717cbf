package io.opensase.ips.rules;

/**
 * Rule text as a report may print it: rule files are read byte for byte, so a skip reason may quote control
 * bytes (a terminal escape) or bytes that are no text; each byte below 0x20 or above 0x7E becomes
 * {@code \xHH}, and a backslash {@code \\}.
 */
final class Printable
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable()
    {
    }

    static String escape(final String text)
    {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean plain = c >= 0x20 && c <= 0x7E && '\\' != c;
            if (null == out)
            {
                if (plain)
                {
                    continue;
                }
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (plain)
            {
                out.append(c);
            }
            else if ('\\' == c)
            {
                out.append("\\\\");
            }
            else
            {
                // Rule files are read as ISO-8859-1, one char per byte.
                out.append("\\x").append(HEX[c >>> 4 & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return null == out ? text : out.toString();
    }
}
