package io.opensase.ips.dlp;

import static io.opensase.ips.dlp.ByteClass.AT;
import static io.opensase.ips.dlp.ByteClass.DASH;
import static io.opensase.ips.dlp.ByteClass.DIGIT;
import static io.opensase.ips.dlp.ByteClass.DOT;
import static io.opensase.ips.dlp.ByteClass.LETTERS;
import static io.opensase.ips.dlp.ByteClass.PLUS_SLASH;
import static io.opensase.ips.dlp.ByteClass.TOKEN;
import static io.opensase.ips.dlp.ByteClass.UNDERSCORE;
import static io.opensase.ips.dlp.ByteClass.UPPER;
import static io.opensase.ips.dlp.ByteClass.WORD;

/**
 * The secret detectors, decided when a token (a run of {@code [A-Za-z0-9_.+/-]}) ends, from what the scanner
 * kept while it ran: its length, first twelve bytes, character classes, dots and the three bytes after the
 * first dot. A token of any length is checked without being stored. No allocation.
 */
final class SecretTokens
{
    /** The shortest secret: an AWS access key id. */
    static final int MIN_LENGTH = 20;
    private static final String SECRET = "secret";

    private SecretTokens()
    {
    }

    /** A dot in a token, or one of the three bytes after its first dot (a JWT's payload starts {@code eyJ}). */
    static void dot(final FlowState st, final byte b, final int cls, final int n)
    {
        if ((cls & AT) != 0)
        {
            st.tokenAts++;
            st.tokenAtPos = n;
        }
        else if ((cls & DOT) != 0)
        {
            if (st.tokenDots++ == 0)
            {
                st.tokenDotAt = n;
            }
            st.tokenLastDot = n;
        }
        else if (st.tokenDots == 1)
        {
            st.tokenAfterDot[n - st.tokenDotAt - 1] = b;
        }
    }

    /**
     * The secret (or e-mail address) the token that just ended before {@code p} is, or null; {@code awsSecret}
     * and {@code email} enable the checks that read the ring. Resets the token state and leaves the token's
     * length, a trailing full stop excluded, in {@code st.secretLength}.
     */
    static DetectorType classify(final FlowState st, final long p, final boolean awsSecret, final boolean email)
    {
        final long start = p - st.tokenLength;
        int len = st.tokenLength;
        int dots = st.tokenDots;
        final int lastSegment = len - st.tokenLastDot - 1;
        final int tokenFlags = st.tokenFlags;
        final int ats = st.tokenAts;
        st.resetToken();
        if (dots > 0 && lastSegment == 0)
        {
            // A sentence's full stop after a token is not part of it.
            len--;
            dots--;
        }
        final int flags = dots == 0 ? tokenFlags & ~DOT : tokenFlags;
        st.secretLength = len;
        st.tokenLengthEnded = (int)(p - start);
        if (email && ats == 1 && emailAddress(st, start, len))
        {
            return DetectorType.EMAIL;
        }
        if (len < MIN_LENGTH || (tokenFlags & AT) != 0)
        {
            return null;
        }
        final byte[] h = st.tokenHead;
        final int plain = LETTERS | DIGIT;
        if (len == 20 && (flags & ~(UPPER | DIGIT | WORD | TOKEN)) == 0 && h[0] == 'A'
            && (startsWith(h, "AKIA") || startsWith(h, "ASIA") || startsWith(h, "ABIA") || startsWith(h, "ACCA")))
        {
            return DetectorType.AWS_ACCESS_KEY_ID;
        }
        if ((len == 40 && h[0] == 'g' && h[1] == 'h' && h[3] == '_' && "pousr".indexOf(h[2]) >= 0
            || len == 93 && startsWith(h, "github_pat_")) && (flags & (DASH | DOT | PLUS_SLASH)) == 0)
        {
            return DetectorType.GITHUB_TOKEN;
        }
        if (h[0] == 'x' && startsWith(h, "xox") && "baprs".indexOf(h[3]) >= 0 && h[4] == '-'
            && (flags & (DOT | PLUS_SLASH | UNDERSCORE)) == 0 && (flags & DIGIT) != 0)
        {
            return DetectorType.SLACK_TOKEN;
        }
        if (len == 39 && startsWith(h, "AIza") && (flags & (DOT | PLUS_SLASH)) == 0)
        {
            return DetectorType.GOOGLE_API_KEY;
        }
        if (dots == 2 && startsWith(h, "eyJ") && st.tokenAfterDot[0] == 'e' && st.tokenAfterDot[1] == 'y'
            && st.tokenAfterDot[2] == 'J' && (flags & PLUS_SLASH) == 0 && lastSegment >= 16)
        {
            return DetectorType.JWT;
        }
        if (len == 40 && (flags & (DASH | DOT | UNDERSCORE)) == 0 && (flags & plain) == plain
            && awsSecret && secretWordBefore(st, start))
        {
            return DetectorType.AWS_SECRET_ACCESS_KEY;
        }
        return null;
    }

    /**
     * An e-mail address: one {@code @} after a local part of 1-64 characters, then a domain of labels split by
     * single dots, letters, digits and dashes, ending in a top-level label of 2-24 letters. Read from the ring,
     * so at most 120 bytes long.
     */
    private static boolean emailAddress(final FlowState st, final long start, final int len)
    {
        final int at = st.tokenAtPos;
        if (at < 1 || at > 64 || len - at < 5 || len > FlowState.RING - 8)
        {
            return false;
        }
        final byte[] r = st.ring;
        int lastDot = -1;
        byte previous = '@';
        for (int i = at + 1; i < len; i++)
        {
            final byte c = r[(int)(start + i) & FlowState.RING_MASK];
            if (c == '.')
            {
                if (previous == '.' || previous == '@' || previous == '-')
                {
                    return false;
                }
                lastDot = i;
            }
            else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'))
            {
                return false;
            }
            previous = c;
        }
        final int tld = len - lastDot - 1;
        if (lastDot < 0 || tld < 2 || tld > 24)
        {
            return false;
        }
        for (int i = lastDot + 1; i < len; i++)
        {
            final byte c = r[(int)(start + i) & FlowState.RING_MASK];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'))
            {
                return false;
            }
        }
        return r[(int)start & FlowState.RING_MASK] != '.' && r[(int)(start + at - 1) & FlowState.RING_MASK] != '.';
    }

    /** Characters of a secret's sample shown in clear: its fixed, public prefix only. */
    static int visiblePrefix(final DetectorType type, final byte[] head)
    {
        return switch (type)
        {
            case AWS_ACCESS_KEY_ID, GOOGLE_API_KEY -> 4;
            case GITHUB_TOKEN -> head[3] == '_' ? 4 : 11;
            case SLACK_TOKEN -> 5;
            case JWT -> 3;
            default -> 0;
        };
    }

    /** The word {@code secret}, any case, within the 64 bytes before {@code start}. */
    private static boolean secretWordBefore(final FlowState st, final long start)
    {
        final byte[] r = st.ring;
        for (long i = Math.max(0, start - 64); i + SECRET.length() <= start; i++)
        {
            int same = 0;
            while (same < SECRET.length() && (r[(int)(i + same) & FlowState.RING_MASK] | 32) == SECRET.charAt(same))
            {
                same++;
            }
            if (same == SECRET.length())
            {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(final byte[] head, final String prefix)
    {
        for (int i = 0; i < prefix.length(); i++)
        {
            if (head[i] != prefix.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
