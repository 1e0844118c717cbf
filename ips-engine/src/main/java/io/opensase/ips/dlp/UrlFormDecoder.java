package io.opensase.ips.dlp;

/**
 * Streaming decoder for {@code application/x-www-form-urlencoded} bodies: {@code +} becomes a space and
 * {@code %XY} the byte XY, with an escape split across calls carried over. A malformed escape ({@code %G1},
 * or a body ending in {@code %}) is passed through as it stands, as browsers do. One per flow and
 * direction; no allocation.
 */
public final class UrlFormDecoder
{
    private static final int PLAIN = 0;
    private static final int PERCENT = 1;
    private static final int PERCENT_DIGIT = 2;

    private int state = PLAIN;
    private byte firstDigit;

    /**
     * Decodes {@code in[off..off+len)} into {@code out} from {@code outOff} and returns the bytes written,
     * at most {@code len + 2}.
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
                    if (hex(b) >= 0)
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
        if (state != PLAIN)
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
