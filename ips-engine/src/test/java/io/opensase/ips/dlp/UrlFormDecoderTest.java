package io.opensase.ips.dlp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected outputs are Python's {@code urllib.parse.unquote_plus} of the same input. */
class UrlFormDecoderTest
{
    @Test
    void shouldDecodeLikeUnquotePlusAtEverySplit()
    {
        check("a+b%41%4a%zz%", "a bAJ%zz%");
        check("card%3D4111+1111%2D1111%201111", "card=4111 1111-1111 1111");
        check("%%41", "%A");
        check("%4", "%4");
        check("100%+sure", "100% sure");
    }

    private static void check(final String in, final String expected)
    {
        final byte[] bytes = in.getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at <= bytes.length; at++)
        {
            final UrlFormDecoder decoder = new UrlFormDecoder();
            final byte[] out = new byte[bytes.length + 4];
            int n = decoder.decode(bytes, 0, at, out, 0);
            n += decoder.decode(bytes, at, bytes.length - at, out, n);
            n += decoder.finish(out, n);
            assertEquals(expected, new String(out, 0, n, StandardCharsets.US_ASCII), in + " split at " + at);
        }
    }
}
