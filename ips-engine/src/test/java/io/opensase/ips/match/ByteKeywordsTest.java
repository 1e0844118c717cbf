package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.SkipReason;
import io.opensase.ips.rules.Variables;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code byte_test}, {@code byte_jump}, {@code byte_extract} and the variables it defines, each with inputs
 * that must and must not match. Every expected value is worked out by hand in the comment next to it, from
 * Suricata's documented semantics (payload keywords page) and its content inspection order. Payload bytes
 * are written as {@code \\uXXXX} escapes of one byte each (the payload is read as ISO-8859-1). Every case runs
 * with the Hyperscan and the Java prefilter and by verification alone, which must agree.
 */
class ByteKeywordsTest
{
    /** Bytes 0x58 ('X') 0x01 0x02 0x03 0x04. */
    private static final String X1234 = "X\u0001\u0002\u0003\u0004";

    static boolean payload(final String options, final String payload)
    {
        return matches(options, in -> in.set(Buffer.PAYLOAD, segment(payload)));
    }

    static boolean matches(final String options, final Consumer<MatchInput> fill)
    {
        final List<Rule> rules = MatchTesting.rules("alert tcp any any -> any any (" + options + " sid:7;)");
        final MatchInput input = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true);
        fill.accept(input);
        Boolean answer = null;
        for (final PrefilterEngine engine : List.of(PrefilterEngine.HYPERSCAN, PrefilterEngine.JAVA))
        {
            try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
                RuleMatcher.Worker worker = matcher.newWorker())
            {
                assertEquals(1, matcher.enforced().size(), "enforced: " + matcher.notEnforced());
                final int n = worker.match(input);
                assertEquals(worker.matchWithoutPrefilter(input), n, engine + ": prefiltered and plain differ");
                if (null != answer)
                {
                    assertEquals(answer, 1 == n, "engines differ");
                }
                answer = 1 == n;
            }
        }
        return answer;
    }

    @Test
    void byteTestOperators()
    {
        // Bytes 1-2 big-endian: 0x0102 = 258.
        assertTrue(payload("byte_test:2,<,0x0103,1;", X1234));   // 258 < 259
        assertFalse(payload("byte_test:2,<,0x0102,1;", X1234));  // 258 < 258 fails
        assertTrue(payload("byte_test:2,>,257,1;", X1234));
        assertFalse(payload("byte_test:2,>,258,1;", X1234));
        assertTrue(payload("byte_test:2,=,258,1;", X1234));
        assertFalse(payload("byte_test:2,=,259,1;", X1234));
        assertTrue(payload("byte_test:2,!=,259,1;", X1234));
        assertFalse(payload("byte_test:2,!=,258,1;", X1234));
        assertTrue(payload("byte_test:2,<=,258,1;", X1234));
        assertFalse(payload("byte_test:2,<=,257,1;", X1234));
        assertTrue(payload("byte_test:2,>=,258,1;", X1234));
        assertFalse(payload("byte_test:2,>=,259,1;", X1234));
        // Byte 2 is 0x02: 0x02 & 0x02 = 2, 0x02 & 0x01 = 0; 0x02 ^ 0x03 = 1, 0x02 ^ 0x02 = 0.
        assertTrue(payload("byte_test:1,&,0x02,2;", X1234));
        assertFalse(payload("byte_test:1,&,0x01,2;", X1234));
        assertTrue(payload("byte_test:1,^,0x03,2;", X1234));
        assertFalse(payload("byte_test:1,^,0x02,2;", X1234));
        assertTrue(payload("byte_test:1,!&,0x01,2;", X1234));
        assertFalse(payload("byte_test:1,!&,0x02,2;", X1234));
        // The value compares as unsigned 64 bits: 8 bytes 0xFF... = 2^64 - 1 is greater than 1.
        assertTrue(payload("byte_test:8,>,1,0;", "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff"));
    }

    @Test
    void byteTestEndianness()
    {
        // Bytes 1-2 little-endian: 0x0201 = 513; bytes 1-4 little-endian: 0x04030201.
        assertTrue(payload("byte_test:2,=,0x0201,1,little;", X1234));
        assertFalse(payload("byte_test:2,=,0x0102,1,little;", X1234));
        assertTrue(payload("byte_test:4,=,0x04030201,1,little;", X1234));
        assertTrue(payload("byte_test:4,=,0x01020304,1,big;", X1234));
        assertFalse(payload("byte_test:4,=,0x04030201,1,big;", X1234));
    }

    @Test
    void byteTestStringBases()
    {
        // After "len=" (position 4): "1234" decimal.
        assertTrue(payload("content:\"len=\"; byte_test:4,=,1234,0,relative,string,dec;", "len=1234;"));
        assertFalse(payload("content:\"len=\"; byte_test:4,>,1234,0,relative,string,dec;", "len=1234;"));
        // "ff" hex = 255; "fe" = 254.
        assertTrue(payload("content:\"id=\"; byte_test:2,=,255,0,relative,string,hex;", "id=ff;"));
        assertFalse(payload("content:\"id=\"; byte_test:2,=,255,0,relative,string,hex;", "id=fe;"));
        // "755" octal = 7*64 + 5*8 + 5 = 493.
        assertTrue(payload("content:\"m=\"; byte_test:3,=,493,0,relative,string,oct;", "m=755"));
        assertFalse(payload("content:\"m=\"; byte_test:3,=,755,0,relative,string,oct;", "m=755"));
        // "string" without a base leaves it to strtoull (Suricata's unset base): "0x1f" is hex 31, "010" octal 8.
        assertTrue(payload("byte_test:4,=,31,0,string;", "0x1f"));
        assertFalse(payload("byte_test:4,=,31,0,string;", "0x1e"));
        assertTrue(payload("byte_test:3,=,8,0,string;", "010"));
        assertFalse(payload("byte_test:3,=,8,0,string,dec;", "010"));   // decimal 10
        // The base may come before "string".
        assertTrue(payload("byte_test:2,=,255,0,hex,string;", "ff"));
        assertFalse(payload("byte_test:2,=,255,0,hex,string;", "fe"));
        // No digits: no number, the test fails whatever the operator.
        assertFalse(payload("content:\"m=\"; byte_test:3,<,1000,0,relative,string,dec;", "m=abc"));
        // 0 bytes with string: the digits to the end of the buffer ("1500" > 1000, "999" is not).
        assertTrue(matches("http.content_len; byte_test:0,>,1000,0,string,dec;",
            in -> in.set(Buffer.HTTP_CONTENT_LEN, segment("1500"))));
        assertFalse(matches("http.content_len; byte_test:0,>,1000,0,string,dec;",
            in -> in.set(Buffer.HTTP_CONTENT_LEN, segment("999"))));
    }

    @Test
    void byteTestRelativeAndBounds()
    {
        // "AB" ends at 4; the byte there is 0x05. Absolute offset 0 is 'z' (0x7a).
        assertTrue(payload("content:\"AB\"; byte_test:1,=,5,0,relative;", "zzAB\u0005"));
        assertFalse(payload("content:\"AB\"; byte_test:1,=,5,0;", "zzAB\u0005"));
        // Relative offset -2 from 4 is byte 2, 'A' = 0x41.
        assertTrue(payload("content:\"AB\"; byte_test:1,=,0x41,-2,relative;", "zzAB\u0005"));
        // Nothing after the match: a relative read fails.
        assertFalse(payload("content:\"AB\"; byte_test:1,<,256,0,relative;", "zzAB"));
        // 4 bytes from offset 1 of a 3-byte buffer: not there.
        assertFalse(payload("byte_test:4,>,0,1;", "abc"));
        // The first "A" is followed by '1' (0x31); the content is searched again and the second "A" is
        // followed by 0x09.
        assertTrue(payload("content:\"A\"; byte_test:1,=,9,0,relative;", "A1A\u0009"));
        assertFalse(payload("content:\"A\"; byte_test:1,=,9,0,relative;", "A1A2"));
    }

    @Test
    void byteTestBitmask()
    {
        // 0x35 & 0x30 = 0x30, shifted right by the mask's 4 trailing zeros = 3; 0x25 & 0x30 = 0x20 -> 2.
        assertTrue(payload("byte_test:1,=,3,0,bitmask 0x30;", "\u0035"));
        assertFalse(payload("byte_test:1,=,3,0,bitmask 0x30;", "\u0025"));
    }

    @Test
    void dceIsRejectedWithAReason()
    {
        final RuleSet set = new RuleSetLoader(Variables.anyDefaults(), null).loadText(
            "alert tcp any any -> any any (byte_test:2,=,1,0,dce; sid:1;)\n"
                + "alert tcp any any -> any any (byte_jump:2,0,dce; sid:2;)\n"
                + "alert tcp any any -> any any (byte_extract:2,0,v,dce; sid:3;)");
        assertEquals(3, set.skipped().size());
        set.skipped().forEach(s ->
        {
            assertEquals(SkipReason.Category.UNSUPPORTED_SETTING, s.reason().category());
            assertTrue(s.reason().detail().contains("dce"), s.reason().detail());
        });
    }

    @Test
    void byteJump()
    {
        // Reads 2 at 0; jumps from the end of the read byte (1) by 2 to 3, where "X" is.
        assertTrue(payload("byte_jump:1,0; content:\"X\"; within:1;", "\u0002abX"));
        assertFalse(payload("byte_jump:1,0; content:\"X\"; within:1;", "\u0001abX"));   // lands on 2, 'b'
        // Relative: "L" ends at 2, the byte there is 2, the jump lands on 2 + 1 + 2 = 5.
        assertTrue(payload("content:\"L\"; byte_jump:1,0,relative; content:\"X\"; within:1;", "zL\u0002abX"));
        assertFalse(payload("content:\"L\"; byte_jump:1,0,relative; content:\"X\"; within:1;", "zL\u0001abX"));
        // Past the end of the buffer: no match.
        assertFalse(payload("byte_jump:1,0; isdataat:0,relative;", "\u0009ab"));
    }

    @Test
    void byteJumpMultiplierAndPostOffset()
    {
        // 2 * 2 = 4: 0 + 1 + 4 = 5.
        assertTrue(payload("byte_jump:1,0,multiplier 2; content:\"X\"; within:1;", "\u0002abcdX"));
        assertFalse(payload("byte_jump:1,0,multiplier 2; content:\"X\"; within:1;", "\u0002abX"));  // 5 > 4
        // 3 - 1 = 2: 0 + 1 + 2 = 3.
        assertTrue(payload("byte_jump:1,0,post_offset -1; content:\"X\"; within:1;", "\u0003abXc"));
        assertFalse(payload("byte_jump:1,0,post_offset -1; content:\"X\"; within:1;", "\u0003aXbc"));
        // 5 - 10: 0 + 1 - 5 = -4, moved to the buffer start (Suricata), where 0x05 is.
        assertTrue(payload("byte_jump:1,0,post_offset -10; content:\"|05|\"; within:1;", "\u0005abc"));
        assertFalse(payload("byte_jump:1,0,post_offset -10; content:\"a\"; within:1;", "\u0005abc"));
    }

    @Test
    void byteJumpFromBeginningAndEnd()
    {
        // Reads 4 at offset 1; from the beginning lands on 4 ("X"); from the read's end it would be 6 > 5.
        assertTrue(payload("byte_jump:1,1,from_beginning; content:\"X\"; within:1;", "a\u0004bcX"));
        assertFalse(payload("byte_jump:1,1; content:\"X\"; within:1;", "a\u0004bcX"));
        assertFalse(payload("byte_jump:1,1,from_beginning; content:\"X\"; within:1;", "a\u0003bcX"));
        // From the end (5) with post_offset -2: 3, where "XY" starts.
        assertTrue(payload("byte_jump:0,0,from_end,post_offset -2; content:\"XY\"; within:2;", "abcXY"));
        assertFalse(payload("byte_jump:0,0,from_end,post_offset -2; content:\"XY\"; within:2;", "abXYc"));
    }

    @Test
    void byteJumpAlignEndianStringBitmask()
    {
        // 1 rounded up to 4: 0 + 1 + 4 = 5 ("X"); unaligned it would be 2.
        assertTrue(payload("byte_jump:1,0,align; content:\"X\"; within:1;", "\u0001abcdX"));
        assertFalse(payload("byte_jump:1,0,align; content:\"X\"; within:1;", "\u0001Xbcd?"));
        // Little-endian 0x0003 = 3: 0 + 2 + 3 = 5; big-endian it would be 0x0300 = 768.
        assertTrue(payload("byte_jump:2,0,little; content:\"X\"; within:1;", "\u0003\u0000abcX"));
        assertFalse(payload("byte_jump:2,0,big; content:\"X\"; within:1;", "\u0003\u0000abcX"));
        // "03" decimal = 3: 0 + 2 + 3 = 5.
        assertTrue(payload("byte_jump:2,0,string,dec; content:\"X\"; within:1;", "03abcX"));
        assertFalse(payload("byte_jump:2,0,string,dec; content:\"X\"; within:1;", "04abcX"));
        // 0x32 & 0x0f = 2: 0 + 1 + 2 = 3; without the mask 0x32 = 50 runs past the end.
        assertTrue(payload("byte_jump:1,0,bitmask 0x0f; content:\"X\"; within:1;", "\u0032abX"));
        assertFalse(payload("byte_jump:1,0; content:\"X\"; within:1;", "\u0032abX"));
    }

    @Test
    void byteExtractIntoContentPositions()
    {
        // off = 3: "X" is searched from 3.
        assertTrue(payload("byte_extract:1,0,off; content:\"X\"; offset:off;", "\u0003abX"));
        assertFalse(payload("byte_extract:1,0,off; content:\"X\"; offset:off;", "\u0004abXc"));
        // d = 3: the window is bytes 0-2, "X" at 2; d = 2 ends before it.
        assertTrue(payload("byte_extract:1,0,d; content:\"X\"; depth:d;", "\u0003aXb"));
        assertFalse(payload("byte_extract:1,0,d; content:\"X\"; depth:d;", "\u0002aXb"));
        // "L" ends at 1, len = 3 read there moves the position to 2; the window is 2 to 2 + 3 = 5, "X" at 4.
        assertTrue(payload("content:\"L\"; byte_extract:1,0,len,relative; content:\"X\"; distance:0; within:len;",
            "L\u0003abX"));
        assertFalse(payload("content:\"L\"; byte_extract:1,0,len,relative; content:\"X\"; distance:0; within:len;",
            "L\u0002abX"));
        // skip = 2 from the position 1: "X" must start at 3.
        assertTrue(payload("byte_extract:1,0,skip; content:\"X\"; distance:skip; within:1;", "\u0002abX"));
        assertFalse(payload("byte_extract:1,0,skip; content:\"X\"; distance:skip; within:1;", "\u0001abX"));
        // The position moves past the bytes read: "ab" must start at 2.
        assertTrue(payload("byte_extract:2,0,n; content:\"ab\"; within:2;", "\u0000\u0001ab"));
        assertFalse(payload("byte_extract:2,0,n; content:\"ab\"; within:2;", "\u0000\u0001xab"));
    }

    @Test
    void byteExtractIntoOtherKeywords()
    {
        // byte_test value: byte 1 equals byte 0.
        assertTrue(payload("byte_extract:1,0,v; byte_test:1,=,v,1;", "\u0007\u0007"));
        assertFalse(payload("byte_extract:1,0,v; byte_test:1,=,v,1;", "\u0007\u0008"));
        // byte_test offset: o = 3, byte 3 is 'X' (0x58).
        assertTrue(payload("byte_extract:1,0,o; byte_test:1,=,0x58,o;", "\u0003abX"));
        assertFalse(payload("byte_extract:1,0,o; byte_test:1,=,0x58,o;", "\u0002abX"));
        // byte_jump offset: o = 2, the byte there is 4, from the beginning lands on 4 ("X").
        assertTrue(payload("byte_extract:1,0,o; byte_jump:1,o,from_beginning; content:\"X\"; within:1;",
            "\u0002a\u0004bX"));
        assertFalse(payload("byte_extract:1,0,o; byte_jump:1,o,from_beginning; content:\"X\"; within:1;",
            "\u0002a\u0003bX"));
        // isdataat: n = 3 is inside 4 bytes, n = 4 is not.
        assertTrue(payload("byte_extract:1,0,n; isdataat:n;", "\u0003abc"));
        assertFalse(payload("byte_extract:1,0,n; isdataat:n;", "\u0004abc"));
    }

    /**
     * ET Open's FREAK rule (sid 2020634, its detection keywords) on ClientHellos built by hand; tshark reads
     * them as session id length 0 and 32, cipher suites 0x002f,0x0003 (an export suite) and 0x002f,0x0035.
     * Walk for the first: "16 03" ends at 2; the byte there (01) is below 4; "01" 3 further, at 5, ends at 6;
     * byte_jump reads the byte at 6 + 37 = 43 (session id length 0) and lands on 44; byte_extract reads the
     * suites length at 44-45 (4) and moves to 46; "00 03" must end within 4 bytes of 46: it is at 48.
     * With a 32-byte session id the jump lands on 44 + 32 = 76 and the same holds from there.
     */
    @Test
    void etOpenFreakRuleOnClientHellos()
    {
        final String rule = "content:\"|16 03|\"; depth:2; byte_test:1,<,4,0,relative; content:\"|01|\"; distance:3;"
            + " within:1; byte_jump:1,37,relative; byte_extract:2,0,SuiteLength,relative; content:\"|00 03|\";"
            + " within:SuiteLength; fast_pattern;";
        assertTrue(payload(rule, hex("160301002f0100002b0301000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
            + "1c1d1e1f000004002f00030100")));
        assertTrue(payload(rule, hex("160301004f0100004b0301000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
            + "1c1d1e1f20aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0004002f00030100")));
        assertFalse(payload(rule, hex("160301002f0100002b0301000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
            + "1c1d1e1f000004002f00350100")));
    }

    private static String hex(final String hex)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2)
        {
            sb.append((char)Integer.parseInt(hex, i, i + 2, 16));
        }
        return sb.toString();
    }

    @Test
    void byteExtractMultiplierAlignString()
    {
        // 1 * 3 = 3, aligned up to 4: "X" at 3 is before the window.
        assertTrue(payload("byte_extract:1,0,n,multiplier 3,align 4; content:\"X\"; offset:n;", "\u0001abcdefgX"));
        assertFalse(payload("byte_extract:1,0,n,multiplier 3,align 4; content:\"X\"; offset:n;", "\u0001abXdefg"));
        // "05" decimal = 5: "X" at 5.
        assertTrue(payload("byte_extract:2,0,n,string,dec; content:\"X\"; offset:n;", "05abcX"));
        assertFalse(payload("byte_extract:2,0,n,string,dec; content:\"X\"; offset:n;", "06abcX"));
        // Hex "1f" = 31, little-endian does not apply to text.
        assertTrue(payload("byte_extract:2,0,n,string,hex; byte_test:1,=,n,2;", "1f\u001f"));
        assertFalse(payload("byte_extract:2,0,n,string,hex; byte_test:1,=,n,2;", "1f\u0031"));
    }
}
