package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import org.junit.jupiter.api.Test;

import static io.opensase.ips.match.ByteKeywordsTest.matches;
import static io.opensase.ips.match.ByteKeywordsTest.payload;
import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code base64_decode} and the {@code base64_data} keywords inspected on what it decoded. The encodings
 * were made with Python's {@code base64.b64encode}: "Hello World" is {@code SGVsbG8gV29ybGQ=}, "Hello" is
 * {@code SGVsbG8=}, "Hello there" is {@code SGVsbG8gdGhlcmU=}, "cmd.exe" is {@code Y21kLmV4ZQ==}, and
 * {@code SGVsbG8g} alone decodes to "Hello ".
 */
class Base64KeywordsTest
{
    @Test
    void decodesAfterTheMatchWhenRelative()
    {
        final String rule = "content:\"q=\"; base64_decode:relative; base64_data; content:\"World\";";
        assertTrue(payload(rule, "GET /?q=SGVsbG8gV29ybGQ="));
        assertFalse(payload(rule, "GET /?q=SGVsbG8gdGhlcmU="));
        // Not relative: decoding starts at the buffer start, "GET " is not base64 (the space stops it).
        assertFalse(payload("content:\"q=\"; base64_decode; base64_data; content:\"World\";",
            "GET /?q=SGVsbG8gV29ybGQ="));
    }

    @Test
    void bytesLimitsWhatIsDecoded()
    {
        // The first 8 characters decode to "Hello ": "World" is past them.
        assertFalse(payload("base64_decode:bytes 8; base64_data; content:\"World\";", "SGVsbG8gV29ybGQ="));
        assertTrue(payload("base64_decode:bytes 16; base64_data; content:\"World\";", "SGVsbG8gV29ybGQ="));
    }

    @Test
    void offsetSkipsBytesFirst()
    {
        assertTrue(payload("base64_decode:offset 4; base64_data; content:\"Hello\"; startswith;", "xxxxSGVsbG8="));
        // Offset 3 decodes "xSGV..." into other bytes.
        assertFalse(payload("base64_decode:offset 3; base64_data; content:\"Hello\"; startswith;", "xxxxSGVsbG8="));
        // Relative and offset: one byte after "q=".
        assertTrue(payload("content:\"q=\"; base64_decode:offset 1,relative; base64_data; content:\"Hello\";"
            + " startswith;", "q=-SGVsbG8="));
        assertFalse(payload("content:\"q=\"; base64_decode:offset 1,relative; base64_data; content:\"Hello\";"
            + " startswith;", "q=SGVsbG8="));
        // An offset at or past the end: nothing to decode, no match.
        assertFalse(payload("base64_decode:offset 12; base64_data; content:!\"x\";", "xxxxSGVsbG8="));
    }

    @Test
    void aByteOutsideTheAlphabetEndsTheData()
    {
        // "SGVs" decodes to "Hel"; '!' ends the data.
        assertTrue(payload("base64_decode; base64_data; content:\"Hel\"; endswith;", "SGVs!bG8="));
        assertFalse(payload("base64_decode; base64_data; content:\"Hello\";", "SGVs!bG8="));
    }

    @Test
    void inAStickyBuffer()
    {
        final String rule = "http.uri; content:\"q=\"; base64_decode:relative; base64_data; content:\"cmd.exe\";";
        assertTrue(matches(rule, in -> in.set(Buffer.HTTP_URI, segment("/a?q=Y21kLmV4ZQ=="))));
        assertFalse(matches(rule, in -> in.set(Buffer.HTTP_URI, segment("/a?q=SGVsbG8="))));
        // The payload holds the encoding, the URI does not.
        assertFalse(matches(rule, in -> in.set(Buffer.HTTP_URI, segment("/a"))
            .set(Buffer.PAYLOAD, segment("q=Y21kLmV4ZQ=="))));
    }

    @Test
    void base64DataKeywordsFollowSuricatasPositions()
    {
        // Inside the decoded data positions start at 0: "World" starts at 6 of "Hello World".
        assertTrue(payload("base64_decode; base64_data; content:\"World\"; offset:6; depth:5;", "SGVsbG8gV29ybGQ="));
        assertFalse(payload("base64_decode; base64_data; content:\"World\"; offset:7;", "SGVsbG8gV29ybGQ="));
        assertTrue(payload("base64_decode; base64_data; content:\"Hello\"; content:\"World\"; distance:1;",
            "SGVsbG8gV29ybGQ="));
        assertFalse(payload("base64_decode; base64_data; content:\"Hello\"; content:\"World\"; distance:2;",
            "SGVsbG8gV29ybGQ="));
    }

    @Test
    void base64DecodeDoesNotMakeTheContentBeforeItSearchAgain()
    {
        // Suricata sets no "search again" flag for base64_decode: only the first "q=" is decoded ("xx" then
        // a space), so the encoding after the second "q=" is never reached.
        assertFalse(payload("content:\"q=\"; base64_decode:relative; base64_data; content:\"Hello\";",
            "q=xx q=SGVsbG8="));
        assertTrue(payload("content:\"q=\"; base64_decode:relative; base64_data; content:\"Hello\";",
            "q=SGVsbG8= q=xx"));
    }
}
