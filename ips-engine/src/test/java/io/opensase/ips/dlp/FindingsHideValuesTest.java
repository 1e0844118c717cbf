package io.opensase.ips.dlp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No finding carries a matched value in clear: for every shared should-match value, found by a policy with
 * every built-in detector, neither the finding's string form nor its masked sample contains the value, with
 * or without its separators. What a sample may keep is checked exactly for each kind.
 */
class FindingsHideValuesTest
{
    @TempDir
    Path folder;

    /**
     * {@link DlpScanner#matchesIn}, which the IPS stage uses to mask logged request values: every shared
     * should-match value is found alone, URL-encoded too, and no should-not-match value is; nothing is counted.
     */
    @Test
    void shouldTellWhetherAValueAloneHoldsAMatch()
    {
        final List<DetectorType> types = new ArrayList<>();
        for (final DetectorType type : DetectorType.values())
        {
            if (type != DetectorType.KEYWORDS && type != DetectorType.EDM)
            {
                types.add(type);
            }
        }
        int checked = 0;
        try (DlpEngine engine = DlpTesting.detectors(folder, types.toArray(DetectorType[]::new)))
        {
            final DlpScanner scanner = engine.newScanner();
            for (final SharedListsTest.Entry entry : SharedListsTest.entries())
            {
                final byte[] plain = ("v=" + entry.value() + "&x=1").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                final byte[] encoded = ("v=" + java.net.URLEncoder.encode(entry.value(),
                    java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "&x=1")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (entry.match())
                {
                    assertTrue(scanner.matchesIn(plain, 0, plain.length, false), entry.toString());
                    assertTrue(scanner.matchesIn(encoded, 0, encoded.length, true), entry.toString());
                    checked++;
                }
            }
            assertFalse(scanner.matchesIn("GET /index.html?page=2".getBytes(), 0, 22, true));
            assertEquals(0, scanner.matches(), "probes are not counted");
        }
        assertTrue(checked > 250, "values checked: " + checked);
    }

    @Test
    void shouldNeverCarryAClearValue()
    {
        final List<DetectorType> types = new ArrayList<>();
        for (final DetectorType type : DetectorType.values())
        {
            if (type != DetectorType.KEYWORDS && type != DetectorType.EDM)
            {
                types.add(type);
            }
        }
        int checked = 0;
        try (DlpEngine engine = DlpTesting.detectors(folder, types.toArray(DetectorType[]::new)))
        {
            final DlpScanner scanner = engine.newScanner();
            for (final SharedListsTest.Entry entry : SharedListsTest.entries())
            {
                if (!entry.match())
                {
                    continue;
                }
                final DlpTesting.Findings findings = DlpTesting.scan(scanner, entry.value());
                assertTrue(findings.has(entry.type()), entry.toString());
                final String compact = entry.value().replaceAll("[ -]", "");
                for (int i = 0; i < findings.all.size(); i++)
                {
                    for (final String shown : List.of(findings.all.get(i), findings.samples.get(i)))
                    {
                        assertFalse(shown.contains(entry.value()), shown + " shows " + entry.value());
                        assertFalse(shown.contains(compact), shown + " shows " + compact);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 250, "findings checked: " + checked);
    }

    @Test
    void shouldKeepOnlyTheAllowedCharacters()
    {
        try (DlpEngine engine = DlpTesting.detectors(folder, DetectorType.PAYMENT_CARD, DetectorType.IBAN,
            DetectorType.US_SSN, DetectorType.UK_NINO))
        {
            final DlpScanner scanner = engine.newScanner();
            assertEquals("[4111********1111]", DlpTesting.scan(scanner, "4111-1111-1111-1111").samples.toString());
            assertEquals("[3782*******0005]", DlpTesting.scan(scanner, "3782 822463 10005").samples.toString());
            assertEquals("[GB33**************5555]", DlpTesting.scan(scanner, "GB33 BUKB 2020 1555 5555 55").samples
                .toString());
            assertEquals("[*****2916]", DlpTesting.scan(scanner, "347-58-2916").samples.toString());
            assertEquals("[*****456C]", DlpTesting.scan(scanner, "AB 12 34 56 C").samples.toString());
            assertEquals("[dlp profile=test detector=payment_card action=alert count=1 flow_count=1 "
                + "sample=5555********4444]", DlpTesting.scan(scanner, "5555555555554444").all.toString());
        }
    }
}
