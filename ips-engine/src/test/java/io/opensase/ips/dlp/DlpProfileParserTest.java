package io.opensase.ips.dlp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Profile files: the example in configs/ loads, and each mistake is reported as file:line: field: reason. */
class DlpProfileParserTest
{
    @TempDir
    Path folder;

    @Test
    void shouldLoadTheExampleProfiles() throws DlpProfileException
    {
        final DlpPolicy policy = DlpPolicy.load(Path.of("../configs/dlp/profiles.yaml"));
        assertEquals(4, policy.profiles().size());
        final DlpProfile pci = policy.profiles().get(0);
        assertEquals("pci", pci.name());
        assertEquals(DlpAction.BLOCK, pci.action());
        assertEquals(2, pci.detectors().get(1).minCount());
        assertEquals(5, policy.profiles().get(1).flowThreshold());
        assertEquals(java.util.List.of("project falcon", "internal only", "confidential"),
            policy.profiles().get(3).detectors().get(0).words());
        try (DlpEngine engine = DlpEngine.compile(policy))
        {
            final DlpTesting.Findings findings = DlpTesting.scan(engine.newScanner(),
                "card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE, CONFIDENTIAL");
            assertEquals("[4111********1111, AKIA****************, c***********]", findings.samples.toString());
        }
    }

    @Test
    void shouldReportUnknownFields() throws IOException
    {
        error("""
            profiles:
              - name: pci
                detectors:
                  - type: payment_card
                    colour: red
            """, 5, "profiles[0].detectors[0].colour: unknown field; allowed here: min_count, name, type");
    }

    @Test
    void shouldReportUnknownDetectorsAndActions() throws IOException
    {
        error("""
            profiles:
              - name: pci
                detectors:
                  - type: passport
            """, 4, "profiles[0].detectors[0].type: unknown detector 'passport'; one of payment_card, card_track1, "
            + "card_track2, iban, swift_bic, us_ssn, "
            + "uk_nino, ca_sin, es_dni, es_nie, it_codice_fiscale, nl_bsn, pl_pesel, de_tax_id, fr_nir, in_aadhaar, "
            + "email, aws_access_key_id, aws_secret_access_key, github_token, slack_token, google_api_key, "
            + "private_key, jwt, keywords, edm");
        error("""
            profiles:
              - name: pci
                action: drop
                detectors: [{type: iban}]
            """, 3, "profiles[0].action: 'drop' is not one of alert, block");
    }

    @Test
    void shouldReportCountsOutOfRange() throws IOException
    {
        error("""
            profiles:
              - name: pci
                detectors:
                  - type: iban
                    min_count: 0
            """, 5, "profiles[0].detectors[0].min_count: must be 1..1000000, got 0");
        error("""
            profiles:
              - name: pci
                flow_threshold: lots
                detectors: [{type: iban}]
            """, 3, "profiles[0].flow_threshold: expected an integer 1..1000000, got 'lots'");
    }

    @Test
    void shouldReportMissingAndDuplicateParts() throws IOException
    {
        error("rules: []\n", 1, "not a DLP profile file: no 'profiles:' at its top");
        error("profiles: [{name: pci, detectors: [{type: iban}]}]\nrules: []\n", 2,
            "rules: unknown field; allowed here: profiles");
        error("""
            profiles:
              - name: pci
            """, 2, "profiles[0]: detectors is missing");
        error("""
            profiles:
              - name: pci
                detectors: [{type: iban}]
              - name: pci
                detectors: [{type: iban}]
            """, 4, "profiles[1]: profile name 'pci' given twice");
        error("""
            profiles:
              - name: pci
                detectors:
                  - type: keywords
                  - type: keywords
                    words: [a]
            """, 4, "profiles[0].detectors[0]: words is missing");
    }

    @Test
    void shouldReportKeywordsItCannotMatch() throws IOException
    {
        error("""
            profiles:
              - name: words
                detectors:
                  - type: keywords
                    words:
                      - fine
                      - "caf\\u00e9"
            """, 7, "profiles[0].detectors[0].words[1]: only printable ASCII is matched; 'caf\u00e9' has other "
            + "characters");
    }

    /** A tester found "cannot read: FILE" repeating the path; the reason is now the one config files give. */
    @Test
    void shouldReportAMissingFileAsConfigurationFilesDo()
    {
        final Path missing = Path.of("/nonexistent/profiles.yaml");
        final DlpProfileException error = assertThrows(DlpProfileException.class,
            () -> DlpProfileParser.parse(missing));
        assertEquals("/nonexistent/profiles.yaml:0: no such file", error.getMessage());
    }

    @Test
    void shouldReportBadYamlWithItsLine() throws IOException
    {
        error("profiles:\n  - name: pci\n    detectors: [\n", 4, "not valid YAML: expected the node content, "
            + "but found '<stream end>'");
    }

    @Test
    void shouldReportEdmFilesItCannotUse() throws IOException
    {
        Files.writeString(folder.resolve("short.key"), "too short");
        Files.writeString(folder.resolve("values.csv"), "name,card\nA,4111111111111111\n");
        error("""
            profiles:
              - name: edm
                detectors:
                  - type: edm
                    csv: values.csv
                    secret_file: short.key
                    columns: {card: digits}
            """, 6, "profiles[0].detectors[0].secret_file: " + folder.resolve("short.key")
            + " holds 9 bytes; the secret needs at least 16");
        Files.writeString(folder.resolve("good.key"), "0123456789abcdef");
        error("""
            profiles:
              - name: edm
                detectors:
                  - type: edm
                    csv: values.csv
                    secret_file: good.key
                    columns: {card: digits, email: text}
            """, 7, "profiles[0].detectors[0].columns.email: no column 'email' in " + folder.resolve("values.csv")
            + "; its header has name, card");
        error("""
            profiles:
              - name: edm
                detectors:
                  - type: edm
                    secret_file: good.key
                    map_file: none.map
                    columns: {card: digits}
            """, 4, "profiles[0].detectors[0]: csv is missing: without it, map_file must name a table built earlier");
    }

    /**
     * Found by a tester: {@code map_file} naming the CSV deleted the CSV and wrote the table over it (any
     * existing file was deleted the same way); a map file in a missing folder, a CSV that is not UTF-8 and a
     * secret file of /dev/zero ended the command with a stack trace (the last after 23 s, out of memory).
     */
    @Test
    void shouldRefuseEdmFilesThatWouldBeLostOrCannotBeRead() throws IOException
    {
        final String csv = "name,card\nA,4111111111111111\n";
        Files.writeString(folder.resolve("values.csv"), csv);
        Files.writeString(folder.resolve("notes.txt"), "keep me");
        Files.writeString(folder.resolve("good.key"), "0123456789abcdef");
        final String edm = """
            profiles:
              - name: edm
                detectors:
                  - type: edm
                    csv: %s
                    secret_file: %s
                    map_file: %s
                    columns: {card: digits}
            """;
        error(edm.formatted("values.csv", "good.key", "values.csv"), 7, "profiles[0].detectors[0].map_file: "
            + folder.resolve("values.csv") + " is also the csv; the table needs a file of its own");
        assertEquals(csv, Files.readString(folder.resolve("values.csv")));
        error(edm.formatted("values.csv", "good.key", "good.key"), 7, "profiles[0].detectors[0].map_file: "
            + folder.resolve("good.key") + " is also the secret_file; the table needs a file of its own");
        error(edm.formatted("values.csv", "good.key", "notes.txt"), 7, "profiles[0].detectors[0].map_file: "
            + folder.resolve("notes.txt") + " exists and is not an EDM table; remove it or name another file");
        assertEquals("keep me", Files.readString(folder.resolve("notes.txt")));
        error(edm.formatted("values.csv", "good.key", "no/such/dir/x.map"), 7, "profiles[0].detectors[0].map_file: "
            + "folder " + folder.resolve("no/such/dir") + " does not exist");

        error(edm.formatted("values.csv", "/dev/zero", "x.map"), 6,
            "profiles[0].detectors[0].secret_file: /dev/zero is not a regular file");
        Files.write(folder.resolve("big.key"), new byte[5_000]);
        error(edm.formatted("values.csv", "big.key", "x.map"), 6, "profiles[0].detectors[0].secret_file: "
            + folder.resolve("big.key") + " holds 5000 bytes; at most 4096 are read");

        Files.write(folder.resolve("latin1.csv"), "name,card\nA,4111111111111111\nJos\u00e9,4000056655665556\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        error(edm.formatted("latin1.csv", "good.key", "x.map"), 5, "profiles[0].detectors[0].csv: "
            + folder.resolve("latin1.csv") + ":3: not UTF-8 text");
    }

    /**
     * Found by a tester: a profile file that is not UTF-8 was reported at line 0 with the decoder's exception
     * ({@code cannot read: java.nio.charset.MalformedInputException: Input length = 3}). It is now reported at
     * the line and column of its first bad byte: ISO-8859-1 'é' (0xE9) is the 14th byte of line 2,
     * {@code "  - name: caf\xE9"}; a lone 0xFF after {@code "b} is the 22nd byte of line 7.
     */
    @Test
    void shouldReportTheLineOfTheFirstByteThatIsNotUtf8() throws IOException
    {
        final Path file = folder.resolve("latin1.yaml");
        Files.write(file, "profiles:\n  - name: caf\u00e9\n    action: block\n    detectors:\n      - type: payment_card\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        DlpProfileException ex = assertThrows(DlpProfileException.class, () -> DlpPolicy.load(file));
        assertEquals(file + ":2: not UTF-8 text: byte 0xE9 at column 14", ex.getMessage());
        assertEquals(2, ex.line());

        final byte[] stray = ("profiles:\n  - name: ok\n    action: block\n    detectors:\n      - type: keywords\n"
            + "        name: w\n        words: [a, \"b\u00ff\"]\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(file, stray);
        ex = assertThrows(DlpProfileException.class, () -> DlpPolicy.load(file));
        assertEquals(file + ":7: not UTF-8 text: byte 0xFF at column 22", ex.getMessage());

        Files.write(file, new String(stray, java.nio.charset.StandardCharsets.ISO_8859_1)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ex = assertThrows(DlpProfileException.class, () -> DlpPolicy.load(file));
        assertEquals(file + ":7: profiles[0].detectors[0].words[1]: only printable ASCII is matched; 'b\u00ff' has "
            + "other characters", ex.getMessage(), "the same file in UTF-8 is read, its word refused by its field");
    }

    /**
     * Found by a tester: through the control API, {@code ips.dlp} named a root-only file and the error quoted
     * its first line as an unknown field. A file that is no profile file is refused with nothing of its content.
     */
    @Test
    void shouldQuoteNothingOfAFileThatIsNoProfileFile() throws IOException
    {
        final Path file = folder.resolve("shadow");
        Files.writeString(file, "root:$6$FAKESECRETHASH1234567890$abcdefghijkl:19000:0:99999:7:::\n");
        DlpProfileException ex = assertThrows(DlpProfileException.class, () -> DlpPolicy.load(file));
        assertEquals(file + ":1: not a DLP profile file: no 'profiles:' at its top", ex.getMessage());

        Files.writeString(file, "ops: 0123456789abcdef0123456789abcdef\nkey: [unclosed SECRET\n");
        ex = assertThrows(DlpProfileException.class, () -> DlpPolicy.load(file));
        assertEquals(file + ":1: not a DLP profile file: no 'profiles:' at its top", ex.getMessage(),
            "not valid YAML either: what the parser found is not quoted");

        Files.write(file, new byte[] {0x30, (byte)0x82, 0x01, 0x0a, 0x02, (byte)0xfe});
        ex = assertThrows(DlpProfileException.class, () -> DlpPolicy.load(file));
        assertEquals(file + ":1: not a DLP profile file: no 'profiles:' at its top", ex.getMessage(),
            "binary: not a byte of it is quoted");
    }

    @Test
    void shouldNameFieldsBelowTheSectionOfALargerFile() throws IOException
    {
        final Path file = folder.resolve("engine.yaml");
        Files.writeString(file, """
            workers: 2
            dlp:
              profiles:
                - name: pci
                  action: stop
                  detectors: [{type: iban}]
            """);
        final LoadSettings settings = LoadSettings.builder().build();
        final MappingNode root = (MappingNode)new Composer(settings,
            new ParserImpl(settings, new StreamReader(settings, Files.readString(file)))).getSingleNode().orElseThrow();
        final Node dlp = root.getValue().get(1).getValueNode();
        final DlpProfileException ex = assertThrows(DlpProfileException.class,
            () -> DlpProfileParser.parse(file, dlp, "dlp"));
        assertEquals(file + ":5: dlp.profiles[0].action: 'stop' is not one of alert, block", ex.getMessage());
    }

    /** unscanned_body: the profile's action unless given; alert or block, nothing else. */
    @Test
    void shouldReadWhatToDoWithBodiesNotScannedWhole() throws IOException, DlpProfileException
    {
        final Path file = folder.resolve("unscanned.yaml");
        Files.writeString(file, """
            profiles:
              - name: strict
                action: block
                detectors: [{type: iban}]
              - name: lenient
                action: block
                unscanned_body: alert
                detectors: [{type: iban}]
              - name: watch
                detectors: [{type: iban}]
            """);
        final DlpPolicy policy = DlpPolicy.load(file);
        assertEquals(DlpAction.BLOCK, policy.profiles().get(0).unscanned(), "a block profile fails closed by default");
        assertEquals(DlpAction.ALERT, policy.profiles().get(1).unscanned());
        assertEquals(DlpAction.ALERT, policy.profiles().get(2).unscanned());
        error("""
            profiles:
              - name: pci
                unscanned_body: ignore
                detectors: [{type: iban}]
            """, 3, "profiles[0].unscanned_body: 'ignore' is not one of alert, block");
    }

    private void error(final String yaml, final int line, final String message) throws IOException
    {
        final Path file = folder.resolve("profiles.yaml");
        Files.writeString(file, yaml);
        final DlpProfileException ex = assertThrows(DlpProfileException.class, () -> DlpPolicy.load(file));
        assertEquals(file + ":" + line + ": " + message, ex.getMessage());
        assertEquals(line, ex.line());
    }
}
