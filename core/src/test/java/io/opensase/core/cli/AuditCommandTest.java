package io.opensase.core.cli;

import io.opensase.core.audit.AuditLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code opensase audit} as an operator runs it: exit 0 and a summary for an intact log, 1 and the first bad
 * entry on one line for a tampered one, 2 for a command or file that cannot be used; keygen.
 */
class AuditCommandTest
{
    private static final String DIGEST = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @TempDir
    Path temp;

    private Path log;
    private Path anchor;
    private Path key;
    private String out;
    private String err;

    @BeforeEach
    void threeEntries() throws Exception
    {
        Files.createDirectories(temp.resolve("var/audit"));
        Files.createDirectories(temp.resolve("etc"));
        log = temp.resolve("var/audit/audit.log");
        anchor = temp.resolve("var/audit.anchor");
        key = temp.resolve("etc/audit.key");
        assertEquals(0, run("audit", "keygen", key.toString()), err);
        assertEquals("opensase audit: wrote a new key to " + key + " (mode 0600); keep it outside the audit log's "
            + "directory and copy it where 'opensase audit verify' runs\n", out);
        try (AuditLog audit = AuditLog.open(log, anchor, key))
        {
            audit.append("ops", "reload", "applied", DIGEST, null);
            audit.append("ops", "config_put", "invalid", DIGEST, "edge.yaml:7: bad");
            audit.append("ops", "capture", "applied", null, null);
        }
    }

    @Test
    void shouldExitZeroWithASummaryForAnIntactLog() throws Exception
    {
        assertEquals(0, run("audit", "verify", log.toString(), "--anchor", anchor.toString(), "--key", key.toString()),
            err);
        assertTrue(out.matches("opensase audit: " + log + ": intact: 3 entries, seq 1\\.\\.3, last mac [0-9a-f]{64} "
            + "matches the anchor\n"), out);
        assertEquals("", err);

        assertEquals(0, run("audit", "verify", "--key", key.toString(), "--anchor", anchor.toString(), log.toString()),
            err);
    }

    @Test
    void shouldExitOneWithTheFirstBadEntry() throws Exception
    {
        final List<String> lines = Files.readAllLines(log);
        Files.writeString(log, lines.get(0) + "\n" + lines.get(1).replace("invalid", "applied") + "\n" + lines.get(2)
            + "\n");
        assertEquals(1, verify());
        assertEquals("opensase: " + log + ":2: seq 2: mac does not verify: the entry was edited, or made up without "
            + "the key (1 of the 1 lines after it verify)\n", err);
        assertEquals("", out);

        Files.writeString(log, lines.get(0) + "\n" + lines.get(2) + "\n");
        assertEquals(1, verify());
        assertEquals("opensase: " + log + ":2: seq 3: seq 2 expected here: entry 2 is missing (removed, or moved "
            + "later)\n", err);

        Files.writeString(log, lines.get(0) + "\n" + lines.get(1) + "\n");
        assertEquals(1, verify());
        assertEquals("opensase: " + log + ":3: seq 3: the log ends after 2 entries where the anchor says 3: entries "
            + "3..3 were removed (truncated)\n", err);

        Files.writeString(log, String.join("\n", lines) + "\n{\"seq\":4,", StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(1, verify());
        assertTrue(err.startsWith("opensase: " + log + ":4: cut short: 9 bytes without a newline at the end, a write "
            + "interrupted by a crash; the 3 entries before it verify and match the anchor"), err);
        assertEquals(1, err.lines().count());
    }

    @Test
    void shouldExitTwoWhenACommandOrFileCannotBeUsed() throws Exception
    {
        assertEquals(2, run("audit", "verify", temp.resolve("none.log").toString(), "--anchor", anchor.toString(),
            "--key", key.toString()));
        assertEquals("opensase: " + temp.resolve("none.log") + ": no such file\n", err);

        final Path badAnchor = temp.resolve("bad.anchor");
        Files.writeString(badAnchor, "{\"log\":\"audit.log\",\"seq\":-1}\n");
        assertEquals(2, run("audit", "verify", log.toString(), "--anchor", badAnchor.toString(), "--key",
            key.toString()));
        assertTrue(err.startsWith("opensase: " + badAnchor + ": not an audit anchor: "), err);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(2, verify());
        assertEquals("opensase: " + key + ": key file is open to others (mode rw-r--r--); allow its owner only: "
            + "chmod 600 " + key + "\n", err);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        final Path inside = temp.resolve("var/audit/copy.key");
        Files.copy(key, inside);
        assertEquals(2, run("audit", "verify", log.toString(), "--anchor", anchor.toString(), "--key",
            inside.toString()));
        assertTrue(err.startsWith("opensase: " + inside + ": key file is inside the log's directory"), err);

        assertEquals(2, run("audit", "verify", log.toString(), "--anchor", anchor.toString()));
        assertTrue(err.startsWith("opensase: audit verify needs one log FILE, --anchor FILE and --key FILE\nusage:"),
            err);
        assertEquals(2, run("audit", "verify", log.toString(), log.toString(), "--anchor", anchor.toString(), "--key",
            key.toString()));
        assertTrue(err.startsWith("opensase: audit verify needs one log FILE"), err);
        assertEquals(2, run("audit", "check", log.toString()));
        assertTrue(err.startsWith("opensase: unknown audit command 'check'; use verify or keygen\n"), err);
        assertEquals(2, run("audit", "verify", log.toString(), "--anchor", anchor.toString(), "--key", key.toString(),
            "--fast", "yes"));
        assertTrue(err.startsWith("opensase: unknown option '--fast'; allowed: --anchor, --key\n"), err);

        assertEquals(2, run("audit", "keygen", key.toString()));
        assertTrue(err.startsWith("opensase: " + key + ": already exists; a key is never replaced"), err);
    }

    @Test
    void shouldListAuditInTheUsage()
    {
        assertEquals(0, run("--help"));
        assertTrue(out.contains("  opensase audit verify FILE --anchor FILE --key FILE\n"
            + "  opensase audit keygen FILE\n"), out);
    }

    @Test
    void shouldNoteAnAnchorWrittenForAnotherNameAndStillVerify() throws Exception
    {
        final Path copy = temp.resolve("var/audit/audit-2025-06-01.log");
        Files.copy(log, copy);
        assertEquals(0, run("audit", "verify", copy.toString(), "--anchor", anchor.toString(), "--key",
            key.toString()), err);
        assertEquals("opensase: note: the anchor " + anchor + " was written for 'audit.log', not "
            + "'audit-2025-06-01.log' (as expected for a renamed copy)\n", err);
    }

    private int verify()
    {
        return run("audit", "verify", log.toString(), "--anchor", anchor.toString(), "--key", key.toString());
    }

    private int run(final String... args)
    {
        final CommandOutput result = CommandOutput.of(args);
        out = result.out();
        err = result.err();
        return result.status();
    }
}
