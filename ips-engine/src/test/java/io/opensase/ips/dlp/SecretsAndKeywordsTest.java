package io.opensase.ips.dlp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets (values from the vendors' documentation where they publish examples: AWS's example key pair, the
 * jwt.io example token), e-mail addresses and keyword dictionaries: each must be found, plain, URL-encoded and
 * split at every position, and each near miss must not.
 */
class SecretsAndKeywordsTest
{
    @TempDir
    static Path folder;
    private static DlpEngine engine;
    private static DlpScanner scanner;

    @BeforeAll
    static void compile()
    {
        engine = DlpTesting.engine(folder, """
            profiles:
              - name: secrets
                detectors:
                  - type: aws_access_key_id
                  - type: aws_secret_access_key
                  - type: github_token
                  - type: slack_token
                  - type: google_api_key
                  - type: private_key
                  - type: jwt
                  - type: email
                  - type: keywords
                    name: project-words
                    words: [project falcon, confidential, "q3 board-pack"]
            """);
        scanner = engine.newScanner();
    }

    @AfterAll
    static void close()
    {
        engine.close();
    }

    @Test
    void shouldFindAwsAccessKeyIdsOnly()
    {
        found(DetectorType.AWS_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPLE", "AKIA****************");
        found(DetectorType.AWS_ACCESS_KEY_ID, "aws_access_key_id=ASIAIOSFODNN7EXAMPLE\n", "ASIA****************");
        notFound(DetectorType.AWS_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPL");
        notFound(DetectorType.AWS_ACCESS_KEY_ID, "AKIAIOSFODNN7EXAMPLEX");
        notFound(DetectorType.AWS_ACCESS_KEY_ID, "XAKIAIOSFODNN7EXAMPLE");
        notFound(DetectorType.AWS_ACCESS_KEY_ID, "AKIAiosfodnn7example");
    }

    @Test
    void shouldFindAwsSecretKeysAfterTheWordSecret()
    {
        found(DetectorType.AWS_SECRET_ACCESS_KEY, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "****************************************");
        found(DetectorType.AWS_SECRET_ACCESS_KEY, "{\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}",
            "****************************************");
        notFound(DetectorType.AWS_SECRET_ACCESS_KEY, "checksum wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        notFound(DetectorType.AWS_SECRET_ACCESS_KEY, "secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE");
    }

    @Test
    void shouldFindGithubSlackAndGoogleTokens()
    {
        found(DetectorType.GITHUB_TOKEN, "token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789.",
            "ghp_************************************");
        found(DetectorType.GITHUB_TOKEN, "gho_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "gho_************************************");
        notFound(DetectorType.GITHUB_TOKEN, "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678");
        notFound(DetectorType.GITHUB_TOKEN, "ghx_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789");
        found(DetectorType.SLACK_TOKEN, "xoxb-123456789012-1234567890123-aBcDeFgHiJkLmNoPqRsTuVwX",
            "xoxb-***********************************");
        notFound(DetectorType.SLACK_TOKEN, "xoxz-123456789012-1234567890123-aBcDeFgHiJkLmNoPqRsTuVwX");
        notFound(DetectorType.SLACK_TOKEN, "xoxb-12345");
        found(DetectorType.GOOGLE_API_KEY, "key=AIzaSyA-1234567890abcdefghijklmnopqrs_t&q=1",
            "AIza***********************************");
        notFound(DetectorType.GOOGLE_API_KEY, "AIzaSyA-1234567890abcdefghijklmnopqrs_");
    }

    @Test
    void shouldFindEmailAddressesAndShowOnlyTheirDomain()
    {
        found(DetectorType.EMAIL, "write to john.doe@example.com today", "j*******@example.com");
        found(DetectorType.EMAIL, "Contact: a.b-c+tag@mail.example.co.uk.", "a********@mail.example.co.uk");
        found(DetectorType.EMAIL, "to=Jane_Roe@Example.ORG&x=1", "J*******@Example.ORG");
        notFound(DetectorType.EMAIL, "john@localhost");
        notFound(DetectorType.EMAIL, "see @example.com");
        notFound(DetectorType.EMAIL, "user@ nothing");
        notFound(DetectorType.EMAIL, "a@b.c");
        notFound(DetectorType.EMAIL, "a@@example.com");
        notFound(DetectorType.EMAIL, "a@example..com");
        notFound(DetectorType.EMAIL, "a@example.c0m");
        notFound(DetectorType.EMAIL, "sold 5@3.50 each");
    }

    @Test
    void shouldFindJwts()
    {
        found(DetectorType.JWT, "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\r\n",
            "eyJ*************************************");
        notFound(DetectorType.JWT, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.bm90IGpzb24.SflKxwRJSMeKKF2QT4fwpMeJf36");
        notFound(DetectorType.JWT, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0");
    }

    @Test
    void shouldFindPrivateKeyHeadersButNotPublicOnes()
    {
        found(DetectorType.PRIVATE_KEY, "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n",
            "-----begin rsa private key-----");
        found(DetectorType.PRIVATE_KEY, "x-----BEGIN OPENSSH PRIVATE KEY-----", "-----begin openssh private key-----");
        notFound(DetectorType.PRIVATE_KEY, "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n");
        notFound(DetectorType.PRIVATE_KEY, "-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void shouldFindKeywordsCaseInsensitivelyOnWordBoundaries()
    {
        // Samples keep the term's first character, its spaces and punctuation; never the term in clear.
        found(DetectorType.KEYWORDS, "This is CONFIDENTIAL.", "c***********");
        found(DetectorType.KEYWORDS, "re: Project Falcon launch", "p****** ******");
        found(DetectorType.KEYWORDS, "the Q3 Board-Pack", "q* *****-****");
        notFound(DetectorType.KEYWORDS, "nonconfidential");
        notFound(DetectorType.KEYWORDS, "confidentiality");
        notFound(DetectorType.KEYWORDS, "project falconry");
        notFound(DetectorType.KEYWORDS, "project  falcon");
    }

    private static void found(final DetectorType type, final String text, final String sample)
    {
        for (final DlpTesting.Findings findings : forms(text))
        {
            assertTrue(findings.has(type), type + " in " + text);
            assertEquals(sample, findings.samples.get(findings.types.indexOf(type)), text);
        }
    }

    private static void notFound(final DetectorType type, final String text)
    {
        for (final DlpTesting.Findings findings : forms(text))
        {
            assertFalse(findings.has(type), type + " in " + text + ": " + findings.all);
        }
    }

    /** The text in one call, split at every position, and URL-encoded in a form body split at every position. */
    private static java.util.List<DlpTesting.Findings> forms(final String text)
    {
        final java.util.List<DlpTesting.Findings> all = new java.util.ArrayList<>();
        all.add(DlpTesting.scan(scanner, text));
        for (int at = 0; at <= text.length(); at++)
        {
            all.add(DlpTesting.scanSplit(scanner, text, at));
        }
        final String form = "a=1&v=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
        for (int at = 0; at <= form.length(); at++)
        {
            all.add(DlpTesting.scanForm(scanner, form, at));
        }
        return all;
    }
}
