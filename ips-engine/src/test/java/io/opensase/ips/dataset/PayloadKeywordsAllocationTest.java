package io.opensase.ips.dataset;

import io.opensase.ips.match.MatchInput;
import io.opensase.ips.match.PrefilterEngine;
import io.opensase.ips.match.RuleMatcher;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.Variables;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte keywords, base64_decode with base64_data, and dataset lookups and changes allocate nothing per
 * match once warm: 20,000 matches per round, the least of five rounds after a first (a one-off compiler event
 * may allocate).
 */
class PayloadKeywordsAllocationTest
{
    @Test
    void shouldAllocateNothingPerMatch() throws IOException
    {
        try (Datasets datasets = new Datasets(null))
        {
            final RuleSet set = new RuleSetLoader(Variables.anyDefaults(), null, datasets, null).loadText(String.join(
                "\n",
                "alert tcp any any -> any any (content:\"L\"; byte_extract:1,0,n,relative; content:\"X\"; distance:0;"
                    + " within:n; byte_test:1,>,0x20,0,relative; byte_jump:1,0,relative,multiplier 1; sid:1;)",
                "alert tcp any any -> any any (content:\"q=\"; base64_decode:relative; base64_data;"
                    + " content:\"Hello\"; sid:2;)",
                "alert dns any any -> any any (dns.query; dataset:set,seen, type string; sid:3;)",
                "alert dns any any -> any any (dns.query; dataset:unset,seen, type string; sid:4;)",
                "alert dns any any -> any any (dns.query; dataset:isnotset,seen, type string; sid:5;)"));
            assertTrue(set.skipped().isEmpty(), () -> set.skipped().toString());
            try (RuleMatcher matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, 4096, datasets);
                RuleMatcher.Worker worker = matcher.newWorker())
            {
                // "L", n = 3, "X" within 3, then 'y' > 0x20 and a jump of 0x79 = 121 past the end: sid 1 fails
                // at its last keyword after all the others ran; "SGVsbG8=" is "Hello".
                final MemorySegment payload = MemorySegment.ofArray(
                    "L\u0003abXy q=SGVsbG8=".getBytes(StandardCharsets.ISO_8859_1));
                final MemorySegment[] names = new MemorySegment[64];
                for (int i = 0; i < names.length; i++)
                {
                    names[i] = MemorySegment.ofArray(("host-" + i + ".example").getBytes(StandardCharsets.US_ASCII));
                }
                final MatchInput input = new MatchInput();
                final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
                final long thread = Thread.currentThread().threadId();
                long matched = 0;
                long allocated = Long.MAX_VALUE;
                for (int round = 0; round < 6; round++)
                {
                    final long before = threads.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < 20_000; i++)
                    {
                        input.clear().flow(MatchInput.Direction.TO_SERVER, true, true)
                            .set(Buffer.PAYLOAD, payload).add(Buffer.DNS_QUERY, names[i & 63]);
                        matched += worker.match(input);
                    }
                    if (round > 0)
                    {
                        allocated = Math.min(allocated, threads.getThreadAllocatedBytes(thread) - before);
                    }
                }
                // Each input: sid 2, and sid 3 adds the name, sid 4 removes it (sid 5 then finds it absent).
                assertEquals(6 * 20_000 * 4, matched);
                assertEquals(0, allocated, "allocated " + allocated + " bytes in 20,000 matches");
            }
        }
    }
}
