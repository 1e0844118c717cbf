package io.opensase.ips.dlp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact data match: CSV load, keyed hashes, hits and misses, the secret's role, and what the map file holds. */
class ExactDataMatchTest
{
    private static final String SECRET = "0123456789abcdef-test-secret";
    /** Python: hmac.new(b'0123456789abcdef-test-secret', b'd4000056655665556', hashlib.sha256).hexdigest() */
    private static final String CARD_HMAC = "816a4feb59f14da931fda99d3fa76077a64cffcef12623a20628b7fd76c79242";
    private static final String CSV = """
        name,card,customer_id,city
        Alice Martin,4000 0566 5566 5556,CUST-00417,Lyon
        "Smith, Bob",5105-1051-0510-5100,CUST-00988,Paris
        Jean-Luc Picard,12,X1,Brest
        """;

    @TempDir
    Path folder;

    private String profile(final String secret, final boolean csv) throws IOException
    {
        Files.writeString(folder.resolve("customers.csv"), CSV);
        Files.writeString(folder.resolve(secret + ".key"), secret);
        return "profiles:\n  - name: customers\n    action: block\n    detectors:\n"
            + "      - type: edm\n        name: customer-records\n"
            + (csv ? "        csv: customers.csv\n" : "")
            + "        secret_file: " + secret + ".key\n"
            + "        map_file: customers.map\n"
            + "        columns: {name: text, card: digits, customer_id: alnum}\n";
    }

    @Test
    void shouldFindNormalisedValuesOfEachColumnType() throws IOException
    {
        try (DlpEngine engine = DlpTesting.engine(folder, profile(SECRET, true)))
        {
            final DlpScanner scanner = engine.newScanner();
            assertEquals("[card]", DlpTesting.scan(scanner, "charge 4000-0566-5566-5556 today").samples.toString());
            assertEquals("[card]", DlpTesting.scan(scanner, "4000056655665556").samples.toString());
            assertEquals("[name]", DlpTesting.scan(scanner, "Dear ALICE MARTIN,").samples.toString());
            assertEquals("[name]", DlpTesting.scan(scanner, "from smith bob").samples.toString());
            assertEquals("[name]", DlpTesting.scan(scanner, "captain jean luc picard").samples.toString());
            assertEquals("[customer_id]", DlpTesting.scan(scanner, "ref cust 00417.").samples.toString());
            assertEquals("[customer_id]", DlpTesting.scan(scanner, "ref CUST00988").samples.toString());
            for (int at = 0; at <= 24; at++)
            {
                assertEquals("[card]", DlpTesting.scanSplit(scanner, "pay 5105 1051 0510 5100 ok", at).samples
                    .toString(), "split at " + at);
            }
            assertTrue(DlpTesting.scan(scanner, "4000 0566 5566 5557").all.isEmpty(), "one digit off");
            assertTrue(DlpTesting.scan(scanner, "Alice Martinez").all.isEmpty(), "a longer last word");
            assertTrue(DlpTesting.scan(scanner, "Lyon Paris Brest").all.isEmpty(), "city is not a loaded column");
            assertTrue(DlpTesting.scan(scanner, "martin alice").all.isEmpty(), "words in another order");
            assertEquals(7, engine.edm[0].loaded(), "two values per column type, plus Jean-Luc Picard");
            assertEquals(2, engine.edm[0].skipped(), "12 is too short for digits, X1 for alnum");
        }
    }

    @Test
    void shouldStoreOnlyKeyedHashesInTheMapFile() throws IOException
    {
        try (DlpEngine engine = DlpTesting.engine(folder, profile(SECRET, true)))
        {
            assertEquals(7, engine.edm[0].loaded());
        }
        final String file = new String(Files.readAllBytes(folder.resolve("customers.map")),
            StandardCharsets.ISO_8859_1);
        for (final String clear : new String[] {"4000056655665556", "4000 0566", "5105105105105100", "Alice", "alice",
            "ALICE", "Martin", "martin", "smith bob", "CUST00417", "CUST-00417", "cust00417", "picard"})
        {
            assertFalse(file.contains(clear), clear + " is in the map file");
        }
        final String hash = new String(HexFormat.of().parseHex(CARD_HMAC), StandardCharsets.ISO_8859_1);
        assertTrue(file.contains(hash), "the map file holds HMAC-SHA256(secret, 'd' + normalised card)");
    }

    @Test
    void shouldFindNothingWithAnotherSecret() throws IOException
    {
        DlpTesting.engine(folder, profile(SECRET, true)).close();
        try (DlpEngine reopened = DlpTesting.engine(folder, profile(SECRET, false)))
        {
            assertEquals("[card]", DlpTesting.scan(reopened.newScanner(), "4000056655665556").samples.toString(),
                "the same file opened with its secret and no CSV");
        }
        try (DlpEngine wrong = DlpTesting.engine(folder, profile("another-secret-of-28-bytes!!", false)))
        {
            final DlpScanner scanner = wrong.newScanner();
            assertTrue(DlpTesting.scan(scanner, "4000056655665556 Alice Martin CUST-00417").all.isEmpty());
        }
    }

    @Test
    void shouldNameTheCsvLineOfAMalformedRecord() throws IOException
    {
        final String yaml = profile(SECRET, true);
        Files.writeString(folder.resolve("customers.csv"), "name,card,customer_id,city\nA,1,2\n\"open,1,2,3\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> DlpTesting.engine(folder, yaml));
        assertEquals(folder.resolve("customers.csv").toAbsolutePath() + ":2: 3 fields; the header has 4",
            ex.getMessage());
    }
}
