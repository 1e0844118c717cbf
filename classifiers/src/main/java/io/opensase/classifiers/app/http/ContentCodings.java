package io.opensase.classifiers.app.http;

/**
 * Reads Content-Encoding values into the number of layers to decode; stateless.
 * <p>
 * Codings are listed in the order they were applied, so decoding starts from the last. The layers decoded
 * are the trailing run of gzip, x-gzip and deflate codings ({@code identity} and empty items skipped), at
 * most {@link HttpLimits#decompressionLayers()}: an unsupported coding ends the run (what it wraps stays
 * encoded) and is counted, as is a run longer than the limit.
 */
final class ContentCodings
{
    /** Bit of the packed state: an unsupported coding was seen. */
    static final int UNSUPPORTED = 1 << 16;

    private static final byte[] GZIP = Ascii.bytes("gzip");
    private static final byte[] X_GZIP = Ascii.bytes("x-gzip");
    private static final byte[] DEFLATE = Ascii.bytes("deflate");
    private static final byte[] IDENTITY = Ascii.bytes("identity");

    private ContentCodings()
    {
    }

    /**
     * Adds one header value's codings (its continuation lines included) to {@code packed} (the supported run in
     * the low 16 bits, and {@link #UNSUPPORTED}); start from 0.
     */
    static int add(final byte[] bytes, final int from, final int to, final int packed)
    {
        int run = packed & 0xFFFF;
        int seen = packed & UNSUPPORTED;
        int at = from;
        while (at < to)
        {
            int end = at;
            while (end < to && ',' != bytes[end])
            {
                end++;
            }
            int s = at;
            int e = end;
            while (s < e && isBlankOrLineEnd(bytes[s]))
            {
                s++;
            }
            while (e > s && isBlankOrLineEnd(bytes[e - 1]))
            {
                e--;
            }
            final int length = e - s;
            if (Ascii.equalsLower(bytes, s, length, GZIP) || Ascii.equalsLower(bytes, s, length, X_GZIP)
                || Ascii.equalsLower(bytes, s, length, DEFLATE))
            {
                run = Math.min(run + 1, 0xFFFF);
            }
            else if (length > 0 && !Ascii.equalsLower(bytes, s, length, IDENTITY))
            {
                run = 0;
                seen = UNSUPPORTED;
            }
            at = end + 1;
        }
        return run | seen;
    }

    /** Blanks, and the line ends inside a folded value (where blanks follow them): around a coding's name. */
    private static boolean isBlankOrLineEnd(final byte b)
    {
        return Ascii.isSpace(b) || '\r' == b || '\n' == b;
    }

    /** True when the packed state leaves a coding undecoded: an unsupported one, or layers past the limit. */
    static boolean leftEncoded(final int packed, final HttpLimits limits)
    {
        return 0 != (packed & UNSUPPORTED) || (packed & 0xFFFF) > limits.decompressionLayers();
    }

    /** The layers to decode from the packed state, counting what is left encoded. */
    static int layers(final int packed, final HttpLimits limits, final HttpCounters counters)
    {
        final int run = packed & 0xFFFF;
        if (0 != (packed & UNSUPPORTED))
        {
            counters.add(HttpCounter.UNSUPPORTED_ENCODING);
        }
        if (run > limits.decompressionLayers())
        {
            counters.add(HttpCounter.TOO_MANY_ENCODINGS);
            return limits.decompressionLayers();
        }
        return run;
    }
}
