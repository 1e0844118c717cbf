package io.opensase.core.control.api;

import io.opensase.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BearerTokensTest
{
    private static final Path FILE = Path.of("/etc/opensase/api-tokens");

    @TempDir
    Path dir;

    @Test
    void shouldReadBothFormsAndSkipCommentsAndBlankLines() throws ConfigException
    {
        final BearerTokens tokens = BearerTokens.parse(FILE, """
            # operators of this PoP
              alice: 0123456789abcdef0123456789abcdef
            \t
            bob\t  tok_en-with.all~chars+and/slash==
            ci-bot@pop1:c2VjcmV0LXRva2VuLWZvci1jaQ==
            """);

        assertEquals(List.of("alice", "bob", "ci-bot@pop1"), tokens.principals());
        assertEquals("alice", tokens.principalOf("0123456789abcdef0123456789abcdef"));
        assertEquals("bob", tokens.principalOf("tok_en-with.all~chars+and/slash=="));
        assertEquals("ci-bot@pop1", tokens.principalOf("c2VjcmV0LXRva2VuLWZvci1jaQ=="));
    }

    @Test
    void shouldMatchOnlyTheWholeToken() throws ConfigException
    {
        final BearerTokens tokens = BearerTokens.parse(FILE, "alice: 0123456789abcdef0123456789abcdef\r\n");

        assertNull(tokens.principalOf("0123456789abcdef0123456789abcde"));
        assertNull(tokens.principalOf("0123456789abcdef0123456789abcdef0"));
        assertNull(tokens.principalOf("0123456789ABCDEF0123456789ABCDEF"));
        assertNull(tokens.principalOf(""));
        assertNull(tokens.principalOf(null));
        assertNull(tokens.principalOf("x".repeat(100_000)));
        assertEquals("alice", tokens.principalOf("0123456789abcdef0123456789abcdef"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "alice|1|expected 'name: token'",
        "alice: two words here0123456789|1|expected 'name: token'",
        "alice bob 0123456789abcdef0123|1|expected 'name: token'",
        ": 0123456789abcdef0123|1|expected 'name: token'",
        "al ice: 0123456789abcdef0123|1|name 'al ice': 1 to 64 of A-Z a-z 0-9 . _ @ -",
        "alice: short|1|token of 'alice': 5 characters; 16 to 512 are needed (openssl rand -hex 32 makes one)",
        "alice: 0123456789abcdef:0123|1|token of 'alice': only A-Z a-z 0-9 - . _ ~ + / and trailing = may appear"
            + " in a bearer token",
        "alice: 0123456789abcdef=0123|1|token of 'alice': only A-Z a-z 0-9 - . _ ~ + / and trailing = may appear"
            + " in a bearer token"})
    void shouldRefuseABadLine(final String line, final int lineNo, final String reason)
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> BearerTokens.parse(FILE, "# header\n" + line + "\n"));

        assertEquals(FILE + ":" + (lineNo + 1) + ": " + reason, ex.getMessage());
        assertEquals(lineNo + 1, ex.line());
    }

    @Test
    void shouldRefuseNamesAndTokensGivenTwice()
    {
        final ConfigException name = assertThrows(ConfigException.class, () -> BearerTokens.parse(FILE,
            "alice: 0123456789abcdef0123\nbob: fedcba9876543210fedc\nalice: 00000000000000000000\n"));
        assertEquals(FILE + ":3: name 'alice' given twice (first on line 1)", name.getMessage());

        final ConfigException token = assertThrows(ConfigException.class, () -> BearerTokens.parse(FILE,
            "alice: 0123456789abcdef0123\n\nbob: 0123456789abcdef0123\n"));
        assertEquals(FILE + ":3: token of 'bob' is the token of line 1; every principal needs its own",
            token.getMessage());
    }

    @Test
    void shouldRefuseAFileWithoutTokens()
    {
        for (final String text : List.of("", "\n", "# only a comment\n", "# a\n# b\n\n"))
        {
            final ConfigException ex = assertThrows(ConfigException.class, () -> BearerTokens.parse(FILE, text));
            assertEquals("no tokens; one 'name: token' a line is needed (there is no default token)", ex.reason());
        }
    }

    @Test
    void shouldRefuseFilesThatCannotBeReadOrAreOpenToOthers() throws Exception
    {
        final Path missing = dir.resolve("missing");
        assertEquals(missing + ": no such file",
            assertThrows(ConfigException.class, () -> BearerTokens.load(missing)).getMessage());

        final Path binary = dir.resolve("binary");
        Files.write(binary, new byte[] {'a', ':', ' ', (byte)0xff, (byte)0xfe});
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rw-------"));
        assertEquals(binary + ": not UTF-8 text",
            assertThrows(ConfigException.class, () -> BearerTokens.load(binary)).getMessage());

        final Path open = dir.resolve("open");
        Files.writeString(open, "alice: 0123456789abcdef0123\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(open + ": readable by others, or writable by others than its owner (rw-r--r--); chmod 600"
            + " or 640 it", assertThrows(ConfigException.class, () -> BearerTokens.load(open)).getMessage());

        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(List.of("alice"), BearerTokens.load(open).principals(), "the group may read it");
    }
}
