package io.opensase.ips.dlp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DlpScanner#maskMatches}, which the IPS stage runs on every value its EVE lines echo: each matched
 * value's letters and digits become {@code *} where it lies, the bytes around it stay, and nothing is counted.
 * Expected texts are written by hand.
 */
class MaskMatchesTest
{
    @TempDir
    Path folder;

    private static String masked(final DlpScanner scanner, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        scanner.maskMatches(bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void masksEachKindWhereItLies()
    {
        try (DlpEngine engine = DlpTesting.engine(folder, """
            profiles:
              - name: test
                detectors:
                  - type: payment_card
                  - type: iban
                  - type: email
                  - type: aws_access_key_id
                  - type: keywords
                    words: [confidential]
            """))
        {
            final DlpScanner scanner = engine.newScanner();
            assertEquals("pay **** **** **** **** now", masked(scanner, "pay 4111 1111 1111 1111 now"));
            assertEquals("c=****************&x=1", masked(scanner, "c=4111111111111111&x=1"));
            assertEquals("iban **** **** **** **** **** **.", masked(scanner, "iban GB82 WEST 1234 5698 7654 32."));
            assertEquals("to ****.***@*******.*** ok", masked(scanner, "to jane.doe@example.com ok"));
            assertEquals("id ******************** set", masked(scanner, "id AKIAIOSFODNN7EXAMPLE set"));
            assertEquals("a ************ memo", masked(scanner, "a confidential memo"));
            assertEquals("**** **** **** **** and ****-****-****-****",
                masked(scanner, "4111 1111 1111 1111 and 5555-5555-5555-4444"));
            assertEquals(0, scanner.matches(), "masking is not counted");
        }
    }

    @Test
    void leavesValuesNoDetectorMatches()
    {
        try (DlpEngine engine = DlpTesting.detectors(folder, DetectorType.PAYMENT_CARD, DetectorType.IBAN))
        {
            final DlpScanner scanner = engine.newScanner();
            for (final String text : new String[] {"order 4111 1111 1111 1112 ok", "GET /index.html?page=2",
                "iban GB82 WEST 1234 5698 7654 33", "55" + "4111111111111111"})
            {
                final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                assertEquals(0, scanner.maskMatches(bytes, 0, bytes.length), text);
                assertEquals(text, new String(bytes, StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** Only {@code [offset, offset + length)} is read and masked; a value cut by its edge is not found. */
    @Test
    void masksOnlyTheRangeGiven()
    {
        try (DlpEngine engine = DlpTesting.detectors(folder, DetectorType.PAYMENT_CARD))
        {
            final DlpScanner scanner = engine.newScanner();
            final byte[] bytes = "4111111111111111|pay 4111111111111111|4111111111111111"
                .getBytes(StandardCharsets.US_ASCII);
            assertEquals(1, scanner.maskMatches(bytes, 17, 20));
            assertEquals("4111111111111111|pay ****************|4111111111111111",
                new String(bytes, StandardCharsets.US_ASCII));
            final byte[] cut = "pay 4111111111111111".getBytes(StandardCharsets.US_ASCII);
            assertEquals(0, scanner.maskMatches(cut, 0, cut.length - 1));
        }
    }

    /**
     * Every shared should-match value, between other text: masked so that the text holds no match any more, the
     * text around it unchanged; every should-not-match value, by an engine of its own detector, left as it is.
     */
    @Test
    void masksEverySharedValueAndNoOther()
    {
        final Map<DetectorType, DlpEngine> engines = new EnumMap<>(DetectorType.class);
        final List<DetectorType> types = new ArrayList<>();
        for (final DetectorType type : DetectorType.values())
        {
            if (type != DetectorType.KEYWORDS && type != DetectorType.EDM)
            {
                types.add(type);
            }
        }
        int masked = 0;
        int kept = 0;
        try (DlpEngine all = DlpTesting.detectors(folder, types.toArray(DetectorType[]::new)))
        {
            final DlpScanner scanner = all.newScanner();
            for (final SharedListsTest.Entry entry : SharedListsTest.entries())
            {
                final String text = "v= " + entry.value() + " ;end";
                final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                if (entry.match())
                {
                    assertTrue(scanner.maskMatches(bytes, 0, bytes.length) > 0, entry.toString());
                    final String after = new String(bytes, StandardCharsets.ISO_8859_1);
                    assertNotEquals(text, after, entry.toString());
                    assertTrue(after.startsWith("v= ") && after.endsWith(" ;end"), after);
                    assertFalse(scanner.matchesIn(bytes, 0, bytes.length, false), after);
                    masked++;
                }
                else
                {
                    final DlpScanner own = engines.computeIfAbsent(entry.type(),
                        t -> DlpTesting.detectors(folder, t)).newScanner();
                    assertEquals(0, own.maskMatches(bytes, 0, bytes.length), entry.toString());
                    assertArrayEquals(text.getBytes(StandardCharsets.ISO_8859_1), bytes, entry.toString());
                    kept++;
                }
            }
        }
        finally
        {
            engines.values().forEach(DlpEngine::close);
        }
        assertTrue(masked > 250 && kept > 50, "masked " + masked + ", kept " + kept);
    }
}
