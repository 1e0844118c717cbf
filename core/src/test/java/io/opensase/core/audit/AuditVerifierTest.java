package io.opensase.core.audit;

import io.opensase.core.audit.AuditVerification.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of tampering with a six-entry log, done to the file as an intruder would, and the first bad line
 * and seq the verifier names for it; the intact log and the states a crash leaves.
 */
class AuditVerifierTest
{
    private static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path temp;

    private Path log;
    private Path anchor;
    private Path keyFile;
    private List<String> lines;

    @BeforeEach
    void sixEntries() throws Exception
    {
        Files.createDirectories(temp.resolve("log"));
        Files.createDirectories(temp.resolve("anchor"));
        Files.createDirectories(temp.resolve("secret"));
        log = temp.resolve("log/audit.log");
        anchor = temp.resolve("anchor/audit.anchor");
        keyFile = temp.resolve("secret/audit.key");
        AuditKey.generate(keyFile);
        lines = write(log, anchor, keyFile, "ops");
    }

    @Test
    void shouldPassAnIntactLogAndAnEmptyOne() throws Exception
    {
        final AuditVerification intact = verify();
        assertNull(intact.problem());
        assertEquals(6, intact.entries());
        final String lastMac = IndependentSeal.read(lines.getLast()).get("mac").asText();
        assertEquals(lastMac, intact.lastMac());
        assertEquals("audit.log: intact: 6 entries, seq 1..6, last mac " + lastMac + " matches the anchor",
            intact.describe("audit.log"));

        final Path empty = temp.resolve("log/empty.log");
        final Path emptyAnchor = temp.resolve("anchor/empty.anchor");
        AuditLog.open(empty, emptyAnchor, keyFile).close();
        final AuditVerification none = AuditVerifier.verify(empty, AuditAnchor.read(emptyAnchor),
            AuditKey.read(keyFile));
        assertNull(none.problem());
        assertEquals("intact: 0 entries, last mac " + IndependentSeal.ZERO + " matches the anchor", none.reason());
    }

    @Test
    void shouldNameAnEditedEntry() throws Exception
    {
        edit(3, line -> line.replace("\"result\":\"applied\"", "\"result\":\"invalid\""));
        assertProblem(Problem.BAD_MAC, 3, 3, "mac does not verify: the entry was edited, or made up without the key "
            + "(3 of the 3 lines after it verify)");

        restore();
        edit(1, line -> line.replace("\"principal\":\"ops\"", "\"principal\":\"ops2\""));
        assertProblem(Problem.BAD_MAC, 1, 1, "(5 of the 5 lines after it verify)");

        restore();
        edit(4, line -> line.replace("\"seq\":4,", "\"seq\": 4,"));
        assertProblem(Problem.BAD_MAC, 4, 4, "mac does not verify");

        restore();
        edit(6, line -> line.replace(DIGEST, DIGEST.replace('9', '8')));
        assertProblem(Problem.BAD_MAC, 6, 6, "mac does not verify");
    }

    @Test
    void shouldNameAnInsertedEntry() throws Exception
    {
        final List<String> forged = new ArrayList<>(lines);
        forged.add(2, lines.get(2).replace("\"principal\":\"ops\"", "\"principal\":\"mallory\""));
        save(forged);
        assertProblem(Problem.BAD_MAC, 3, 3, "mac does not verify");

        final List<String> duplicated = new ArrayList<>(lines);
        duplicated.add(4, lines.get(1));
        save(duplicated);
        assertProblem(Problem.MISPLACED, 5, 2, "seq 5 expected here: seq 2 comes again or out of order");
    }

    @Test
    void shouldNameARemovedEntry() throws Exception
    {
        final List<String> removed = new ArrayList<>(lines);
        removed.remove(2);
        save(removed);
        assertProblem(Problem.MISPLACED, 3, 4, "seq 3 expected here: entry 3 is missing (removed, or moved later)");

        final List<String> first = new ArrayList<>(lines);
        first.remove(0);
        save(first);
        assertProblem(Problem.MISPLACED, 1, 2, "seq 1 expected here: entry 1 is missing");

        final List<String> two = new ArrayList<>(lines);
        two.remove(1);
        two.remove(1);
        save(two);
        assertProblem(Problem.MISPLACED, 2, 4, "seq 2 expected here: entries 2..3 are missing");
    }

    @Test
    void shouldNameReorderedEntries() throws Exception
    {
        final List<String> swapped = new ArrayList<>(lines);
        swapped.set(2, lines.get(3));
        swapped.set(3, lines.get(2));
        save(swapped);
        assertProblem(Problem.MISPLACED, 3, 4, "seq 3 expected here: entry 3 is missing (removed, or moved later)");
    }

    @Test
    void shouldNameATruncatedLog() throws Exception
    {
        save(lines.subList(0, 4));
        final AuditVerification cut = assertProblem(Problem.TRUNCATED, 5, 5, "the log ends after 4 entries where "
            + "the anchor says 6: entries 5..6 were removed (truncated)");
        assertEquals(4, cut.entries());

        Files.writeString(log, String.join("\n", lines.subList(0, 5)) + "\n" + lines.get(5).substring(0, 30));
        assertProblem(Problem.TRUNCATED, 6, 6, "cut short after 30 bytes, and the log ends after 5 entries");

        Files.writeString(log, "");
        assertProblem(Problem.TRUNCATED, 1, 1, "the log ends after 0 entries where the anchor says 6");
    }

    @Test
    void shouldNameALogWhoseEndWasReplacedWithOtherGenuineEntries() throws Exception
    {
        final Path otherLog = temp.resolve("other/audit.log");
        Files.createDirectories(otherLog.getParent());
        final List<String> other = write(otherLog, temp.resolve("anchor/other.anchor"), keyFile, "mallory");

        final List<String> spliced = new ArrayList<>(lines.subList(0, 4));
        spliced.addAll(other.subList(4, 6));
        save(spliced);
        assertProblem(Problem.MISPLACED, 5, 5, "prev does not match the mac of line 4");

        save(other);
        assertProblem(Problem.ANCHOR_MISMATCH, 6, 6, "differs from the anchor's "
            + IndependentSeal.read(lines.getLast()).get("mac").asText() + ": the entries up to here were replaced");
    }

    @Test
    void shouldNameALogRewrittenWithoutTheKey() throws Exception
    {
        final Path forgedKey = temp.resolve("secret/forged.key");
        AuditKey.generate(forgedKey);
        Files.delete(log);
        Files.delete(anchor);
        write(log, anchor, forgedKey, "ops");

        assertProblem(Problem.BAD_MAC, 1, 1, "mac does not verify, nor does any entry after it: the log was "
            + "rewritten without the key, or this is not the key it was written with");
    }

    @Test
    void shouldNameEntriesTheAnchorDoesNotCover() throws Exception
    {
        final String fourth = IndependentSeal.read(lines.get(3)).get("mac").asText();
        Files.writeString(anchor, "{\"log\":\"audit.log\",\"seq\":4,\"mac\":\"" + fourth + "\"}\n");
        assertProblem(Problem.NOT_ANCHORED, 5, 5, "the anchor ends at seq 4, but entries 5..6 follow and verify");

        Files.writeString(anchor, "{\"log\":\"audit.log\",\"seq\":4,\"mac\":\"" + fourth.replace('a', 'b')
            .replace('0', 'a') + "\"}\n");
        assertProblem(Problem.ANCHOR_MISMATCH, 4, 4, "mac " + fourth + " differs from the anchor's");
    }

    @Test
    void shouldTellALastLineCutShortByACrashFromTampering() throws Exception
    {
        Files.writeString(log, String.join("\n", lines) + "\n{\"seq\":7,\"time\":\"2025");
        final AuditVerification crash = assertProblem(Problem.CUT_SHORT, 7, 0, "cut short: 21 bytes without a "
            + "newline at the end, a write interrupted by a crash; the 6 entries before it verify and match the "
            + "anchor");
        final String line = crash.describe("audit.log");
        assertTrue(line.startsWith("audit.log:7: cut short: 21 bytes"), line);
    }

    @Test
    void shouldNameLinesThatAreNoEntries() throws Exception
    {
        edit(4, line -> "hello");
        assertProblem(Problem.MALFORMED, 4, 0, "not an audit entry: expected '{' at character 1, found 'h'");

        edit(4, line -> "");
        assertProblem(Problem.MALFORMED, 4, 0, "not an audit entry: empty line");

        restore();
        edit(2, line -> line.replace("\"action\":\"config_put\",", "")
            .replace("\"prev\"", "\"action\":\"config_put\",\"prev\""));
        assertProblem(Problem.MALFORMED, 2, 0, "not an audit entry: expected the members seq, time, principal, "
            + "action, result, config_digest, detail, prev, mac in that order; found seq, time, principal, result");

        restore();
        edit(2, line -> line.replace("\"seq\":2,", "\"seq\":2,\"seq\":2,"));
        assertProblem(Problem.MALFORMED, 2, 0, "not an audit entry: 'seq' given twice");

        restore();
        edit(5, line -> line + "x".repeat(20_000));
        assertProblem(Problem.MALFORMED, 5, 0, "not an audit entry: longer than 16384 bytes");

        restore();
        final byte[] bytes = Files.readAllBytes(log);
        final int third = String.join("\n", lines.subList(0, 2)).length() + 1 + 20;
        bytes[third] = (byte)0xff;
        Files.write(log, bytes);
        assertProblem(Problem.MALFORMED, 3, 0, "not an audit entry: not UTF-8 text");
    }

    private AuditVerification assertProblem(final Problem problem, final long line, final long seq,
        final String reason) throws Exception
    {
        final AuditVerification found = verify();
        assertEquals(problem, found.problem(), found.reason());
        assertEquals(line, found.line(), found.reason());
        assertEquals(seq, found.seq(), found.reason());
        assertTrue(found.reason().contains(reason), found.reason());
        final boolean atEnd = problem == Problem.ANCHOR_MISMATCH || problem == Problem.NOT_ANCHORED;
        assertEquals(atEnd ? lines.size() : line - 1, found.entries(), "entries verified before the problem");
        return found;
    }

    private AuditVerification verify() throws Exception
    {
        return AuditVerifier.verify(log, AuditAnchor.read(anchor), AuditKey.read(keyFile));
    }

    private void edit(final int line, final java.util.function.UnaryOperator<String> change) throws Exception
    {
        final List<String> edited = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        edited.set(line - 1, change.apply(edited.get(line - 1)));
        save(edited);
    }

    private void restore() throws Exception
    {
        save(lines);
    }

    private void save(final List<String> content) throws Exception
    {
        Files.writeString(log, content.isEmpty() ? "" : String.join("\n", content) + "\n", StandardCharsets.UTF_8);
    }

    private static List<String> write(final Path log, final Path anchor, final Path key, final String principal)
        throws Exception
    {
        try (AuditLog audit = AuditLog.open(log, anchor, key))
        {
            audit.append(principal, "reload", "applied", DIGEST, null);
            audit.append(principal, "config_put", "invalid", DIGEST, "edge.yaml:7: flows.when_full: 'panic'");
            audit.append(principal, "reload", "applied", DIGEST, null);
            audit.append(principal, "capture", "applied", null, "tenant=blue packets=1000 seconds=30");
            audit.append(principal, "reload", "unchanged", DIGEST, null);
            audit.append(principal, "config_put", "applied", DIGEST, null);
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }
}
