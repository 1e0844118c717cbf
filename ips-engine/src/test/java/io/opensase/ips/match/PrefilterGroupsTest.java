package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The prefilter groups the matcher adds to the buffers' own, on both engines: a TCP packet's payload that went
 * into its flow's stream is scanned only for the literals of rules that inspect packets ({@code dsize},
 * {@code tcp-pkt}), since stream rules see those bytes on the stream; an HTTP body set as {@code file.data} and
 * as the body buffer (or two buffers of equal bytes) is scanned once for the literals of both, and finds what
 * two scans found.
 */
class PrefilterGroupsTest
{
    private static final PrefilterEngine[] ENGINES = {PrefilterEngine.JAVA, PrefilterEngine.HYPERSCAN};
    private static final List<Rule> RULES = MatchTesting.rules(
        "alert tcp any any -> any any (dsize:>3; content:\"abc\"; sid:1;)",
        "alert tcp any any -> any any (content:\"def\"; sid:2;)",
        "alert tcp-pkt any any -> any any (content:\"xyz\"; sid:3;)",
        "alert tcp any any -> any any (content:\"xyz\"; sid:4;)");
    private static final MemorySegment PAYLOAD =
        MemorySegment.ofArray("abc def xyz".getBytes(StandardCharsets.US_ASCII));

    @Test
    void aPayloadInTheStreamIsScannedForPacketRulesOnly()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            // 4 shares its literal with 3, so it is a candidate; the caller leaves stream rules out of this match.
            assertEquals(Set.of(1L, 3L, 4L), sids(engine, true), engine.name());
        }
    }

    /** That group is scanned on TCP packets alone: a UDP or ICMP packet rule's literal stays out of it. */
    @Test
    void aPayloadInTheStreamIsNotScannedForUdpOrIcmpRules()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert udp any any -> any any (dsize:>3; content:\"abc\"; sid:5;)",
            "alert icmp any any -> any any (dsize:>3; content:\"xyz\"; sid:6;)",
            "alert tcp any any -> any any (content:\"def\"; sid:2;)");
        final List<Rule> withTcp = MatchTesting.rules(
            "alert udp any any -> any any (dsize:>3; content:\"abc\"; sid:5;)",
            "alert ip any any -> any any (dsize:>3; content:\"xyz\"; sid:7;)");
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(0, scans(rules, engine, inStream()), engine.name());
            assertEquals(Set.of(), sids(rules, engine, inStream()), engine.name());
            assertEquals(1, scans(withTcp, engine, inStream()), engine.name() + ": an ip rule may be TCP");
            assertEquals(Set.of(7L), sids(withTcp, engine, inStream()), engine.name());
        }
    }

    /**
     * A payload going one way is scanned without the literals of rules that need the other way; one without a
     * direction with all of them. The candidates show it: before, each payload made both rules candidates.
     */
    @Test
    void aPayloadIsScannedForTheLiteralsOfItsDirection()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert tcp any any -> any any (flow:to_server; content:\"abc\"; sid:31;)",
            "alert tcp any any -> any any (flow:to_client; content:\"def\"; sid:32;)",
            "alert tcp any any -> any any (content:\"xyz\"; sid:33;)");
        for (final PrefilterEngine engine : ENGINES)
        {
            try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
                RuleMatcher.Worker worker = matcher.newWorker())
            {
                final long[] candidates = new long[3];
                final List<Set<Long>> matched = new ArrayList<>();
                final MatchInput.Direction[] directions = {
                    MatchInput.Direction.TO_SERVER, MatchInput.Direction.TO_CLIENT, MatchInput.Direction.NONE};
                for (int i = 0; i < directions.length; i++)
                {
                    final long before = worker.candidatesChecked();
                    final Set<Long> sids = new TreeSet<>();
                    final MatchInput input = new MatchInput().flow(directions[i], true, false)
                        .set(Buffer.PAYLOAD, PAYLOAD);
                    for (int m = 0, n = worker.match(input); m < n; m++)
                    {
                        sids.add(worker.sid(m));
                    }
                    candidates[i] = worker.candidatesChecked() - before;
                    matched.add(sids);
                }
                assertEquals(List.of(Set.of(31L, 33L), Set.of(32L, 33L), Set.of(33L)), matched, engine.name());
                assertEquals(List.of(2L, 2L, 3L), List.of(candidates[0], candidates[1], candidates[2]),
                    engine.name());
            }
        }
    }

    /** A value shorter than every literal of its group cannot hold one: it is not scanned. */
    @Test
    void aValueShorterThanEveryLiteralOfItsGroupIsNotScanned()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert http any any -> any any (http.method; content:\"POST\"; sid:41;)",
            "alert http any any -> any any (http.method; content:\"DELETE\"; sid:42;)");
        final MemorySegment get = MemorySegment.ofArray("GET".getBytes(StandardCharsets.US_ASCII));
        final MemorySegment post = MemorySegment.ofArray("POST".getBytes(StandardCharsets.US_ASCII));
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(0, scans(rules, engine, request().set(Buffer.HTTP_METHOD, get)), engine.name());
            assertEquals(1, scans(rules, engine, request().set(Buffer.HTTP_METHOD, post)), engine.name());
            // A request goes to the server, the way an http.method rule holds.
            assertEquals(Set.of(41L), sids(rules, engine, request().set(Buffer.HTTP_METHOD, post)),
                engine.name());
        }
    }

    /** What the stage asks before building a buffer: whether any rule reads it. */
    @Test
    void theMatcherSaysWhichBuffersItsRulesRead()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert http any any -> any any (http.request_header; content:\"Host\"; sid:51;)",
            "alert http any any -> any any (http.method; bsize:3; sid:52;)");
        try (RuleMatcher matcher = RuleMatcher.compile(rules, PrefilterEngine.JAVA, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT))
        {
            assertEquals(true, matcher.inspects(Buffer.HTTP_REQUEST_HEADER));
            assertEquals(true, matcher.inspects(Buffer.HTTP_METHOD), "a buffer read by bsize alone");
            assertEquals(false, matcher.inspects(Buffer.HTTP_RESPONSE_HEADER));
        }
    }

    private static MatchInput inStream()
    {
        return new MatchInput().ipv4(1, 64, 6).tcp(0x18, 0, 0, 0).packetPayloadSize((int)PAYLOAD.byteSize())
            .set(Buffer.PAYLOAD, PAYLOAD).payloadInStream();
    }

    @Test
    void aPayloadOutsideAStreamIsScannedForEveryRule()
    {
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(Set.of(1L, 2L, 3L, 4L), sids(engine, false), engine.name());
        }
    }

    @Test
    void aBodyThatIsFileDataTooIsScannedOnceForBoth()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert http any any -> any any (flow:to_client; file.data; content:\"abc\"; sid:11;)",
            "alert http any any -> any any (flow:to_client; http.response_body; content:\"def\"; sid:12;)",
            "alert http any any -> any any (flow:to_client; http.response_body; content:\"abc\"; sid:13;)",
            "alert http any any -> any any (flow:to_client; file.data; content:\"nope\"; sid:14;)");
        final MemorySegment body = MemorySegment.ofArray("abc def".getBytes(StandardCharsets.US_ASCII));
        final MemorySegment other = MemorySegment.ofArray("xyz def".getBytes(StandardCharsets.US_ASCII));
        for (final PrefilterEngine engine : ENGINES)
        {
            assertEquals(Set.of(11L, 12L, 13L), sids(rules, engine, new MatchInput().flow(
                MatchInput.Direction.TO_CLIENT, true, false).set(Buffer.FILE_DATA, body)
                .set(Buffer.HTTP_RESPONSE_BODY, body)), engine.name());
            assertEquals(1, scans(rules, engine, new MatchInput().set(Buffer.FILE_DATA, body)
                .set(Buffer.HTTP_RESPONSE_BODY, body)), engine.name());
            assertEquals(2, scans(rules, engine, new MatchInput().set(Buffer.FILE_DATA, body)
                .set(Buffer.HTTP_RESPONSE_BODY, other)), engine.name());
            // Different bytes: each buffer is scanned for its own literals.
            assertEquals(Set.of(11L, 12L), sids(rules, engine, new MatchInput().flow(
                MatchInput.Direction.TO_CLIENT, true, false).set(Buffer.FILE_DATA, body)
                .set(Buffer.HTTP_RESPONSE_BODY, other)), engine.name());
        }
    }

    /** A response body is not scanned for the literals of request body rules, nor a request's for response's. */
    @Test
    void aBodyIsScannedForTheLiteralsOfItsOwnKind()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert http any any -> any any (http.request_body; content:\"abc\"; sid:41;)",
            "alert http any any -> any any (http.response_body; content:\"abc\"; sid:42;)",
            "alert http any any -> any any (file.data; content:\"abc\"; sid:43;)");
        final MemorySegment body = MemorySegment.ofArray("abc".getBytes(StandardCharsets.US_ASCII));
        for (final PrefilterEngine engine : ENGINES)
        {
            try (RuleMatcher matcher = RuleMatcher.compile(rules, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
                RuleMatcher.Worker worker = matcher.newWorker())
            {
                final MatchInput response = new MatchInput().flow(MatchInput.Direction.TO_CLIENT, true, false)
                    .set(Buffer.FILE_DATA, body).set(Buffer.HTTP_RESPONSE_BODY, body);
                assertEquals(Set.of(42L, 43L), sids(rules, engine, response), engine.name());
                worker.match(response);
                assertEquals(2, worker.candidatesChecked(), engine.name() + ": 41 is no candidate");
                final MatchInput request = new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, false)
                    .set(Buffer.FILE_DATA, body).set(Buffer.HTTP_REQUEST_BODY, body);
                assertEquals(Set.of(41L, 43L), sids(rules, engine, request), engine.name());
                worker.match(request);
                assertEquals(4, worker.candidatesChecked(), engine.name() + ": 42 is no candidate");
                assertEquals(2, worker.prefilterScans(), engine.name() + ": one scan per body");
            }
        }
    }

    private static Set<Long> sids(final PrefilterEngine engine, final boolean inStream)
    {
        final MatchInput input = new MatchInput().ipv4(1, 64, 6).tcp(0x18, 0, 0, 0)
            .packetPayloadSize((int)PAYLOAD.byteSize()).set(Buffer.PAYLOAD, PAYLOAD);
        if (inStream)
        {
            input.payloadInStream();
        }
        return sids(RULES, engine, input);
    }

    /** Two copies of the same header bytes (http.header needed no normalising) are scanned once. */
    @Test
    void equalBytesInTwoPlacesAreScannedOnce()
    {
        final List<Rule> rules = MatchTesting.rules(
            "alert http any any -> any any (http.header; content:\"X-A|3a| 1\"; sid:21;)",
            "alert http any any -> any any (http.header.raw; content:\"X-B|3a| 2\"; sid:22;)");
        final byte[] header = "X-A: 1\r\nX-B: 2\r\n".getBytes(StandardCharsets.US_ASCII);
        final MemorySegment cooked = MemorySegment.ofArray(header.clone());
        final MemorySegment raw = MemorySegment.ofArray(header.clone());
        for (final PrefilterEngine engine : ENGINES)
        {
            final MatchInput input = new MatchInput().set(Buffer.HTTP_HEADER, cooked).set(Buffer.HTTP_HEADER_RAW, raw);
            assertEquals(1, scans(rules, engine, input), engine.name());
            assertEquals(Set.of(21L, 22L), sids(rules, engine, input), engine.name());
        }
    }

    private static long scans(final List<Rule> rules, final PrefilterEngine engine, final MatchInput input)
    {
        return MatchTesting.scans(rules, engine, input);
    }

    private static Set<Long> sids(final List<Rule> rules, final PrefilterEngine engine, final MatchInput input)
    {
        return MatchTesting.sids(rules, engine, input);
    }

    private static MatchInput request()
    {
        return new MatchInput().flow(MatchInput.Direction.TO_SERVER, true, false);
    }
}
