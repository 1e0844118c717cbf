package io.opensase.ips.dlp;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every should-match entry of the shared DLP lists is found and every should-not-match entry is not, by the
 * detector of its category: as a plain message, URL-encoded in a form body, and split at every position
 * across two scan calls. Entries the engine does not find by design are listed in {@link #NOT_SUPPORTED}
 * with the reason, and the test checks that they are indeed not found, so that the list stays true.
 */
class SharedListsTest
{
    /**
     * Shared should-match values that fail the identifier's own check (each computed by hand with the
     * published algorithm), and so are not reported. The same lists hold valid specimens of each type.
     */
    static final Map<String, String> NOT_SUPPORTED = new LinkedHashMap<>();

    static
    {
        NOT_SUPPORTED.put("2221000000000000", "global-payment-card-pan: Luhn check fails (sum 22)");
        NOT_SUPPORTED.put("12345678901", "de-tax-id: ISO 7064 mod 11,10 check digit is 3, and no digit repeats");
        NOT_SUPPORTED.put("00000000001", "de-tax-id: first digit 0 and one digit repeated nine times");
        NOT_SUPPORTED.put("99999999A", "es-dni: control letter of 99999999 is R");
        NOT_SUPPORTED.put("X1234567A", "es-nie: control letter of X1234567 is L");
        NOT_SUPPORTED.put("Y7654321B", "es-nie: control letter of Y7654321 is G");
        NOT_SUPPORTED.put("Z0000001C", "es-nie: control letter of Z0000001 is Y");
        NOT_SUPPORTED.put("185057512345678", "fr-nir: key of 1850575123456 is 73, not 78");
        NOT_SUPPORTED.put("293019912345612", "fr-nir: key of 2930199123456 is 83, not 12");
        NOT_SUPPORTED.put("190017512345634", "fr-nir: key of 1900175123456 is 55, not 34");
        NOT_SUPPORTED.put("RSSMRA85M01H501Z", "it-codice-fiscale: check letter is Q");
        NOT_SUPPORTED.put("ABCDEF12A34B567C", "it-codice-fiscale: check letter is Y");
        NOT_SUPPORTED.put("VRDLGU70D06H501S", "it-codice-fiscale: check letter is J");
        NOT_SUPPORTED.put("123456789", "nl-bsn: fails the 11-proof (the specimen list says so too)");
        NOT_SUPPORTED.put("12345678", "nl-bsn: fails the 11-proof");
        NOT_SUPPORTED.put("999999999", "nl-bsn: fails the 11-proof, all digits the same");
        NOT_SUPPORTED.put("90123156789", "pl-pesel: check digit is 0, not 9");
        NOT_SUPPORTED.put("00210198765", "pl-pesel: check digit is 4, not 5");
        NOT_SUPPORTED.put("%B4111111111111111^DOE/JOHN^", "global-payment-card-track1: a fragment without expiry "
            + "and end sentinel, listed as a discovery-only probe; the should-not list has the same fragment in prose");
        NOT_SUPPORTED.put("pan=4012888888881881=2611101000000", "global-payment-card-track2: the form without "
            + "sentinels, a discovery-only probe; the should-not list has the same pair after other words");
    }

    private static final Map<String, DetectorType> PATTERN_FILES = new LinkedHashMap<>();

    static
    {
        PATTERN_FILES.put("ca-social-insurance-number", DetectorType.CA_SIN);
        PATTERN_FILES.put("de-tax-id", DetectorType.DE_TAX_ID);
        PATTERN_FILES.put("es-dni", DetectorType.ES_DNI);
        PATTERN_FILES.put("es-nie", DetectorType.ES_NIE);
        PATTERN_FILES.put("fr-nir-social-security", DetectorType.FR_NIR);
        PATTERN_FILES.put("global-iban", DetectorType.IBAN);
        PATTERN_FILES.put("global-payment-card-pan", DetectorType.PAYMENT_CARD);
        PATTERN_FILES.put("global-payment-card-track1", DetectorType.CARD_TRACK1);
        PATTERN_FILES.put("global-payment-card-track2", DetectorType.CARD_TRACK2);
        PATTERN_FILES.put("global-swift-bic", DetectorType.SWIFT_BIC);
        PATTERN_FILES.put("in-aadhaar", DetectorType.IN_AADHAAR);
        PATTERN_FILES.put("it-codice-fiscale", DetectorType.IT_CODICE_FISCALE);
        PATTERN_FILES.put("nl-bsn", DetectorType.NL_BSN);
        PATTERN_FILES.put("pl-pesel", DetectorType.PL_PESEL);
        PATTERN_FILES.put("uk-national-insurance-number", DetectorType.UK_NINO);
        PATTERN_FILES.put("us-social-security-number", DetectorType.US_SSN);
    }

    private static final Map<String, DetectorType> SPECIMEN_TYPES = Map.of("SSN", DetectorType.US_SSN,
        "NINO", DetectorType.UK_NINO, "SIN", DetectorType.CA_SIN, "DNI", DetectorType.ES_DNI, "NIE",
        DetectorType.ES_NIE, "Codice fiscale", DetectorType.IT_CODICE_FISCALE, "BSN", DetectorType.NL_BSN, "PESEL",
        DetectorType.PL_PESEL);

    @TempDir
    static Path folder;
    private static final Map<DetectorType, DlpScanner> SCANNERS = new EnumMap<>(DetectorType.class);
    private static final List<DlpEngine> ENGINES = new ArrayList<>();

    record Entry(String source, DetectorType type, String value, boolean match)
    {
    }

    @BeforeAll
    static void engines()
    {
        for (final DetectorType type : DetectorType.values())
        {
            if (type != DetectorType.KEYWORDS && type != DetectorType.EDM)
            {
                final DlpEngine engine = DlpTesting.detectors(folder, type);
                ENGINES.add(engine);
                SCANNERS.put(type, engine.newScanner());
            }
        }
    }

    @AfterAll
    static void close()
    {
        ENGINES.forEach(DlpEngine::close);
    }

    static List<Entry> entries()
    {
        final List<Entry> entries = new ArrayList<>();
        final Path dlp = SharedData.resolve("dlp");
        for (final Map.Entry<String, DetectorType> file : PATTERN_FILES.entrySet())
        {
            final Map<?, ?> yaml = (Map<?, ?>)new Load(LoadSettings.builder().build())
                .loadFromString(DlpTesting.read(dlp.resolve("patterns/testpattern/" + file.getKey() + ".yaml")));
            final Map<?, ?> cases = (Map<?, ?>)yaml.get("test_cases");
            for (final String list : List.of("should_match", "should_not_match"))
            {
                for (final Object item : (List<?>)cases.get(list))
                {
                    final String value = String.valueOf(((Map<?, ?>)item).get("value"));
                    entries.add(new Entry(file.getKey(), file.getValue(), value,
                        list.equals("should_match") && !NOT_SUPPORTED.containsKey(value)));
                }
            }
        }
        for (final List<String> row : csv(dlp.resolve("cards/published-test-card-numbers.csv")))
        {
            // A Luhn-valid number with no issuer range (brand "unknown") is not a card number.
            entries.add(new Entry("published-test-card-numbers", DetectorType.PAYMENT_CARD, row.get(0),
                row.get(3).equals("true") && !row.get(1).equals("unknown")));
        }
        for (final List<String> row : csv(dlp.resolve("cards/card-format-variants.csv")))
        {
            entries.add(new Entry("card-format-variants", DetectorType.PAYMENT_CARD, row.get(0),
                row.get(1).equals("true")));
        }
        for (final List<String> row : csv(dlp.resolve("iban/iban-registry-examples.csv")))
        {
            entries.add(new Entry("iban-registry-examples", DetectorType.IBAN, row.get(2), true));
            entries.add(new Entry("iban-registry-examples (in groups of four)", DetectorType.IBAN,
                row.get(2).replaceAll("(.{4})(?!$)", "$1 "), true));
        }
        for (final List<String> row : csv(dlp.resolve("national-ids/specimen-national-ids.csv")))
        {
            entries.add(new Entry("specimen-national-ids", SPECIMEN_TYPES.get(row.get(1)), row.get(2),
                row.get(3).equals("true")));
        }
        return entries;
    }

    @TestFactory
    List<DynamicTest> everyEntry()
    {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Entry entry : entries())
        {
            tests.add(DynamicTest.dynamicTest(entry.source + " " + entry.type.yamlName() + " "
                + (entry.match ? "finds" : "does not find") + " '" + entry.value + "'", () -> check(entry)));
        }
        return tests;
    }

    private static void check(final Entry entry)
    {
        final DlpScanner scanner = SCANNERS.get(entry.type);
        final String value = entry.value;
        assertEquals(entry.match, DlpTesting.scan(scanner, value).has(entry.type), "plain: " + entry);
        assertEquals(entry.match, DlpTesting.scan(scanner, "Order notes: " + value + "\n").has(entry.type),
            "inside text");
        final String form = "note=hello+world&value=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&x=1";
        for (int at = 0; at <= form.length(); at++)
        {
            assertEquals(entry.match, DlpTesting.scanForm(scanner, form, at).has(entry.type),
                "URL-encoded form body " + form + " split at " + at);
        }
        for (int at = 0; at <= value.length(); at++)
        {
            assertEquals(entry.match, DlpTesting.scanSplit(scanner, value, at).has(entry.type), "split at " + at);
        }
    }

    @Test
    void everyValueListedAsNotSupportedIsASharedEntry()
    {
        final List<String> shouldMatch = new ArrayList<>();
        for (final Entry entry : entries())
        {
            shouldMatch.add(entry.value);
        }
        for (final String value : NOT_SUPPORTED.keySet())
        {
            assertTrue(shouldMatch.contains(value), value);
        }
        assertFalse(NOT_SUPPORTED.isEmpty());
    }

    static List<List<String>> csv(final Path file)
    {
        final List<List<String>> rows = new ArrayList<>();
        final String[] lines = DlpTesting.read(file).split("\n");
        for (int i = 1; i < lines.length; i++)
        {
            if (!lines[i].isBlank())
            {
                rows.add(EdmTable.fields(lines[i], file, i + 1));
            }
        }
        return rows;
    }
}
