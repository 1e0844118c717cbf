package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A TCP packet's payload that went into its flow's stream is scanned only for the literals of rules that
 * inspect packets ({@code dsize}, {@code tcp-pkt}); stream rules see those bytes on the stream. Both engines.
 */
class PacketPayloadGroupTest
{
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
        for (final PrefilterEngine engine : new PrefilterEngine[] {PrefilterEngine.JAVA, PrefilterEngine.HYPERSCAN})
        {
            // 4 shares its literal with 3, so it is a candidate; the caller leaves stream rules out of this match.
            assertEquals(Set.of(1L, 3L, 4L), sids(engine, true), engine.name());
        }
    }

    @Test
    void aPayloadOutsideAStreamIsScannedForEveryRule()
    {
        for (final PrefilterEngine engine : new PrefilterEngine[] {PrefilterEngine.JAVA, PrefilterEngine.HYPERSCAN})
        {
            assertEquals(Set.of(1L, 2L, 3L, 4L), sids(engine, false), engine.name());
        }
    }

    private static Set<Long> sids(final PrefilterEngine engine, final boolean inStream)
    {
        try (RuleMatcher matcher = RuleMatcher.compile(RULES, engine, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            RuleMatcher.Worker worker = matcher.newWorker())
        {
            final MatchInput input = new MatchInput().ipv4(1, 64, 6).tcp(0x18, 0, 0, 0)
                .packetPayloadSize((int)PAYLOAD.byteSize()).set(Buffer.PAYLOAD, PAYLOAD);
            if (inStream)
            {
                input.payloadInStream();
            }
            final Set<Long> sids = new TreeSet<>();
            for (int i = 0, n = worker.match(input); i < n; i++)
            {
                sids.add(worker.sid(i));
            }
            return sids;
        }
    }
}
