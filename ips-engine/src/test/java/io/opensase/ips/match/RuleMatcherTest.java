package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static io.opensase.ips.match.MatchTesting.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verification semantics, keyword by keyword, each case worked out by hand from Suricata's content
 * inspection: one input that must match and one that must not. Every case runs on the Hyperscan and the
 * Java prefilter and on verification alone, which must all agree.
 */
class RuleMatcherTest
{
    /** True when the TCP rule with {@code options} matches {@code payload} (an established to-server stream). */
    private static boolean payload(final String options, final String payload)
    {
        return matches(options, in -> in.set(Buffer.PAYLOAD, segment(payload)));
    }

    private static boolean matches(final String options, final Consumer<MatchInput> fill)
    {
        return matches(options, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT, fill);
    }

    private static boolean matches(final String options, final int pcreLimit, final Consumer<MatchInput> fill)
    {
        final List<Rule> rules = MatchTesting.rules("alert tcp any any -> any any (" + options + " sid:7;)");
        final MatchInput input = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, true);
        fill.accept(input);
        Boolean answer = null;
        for (final PrefilterEngine engine : List.of(PrefilterEngine.HYPERSCAN, PrefilterEngine.JAVA))
        {
            try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, pcreLimit);
                RuleMatcher.Worker worker = matcher.newWorker())
            {
                assertEquals(1, matcher.enforced().size(), "enforced: " + matcher.notEnforced());
                final int n = worker.match(input);
                final int reference = worker.matchWithoutPrefilter(input);
                assertEquals(reference, n, engine + ": prefiltered and plain verification differ");
                assertTrue(n <= 1);
                if (1 == n)
                {
                    assertEquals(7, worker.sid(0));
                }
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
    void content()
    {
        assertTrue(payload("content:\"abc\";", "xxabcxx"));
        assertFalse(payload("content:\"abc\";", "xxabxcx"));
        assertTrue(payload("content:\"a|00 ff|b\";", "-a\u0000\u00ffb-"));
        assertFalse(payload("content:\"a|00 ff|b\";", "-a\u0000\u00feb-"));
    }

    @Test
    void nocase()
    {
        assertTrue(payload("content:\"AbC\"; nocase;", "xaBcx"));
        assertFalse(payload("content:\"AbC\";", "xaBcx"));
        assertFalse(payload("content:\"\u00e9\"; nocase;", "\u00c9"));
    }

    @Test
    void offsetAndDepth()
    {
        // The window is bytes 2 to 5: the match must start at 2 or later and end at 6 or earlier.
        assertTrue(payload("content:\"abc\"; offset:2; depth:4;", "xxabcx"));
        assertTrue(payload("content:\"abc\"; offset:2; depth:4;", "xxxabc"));
        assertFalse(payload("content:\"abc\"; offset:2; depth:4;", "xxxxabc"));
        assertFalse(payload("content:\"abc\"; offset:2; depth:4;", "abcxxxx"));
        assertTrue(payload("content:\"abc\"; depth:3;", "abcabc"));
        assertFalse(payload("content:\"abc\"; depth:3;", "xabc"));
    }

    @Test
    void distanceAndWithin()
    {
        // After "a" ends at 1: the next match may start at 1+1=2 and must end by 1+1+2=4.
        assertTrue(payload("content:\"a\"; content:\"b\"; distance:1; within:2;", "axb"));
        assertTrue(payload("content:\"a\"; content:\"b\"; distance:1; within:2;", "axxb"));
        assertFalse(payload("content:\"a\"; content:\"b\"; distance:1; within:2;", "ab"));
        assertFalse(payload("content:\"a\"; content:\"b\"; distance:1; within:2;", "axxxb"));
        // A negative distance reaches back before the previous match.
        assertTrue(payload("content:\"def\"; content:\"abc\"; distance:-6; within:3;", "abcdef"));
        assertFalse(payload("content:\"def\"; content:\"abc\"; distance:-5; within:3;", "abcdef"));
    }

    @Test
    void laterOccurrencesAreTriedForRelativeKeywords()
    {
        // The first "a" is not followed by "b"; the engine searches "a" again from one past its start.
        assertTrue(payload("content:\"a\"; content:\"b\"; distance:0; within:1;", "a a ab"));
        assertFalse(payload("content:\"a\"; content:\"b\"; distance:0; within:1;", "a a a b"));
        assertTrue(payload("content:\"a\"; pcre:\"/^b/R\";", "axab"));
        // "b" is anchored (for retries) to the last content before it, the negated "z": "a" is never searched
        // again, so the "ab" at 2 is not found. This is Suricata's behaviour, kept as it is.
        assertFalse(payload("content:\"a\"; content:!\"z\"; content:\"b\"; distance:0; within:1;", "axab"));
        assertTrue(payload("content:\"a\"; content:!\"z\"; content:\"b\"; distance:0; within:1;", "abab"));
    }

    @Test
    void negatedContent()
    {
        assertTrue(payload("content:!\"evil\";", "good"));
        assertFalse(payload("content:!\"evil\";", "so evil"));
        // "a" not directly followed by "b": the first "a" is, the second is not.
        assertTrue(payload("content:\"a\"; content:!\"b\"; distance:0; within:1;", "ab ac"));
        assertFalse(payload("content:\"a\"; content:!\"b\"; distance:0; within:1;", "ab ab"));
        assertTrue(payload("content:\"x\"; content:!\"y\"; offset:3; depth:2;", "xyy--y"));
        assertFalse(payload("content:\"x\"; content:!\"y\"; offset:3; depth:2;", "x--y--"));
    }

    @Test
    void startsWithAndEndsWith()
    {
        assertTrue(payload("content:\"GET\"; startswith;", "GET /"));
        assertFalse(payload("content:\"GET\"; startswith;", " GET /"));
        assertTrue(payload("content:\".exe\"; endswith;", "a.exe"));
        assertTrue(payload("content:\".exe\"; endswith;", "a.exe.exe"));
        assertFalse(payload("content:\".exe\"; endswith;", "a.exe?"));
        assertTrue(payload("content:\"a\"; content:\"z\"; distance:0; endswith;", "azbz"));
        assertFalse(payload("content:\"a\"; content:\"z\"; distance:0; endswith;", "azbzb"));
    }

    @Test
    void isDataAt()
    {
        // Relative: at least N bytes after the previous match (Suricata: position + N <= length).
        assertTrue(payload("content:\"a\"; isdataat:2,relative;", "axx"));
        assertFalse(payload("content:\"a\"; isdataat:2,relative;", "ax"));
        assertTrue(payload("content:\"a\"; isdataat:!2,relative;", "ax"));
        assertFalse(payload("content:\"a\"; isdataat:!2,relative;", "axx"));
        // Absolute: a byte at offset N (N < length).
        assertTrue(payload("content:\"a\"; isdataat:3;", "abcd"));
        assertFalse(payload("content:\"a\"; isdataat:3;", "abc"));
        assertTrue(payload("content:\"a\"; isdataat:!3;", "abc"));
        // Retried with the content: the second "a" has two bytes after it.
        assertTrue(payload("content:\"a\"; isdataat:!2,relative;", "axxxa"));
    }

    @Test
    void bsizeAndUrilen()
    {
        assertTrue(matches("http.uri; content:\"/a\"; bsize:2;", in -> in.set(Buffer.HTTP_URI, segment("/a"))));
        assertFalse(matches("http.uri; content:\"/a\"; bsize:2;", in -> in.set(Buffer.HTTP_URI, segment("/ab"))));
        assertTrue(matches("http.uri; content:\"/\"; bsize:>2;", in -> in.set(Buffer.HTTP_URI, segment("/ab"))));
        assertTrue(matches("urilen:>3; content:\"/\"; http_uri;", in -> in.set(Buffer.HTTP_URI, segment("/abc"))));
        assertFalse(matches("urilen:>3; content:\"/\"; http_uri;", in -> in.set(Buffer.HTTP_URI, segment("/ab"))));
    }

    @Test
    void dsize()
    {
        assertTrue(matches("dsize:>5; content:\"a\";",
            in -> in.set(Buffer.PAYLOAD, segment("aaaaaa")).packetPayloadSize(6)));
        assertFalse(matches("dsize:>5; content:\"a\";",
            in -> in.set(Buffer.PAYLOAD, segment("aaaaa")).packetPayloadSize(5)));
        // Reassembled stream data has no packet size: dsize rules do not match it.
        assertFalse(matches("dsize:>5; content:\"a\";", in -> in.set(Buffer.PAYLOAD, segment("aaaaaaa"))));
        assertTrue(matches("dsize:0;", in -> in.packetPayloadSize(0)));
    }

    @Test
    void pcre()
    {
        assertTrue(payload("pcre:\"/ab+c/\";", "xabbbc"));
        assertFalse(payload("pcre:\"/ab+c/\";", "xac"));
        assertFalse(payload("pcre:\"/^ab/\";", "xab"));
        assertTrue(payload("pcre:\"/AB/i\";", "xab"));
        // Relative: the subject starts where the previous match ended, so ^ anchors there.
        assertTrue(payload("content:\"x\"; pcre:\"/^ab/R\";", "xab"));
        assertFalse(payload("content:\"x\"; pcre:\"/^ab/R\";", "xcab"));
        // Lookbehind sees no byte before the relative subject.
        assertFalse(payload("content:\"x\"; pcre:\"/(?<=x)a/R\";", "xa"));
        assertTrue(payload("pcre:!\"/evil/i\"; content:\"a\";", "a good one"));
        assertFalse(payload("pcre:!\"/evil/i\"; content:\"a\";", "a EVIL one"));
        // A pcre anchored to by a later relative keyword is searched again from one past its match's start.
        assertTrue(payload("pcre:\"/a./\"; content:\"z\"; distance:0; within:1;", "abacz"));
        assertFalse(payload("pcre:\"/a./\"; content:\"z\"; distance:0; within:1;", "abacyz"));
        // On a search again, ^ still means the subject start (PCRE2's start offset), not the retry point.
        assertFalse(payload("pcre:\"/^a./\"; content:\"z\"; distance:0; within:1;", "abacz"));
    }

    @Test
    void pcreSeesAtMostItsSubjectLimit()
    {
        final Consumer<MatchInput> fill = in -> in.set(Buffer.PAYLOAD, segment("aaaaaax"));
        assertTrue(matches("pcre:\"/x$/\";", 64, fill));
        assertFalse(matches("pcre:\"/x$/\";", 4, fill));
    }

    @Test
    void flow()
    {
        final String rule = "flow:established,to_server; content:\"a\";";
        assertTrue(matches(rule, in -> in.set(Buffer.PAYLOAD, segment("a"))));
        assertFalse(matches(rule, in -> in.set(Buffer.PAYLOAD, segment("a"))
            .flow(MatchInput.Direction.TO_CLIENT, true, true)));
        assertFalse(matches(rule, in -> in.set(Buffer.PAYLOAD, segment("a"))
            .flow(MatchInput.Direction.TO_SERVER, false, true)));
        assertFalse(matches(rule, in -> in.set(Buffer.PAYLOAD, segment("a"))
            .flow(MatchInput.Direction.NONE, false, false)));
        assertTrue(matches("flow:not_established; content:\"a\";", in -> in.set(Buffer.PAYLOAD, segment("a"))
            .flow(MatchInput.Direction.NONE, false, false)));
        assertTrue(matches("flow:stateless; content:\"a\";", in -> in.set(Buffer.PAYLOAD, segment("a"))
            .flow(MatchInput.Direction.NONE, false, false)));
        assertFalse(matches("flow:only_stream; content:\"a\";", in -> in.set(Buffer.PAYLOAD, segment("a"))
            .flow(MatchInput.Direction.TO_SERVER, true, false)));
        assertTrue(matches("flow:no_stream; content:\"a\";", in -> in.set(Buffer.PAYLOAD, segment("a"))
            .flow(MatchInput.Direction.TO_SERVER, true, false)));
    }

    @Test
    void multiBuffers()
    {
        assertTrue(matches("dns.query; content:\"evil\";",
            in -> in.add(Buffer.DNS_QUERY, segment("good.example")).add(Buffer.DNS_QUERY, segment("evil.example"))));
        // One inspection: all its keywords on the same value.
        assertFalse(matches("dns.query; content:\"a.\"; content:\"b.\";",
            in -> in.add(Buffer.DNS_QUERY, segment("a.x")).add(Buffer.DNS_QUERY, segment("b.y"))));
        assertTrue(matches("dns.query; content:\"a.\"; content:\"b.\";",
            in -> in.add(Buffer.DNS_QUERY, segment("a.x")).add(Buffer.DNS_QUERY, segment("a.b.y"))));
        // Naming the buffer again opens a second inspection, which may hold on another value.
        assertTrue(matches("dns.query; content:\"a.\"; dns.query; content:\"b.\";",
            in -> in.add(Buffer.DNS_QUERY, segment("a.x")).add(Buffer.DNS_QUERY, segment("b.y"))));
    }

    @Test
    void everyBufferOfTheRuleMustBePresent()
    {
        final String rule = "content:\"GET\"; http_method; content:\"/admin\"; http_uri; content:\"x\";";
        assertTrue(matches(rule, in -> in.set(Buffer.HTTP_METHOD, segment("GET"))
            .set(Buffer.HTTP_URI, segment("/admin")).set(Buffer.PAYLOAD, segment("x"))));
        assertFalse(matches(rule, in -> in.set(Buffer.HTTP_METHOD, segment("GET"))
            .set(Buffer.HTTP_URI, segment("/admin"))));
        assertFalse(matches(rule, in -> in.set(Buffer.HTTP_METHOD, segment("POST"))
            .set(Buffer.HTTP_URI, segment("/admin")).set(Buffer.PAYLOAD, segment("x"))));
        // An empty payload is not inspected, as in Suricata.
        assertFalse(payload("content:!\"x\";", ""));
        assertTrue(payload("content:!\"x\";", "abc"));
    }
}
