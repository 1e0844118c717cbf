package io.opensase.ips.dlp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expected outputs are Python's {@code urllib.parse.unquote_plus} of the same input; for {@code %uXXXX}, which
 * Python does not decode, they are worked out by hand from the rule the HTTP parser's normalised URI follows.
 */
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

    /** Found by a tester: a card whose first digit was sent as {@code %u0034} went past DLP. */
    @Test
    void shouldDecodePercentUAsTheNormalisedUriDoesAtEverySplit()
    {
        check("c=%u0034111111111111111", "c=4111111111111111");
        check("%U0041%u0062", "Ab");
        // Above 0xFF: '?' (0x4E2D is a CJK letter).
        check("x%u4e2dy", "x?y");
        // Malformed or cut short: as sent, and what follows is read afresh.
        check("%u00G1", "%u00G1");
        check("%u%41", "%uA");
        check("%u12", "%u12");
        check("%u", "%u");
        check("%u004+", "%u004 ");
    }

    private static void check(final String in, final String expected)
    {
        final byte[] bytes = in.getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at <= bytes.length; at++)
        {
            final UrlFormDecoder decoder = new UrlFormDecoder();
            final byte[] out = new byte[bytes.length + 2 * UrlFormDecoder.CARRIED];
            int n = decoder.decode(bytes, 0, at, out, 0);
            n += decoder.decode(bytes, at, bytes.length - at, out, n);
            n += decoder.finish(out, n);
            assertEquals(expected, new String(out, 0, n, StandardCharsets.US_ASCII), in + " split at " + at);
        }
    }
}
