package io.opensase.ips.dlp;

/**
 * Streaming decoder for {@code application/x-www-form-urlencoded} bodies and request URIs: {@code +} becomes a
 * space, {@code %XY} the byte XY, and {@code %uXXXX} (either case of u) the byte XXXX when it is below 0x100,
 * else {@code ?}, as the HTTP parser's normalised URI decodes it (libhtp's IDS personality; found by a tester:
 * a card whose first digit was sent as {@code %u0034} went past DLP). An escape split across calls is carried
 * over. A malformed escape ({@code %G1}, {@code %u00G}, or a body ending inside one) is passed through as it
 * stands, as browsers do. One per flow and direction; no allocation.
 */
public final class UrlFormDecoder
{
    /** Bytes an escape left open can add to one call's output: {@code %uXXX}. */
    public static final int CARRIED = 5;

    private static final int PLAIN = 0;
    private static final int PERCENT = 1;
    private static final int PERCENT_DIGIT = 2;
    /** After {@code %u}: {@link #uDigits} hex digits read into {@link #uValue}. */
    private static final int PERCENT_U = 3;

    private int state = PLAIN;
    private byte firstDigit;
    private byte u;
    private int uDigits;
    private int uValue;
    private final byte[] uText = new byte[3];

    /**
     * Decodes {@code in[off..off+len)} into {@code out} from {@code outOff} and returns the bytes written,
     * at most {@code len + }{@link #CARRIED}.
     */
    public int decode(final byte[] in, final int off, final int len, final byte[] out, final int outOff)
    {
        int o = outOff;
        for (int i = off; i < off + len; i++)
        {
            final byte b = in[i];
            switch (state)
            {
                case PLAIN ->
                {
                    if (b == '%')
                    {
                        state = PERCENT;
                    }
                    else
                    {
                        out[o++] = b == '+' ? (byte)' ' : b;
                    }
                }
                case PERCENT ->
                {
                    if (b == 'u' || b == 'U')
                    {
                        u = b;
                        uDigits = 0;
                        uValue = 0;
                        state = PERCENT_U;
                    }
                    else if (hex(b) >= 0)
                    {
                        firstDigit = b;
                        state = PERCENT_DIGIT;
                    }
                    else
                    {
                        out[o++] = '%';
                        state = PLAIN;
                        i--;
                    }
                }
                case PERCENT_U ->
                {
                    if (hex(b) < 0)
                    {
                        o = writeOpenU(out, o);
                        state = PLAIN;
                        i--;
                    }
                    else if (uDigits < 3)
                    {
                        uText[uDigits++] = b;
                        uValue = uValue << 4 | hex(b);
                    }
                    else
                    {
                        uValue = uValue << 4 | hex(b);
                        out[o++] = uValue < 0x100 ? (byte)uValue : (byte)'?';
                        state = PLAIN;
                    }
                }
                default ->
                {
                    state = PLAIN;
                    if (hex(b) >= 0)
                    {
                        out[o++] = (byte)(hex(firstDigit) << 4 | hex(b));
                    }
                    else
                    {
                        out[o++] = '%';
                        out[o++] = firstDigit;
                        i--;
                    }
                }
            }
        }
        return o - outOff;
    }

    /** Writes an escape left open at the end of the body as it stands and resets; returns the bytes written. */
    public int finish(final byte[] out, final int outOff)
    {
        int o = outOff;
        if (state == PERCENT_U)
        {
            o = writeOpenU(out, o);
        }
        else if (state != PLAIN)
        {
            out[o++] = '%';
            if (state == PERCENT_DIGIT)
            {
                out[o++] = firstDigit;
            }
        }
        state = PLAIN;
        return o - outOff;
    }

    public void reset()
    {
        state = PLAIN;
    }

    /** Writes an unfinished {@code %u} escape as it was sent; returns the next output index. */
    private int writeOpenU(final byte[] out, final int at)
    {
        int o = at;
        out[o++] = '%';
        out[o++] = u;
        for (int d = 0; d < uDigits; d++)
        {
            out[o++] = uText[d];
        }
        return o;
    }

    private static int hex(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F')
        {
            return b - 'A' + 10;
        }
        return -1;
    }
}
