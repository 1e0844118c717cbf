package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast pattern choice, rule by rule of Suricata's, with hand-computed pattern strengths. */
class FastPatternTest
{
    private static FastPattern of(final String options)
    {
        final Rule rule = MatchTesting.rules("alert tcp any any -> any any (" + options + " sid:1;)").get(0);
        return FastPattern.of(rule);
    }

    private static String text(final FastPattern fast)
    {
        return new String(fast.bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldTakeTheContentMarkedFastPattern()
    {
        final FastPattern fast = of("content:\"a long content\"; content:\"xy\"; fast_pattern; nocase;");
        assertEquals("xy", text(fast));
        assertTrue(fast.explicit());
        assertTrue(fast.nocase());
        assertEquals(Buffer.PAYLOAD, fast.buffer());
        assertEquals(0, fast.inspection());
        assertEquals(1, fast.match());
    }

    @Test
    void shouldTakeTheSliceOfFastPattern()
    {
        assertEquals("cde", text(of("content:\"abcdefg\"; fast_pattern:2,3;")));
    }

    @Test
    void shouldPreferStickyBuffersThenThePayloadThenTheMethod()
    {
        final FastPattern uri = of("content:\"a much longer payload content\"; content:\"/x\"; http_uri;");
        assertEquals(Buffer.HTTP_URI, uri.buffer());
        assertEquals("/x", text(uri));
        assertFalse(uri.explicit());
        final FastPattern payload = of("content:\"POST\"; http_method; content:\"ab\";");
        assertEquals(Buffer.PAYLOAD, payload.buffer());
        assertEquals(Buffer.HTTP_METHOD, of("content:\"POST\"; http_method;").buffer());
        assertEquals(2, FastPattern.priority(Buffer.TLS_SNI));
        assertEquals(3, FastPattern.priority(Buffer.PAYLOAD));
        assertEquals(4, FastPattern.priority(Buffer.HTTP_METHOD));
    }

    @Test
    void shouldTakeTheLongestThenTheStrongest()
    {
        assertEquals("abcdef", text(of("content:\"abc\"; content:\"abcdef\"; content:\"xyz\";")));
        // Equal length: "aaaa" scores 3+1+1+1 = 6, "ab|00|c" 3+3+4+3 = 13.
        assertEquals("ab\u0000c", text(of("content:\"aaaa\"; content:\"ab|00|c\";")));
        // Equal length and strength: the first.
        assertEquals("abcd", text(of("content:\"abcd\"; content:\"dcba\";")));
    }

    @Test
    void shouldUseNegatedContentsOnlyWhenThereIsNoOther()
    {
        assertEquals("ab", text(of("content:!\"a longer negated one\"; content:\"ab\";")));
        final FastPattern negated = of("content:!\"evil\";");
        assertEquals("evil", text(negated));
        assertTrue(negated.negated());
        assertFalse(negated.prefilters());
        assertNull(of("pcre:\"/abc/\";"));
    }

    @Test
    void shouldScorePatternStrengthAsSuricata()
    {
        assertEquals(9, FastPattern.strength("GET".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(5, FastPattern.strength(new byte[] {0, 0}));
        assertEquals(9, FastPattern.strength(new byte[] {'a', 0x0a}));
        assertEquals(12, FastPattern.strength(new byte[] {(byte)0xff, 0x01, '/'}));
        assertEquals(6, FastPattern.strength(new byte[] {(byte)0x80}));
    }
}
