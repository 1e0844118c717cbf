package io.opensase.ips.dlp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** min_count per message, flow_threshold across a flow's messages, actions, and flows kept apart. */
class ThresholdsTest
{
    @TempDir
    Path folder;

    @Test
    void shouldWaitForMinCountWithinOneMessage()
    {
        try (DlpEngine engine = DlpTesting.engine(folder, """
            profiles:
              - name: bulk
                detectors:
                  - type: us_ssn
                    min_count: 3
            """))
        {
            final DlpScanner scanner = engine.newScanner();
            assertTrue(DlpTesting.scan(scanner, "347-58-2916 078-05-1120").all.isEmpty());
            assertEquals("[dlp profile=bulk detector=us_ssn action=alert count=3 flow_count=3 sample=*****9999]",
                DlpTesting.scan(scanner, "347-58-2916 078-05-1120 219-09-9999 347-58-2916").all.toString(),
                "one finding per detector and message, when the third match arrives");
        }
    }

    @Test
    void shouldActOnceTheFlowReachesItsThreshold()
    {
        try (DlpEngine engine = DlpTesting.engine(folder, """
            profiles:
              - name: cards
                action: block
                flow_threshold: 3
                detectors: [{type: payment_card}]
              - name: watch
                detectors: [{type: payment_card, name: cards-seen}]
            """))
        {
            final DlpScanner scanner = engine.newScanner();
            final DlpTesting.Findings findings = new DlpTesting.Findings();
            final int flow = scanner.openFlow();
            final int other = scanner.openFlow();
            message(scanner, flow, "4111111111111111", findings);
            message(scanner, other, "4111111111111111 5555555555554444", findings);
            message(scanner, flow, "nothing here", findings);
            message(scanner, flow, "4242424242424242", findings);
            assertFalse(scanner.blocked(flow));
            assertEquals(3, findings.all.size(), "the watch profile reports each message with a card: " + findings.all);
            message(scanner, flow, "5555555555554444", findings);
            assertTrue(scanner.blocked(flow));
            assertFalse(scanner.blocked(other), "the other flow had two cards");
            assertEquals("dlp profile=cards detector=payment_card action=block count=1 flow_count=3 "
                + "sample=5555********4444", findings.all.get(3));
            assertEquals(5, findings.all.size());
            scanner.closeFlow(flow);
            final int reused = scanner.openFlow();
            assertEquals(flow, reused);
            assertFalse(scanner.blocked(reused), "a reopened flow starts clean");
        }
    }

    @Test
    void shouldCountAWordGivenTwiceOnce()
    {
        try (DlpEngine engine = DlpTesting.engine(folder, """
            profiles:
              - name: words
                detectors:
                  - type: keywords
                    min_count: 2
                    words: [secret plan, Secret Plan]
            """))
        {
            final DlpScanner scanner = engine.newScanner();
            assertTrue(DlpTesting.scan(scanner, "the secret plan").all.isEmpty(), "one match, not two");
            assertEquals(1, DlpTesting.scan(scanner, "the secret plan, the SECRET PLAN").all.size());
        }
    }

    private static void message(final DlpScanner scanner, final int flow, final String text, final DlpSink sink)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        scanner.scan(flow, bytes, 0, bytes.length, sink);
        scanner.endMessage(flow, sink);
    }
}
