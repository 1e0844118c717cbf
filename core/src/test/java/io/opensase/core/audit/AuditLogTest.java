package io.opensase.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The audit log on real files: what each line and the anchor hold (macs recomputed independently), resuming
 * after a restart, refusing to continue a log that does not end where its anchor says, repairing what a
 * crash leaves, key and anchor placement, and many threads appending at once.
 */
class AuditLogTest
{
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00.123Z"), ZoneOffset.UTC);
    private static final String DIGEST = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

    @TempDir
    Path temp;

    private Path log;
    private Path anchor;
    private Path keyFile;

    @BeforeEach
    void files() throws Exception
    {
        Files.createDirectories(temp.resolve("log"));
        Files.createDirectories(temp.resolve("anchor"));
        Files.createDirectories(temp.resolve("secret"));
        log = temp.resolve("log/audit.log");
        anchor = temp.resolve("anchor/audit.anchor");
        keyFile = temp.resolve("secret/audit.key");
        AuditKey.generate(keyFile);
    }

    @Test
    void shouldWriteOneSealedJsonLinePerEntryChainedFromZero() throws Exception
    {
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            audit.append("ops-alice", "reload", "applied", DIGEST, null);
            audit.append("ops-bob", "config_put", "invalid", DIGEST,
                "edge.yaml:7: flows.when_full: 'panic' \"x\"\n\té");
            audit.append("opensase", "capture", "failed", null, "tenant=blue 10.0.0.0/8 \u0001");
        }

        final List<JsonNode> entries = IndependentSeal.assertChain(log, IndependentSeal.key(keyFile));
        assertEquals(3, entries.size());
        final JsonNode first = entries.get(0);
        assertEquals(List.of("seq", "time", "principal", "action", "result", "config_digest", "prev", "mac"),
            names(first));
        assertEquals("2025-06-01T12:00:00.123Z", first.get("time").asText());
        assertEquals("ops-alice", first.get("principal").asText());
        assertEquals("reload", first.get("action").asText());
        assertEquals("applied", first.get("result").asText());
        assertEquals(DIGEST, first.get("config_digest").asText());
        assertEquals(IndependentSeal.ZERO, first.get("prev").asText());
        assertEquals("edge.yaml:7: flows.when_full: 'panic' \"x\"\n\té", entries.get(1).get("detail").asText());
        assertEquals(List.of("seq", "time", "principal", "action", "result", "config_digest", "detail", "prev", "mac"),
            names(entries.get(1)));
        assertTrue(entries.get(2).get("config_digest").isNull());
        assertEquals("tenant=blue 10.0.0.0/8 \u0001", entries.get(2).get("detail").asText());
        final byte[] bytes = Files.readAllBytes(log);
        assertEquals('\n', bytes[bytes.length - 1]);
        assertEquals(3, new String(bytes, StandardCharsets.UTF_8).lines().count(), "one line per entry");
    }

    @Test
    void shouldSealAsOpensslComputesTheHmac() throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            audit.append("ops", "reload", "applied", DIGEST, "one");
            audit.append("ops", "reload", "unchanged", DIGEST, null);
        }
        final String second = Files.readAllLines(log).get(1);
        final Path message = temp.resolve("message");
        Files.write(message, IndependentSeal.sealedBytes(second));
        final String hexKey = Files.readString(keyFile).strip();
        final Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt",
            "hexkey:" + hexKey, message.toString()).redirectErrorStream(true).start();
        final String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), output);

        final String expected = output.substring(output.lastIndexOf(' ') + 1);
        assertEquals(expected, IndependentSeal.read(second).get("mac").asText());
    }

    @Test
    void shouldReplaceTheAnchorAfterEveryAppendAndExposeTheHead() throws Exception
    {
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertEquals(new AuditHead("audit.log", 0, IndependentSeal.ZERO, null), audit.head());
            assertEquals("{\"log\":\"audit.log\",\"seq\":0,\"mac\":\"" + IndependentSeal.ZERO + "\"}\n",
                Files.readString(anchor));
            for (int i = 1; i <= 3; i++)
            {
                final AuditEntry entry = audit.append("ops", "reload", "applied", DIGEST, null);
                final List<String> lines = Files.readAllLines(log);
                final String mac = IndependentSeal.read(lines.getLast()).get("mac").asText();
                assertEquals(mac, entry.mac());
                assertEquals("{\"log\":\"audit.log\",\"seq\":" + i + ",\"mac\":\"" + mac + "\"}\n",
                    Files.readString(anchor));
                assertEquals(new AuditHead("audit.log", i, mac, null), audit.head());
            }
        }
        try (var names = Files.list(anchor.getParent()))
        {
            assertEquals(List.of(anchor), names.toList(), "no temporary file left beside the anchor");
        }
    }

    @Test
    void shouldResumeTheChainAfterARestart() throws Exception
    {
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            audit.append("ops", "reload", "applied", DIGEST, null);
            audit.append("ops", "reload", "invalid", DIGEST, "bad");
        }
        final String secondMac = IndependentSeal.read(Files.readAllLines(log).get(1)).get("mac").asText();

        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertEquals(new AuditHead("audit.log", 2, secondMac, null), audit.head());
            assertEquals(List.of(), audit.recovered());
            final AuditEntry third = audit.append("ops", "capture", "applied", null, null);
            assertEquals(3, third.seq());
            assertEquals(secondMac, third.prev());
        }
        assertEquals(3, IndependentSeal.assertChain(log, IndependentSeal.key(keyFile)).size());
        assertTrue(AuditVerifier.verify(log, AuditAnchor.read(anchor), AuditKey.read(keyFile)).intact());
    }

    @Test
    void shouldRefuseToStartOnALogThatDoesNotEndWhereItsAnchorSays() throws Exception
    {
        final List<String> lines = threeEntries();
        final String anchorText = Files.readString(anchor);

        Files.writeString(log, lines.get(0) + "\n" + lines.get(1) + "\n"
            + lines.get(2).replace("\"result\":\"applied\"", "\"result\":\"invalid\"") + "\n");
        assertRefused("the last entry (seq 3) does not verify with the key");

        Files.writeString(log, lines.get(0) + "\n" + lines.get(1) + "\n");
        assertRefused("ends at seq 2, but the anchor " + anchor + " says seq 3: entries 3..3 were removed (truncated)");

        Files.writeString(log, "");
        assertRefused("holds no complete entry, but the anchor says the log ends at seq 3");

        Files.delete(log);
        assertRefused("no such file, but the anchor " + anchor + " says the log ends at seq 3");
        assertFalse(Files.exists(log), "a refused log is not created");

        Files.writeString(log, String.join("\n", lines) + "\n");
        Files.writeString(anchor, "{\"log\":\"audit.log\",\"seq\":1,\"mac\":\""
            + IndependentSeal.read(lines.get(0)).get("mac").asText() + "\"}\n");
        assertRefused("ends at seq 3, but the anchor " + anchor + " says seq 1: entries after seq 1 are not anchored");

        Files.writeString(anchor, anchorText.replace("audit.log", "other.log"));
        assertRefused("anchors the log 'other.log', not 'audit.log'");

        Files.delete(anchor);
        assertRefused("no such file, but the log " + log + " holds");
        assertFalse(Files.exists(anchor), "a refused log gets no anchor");

        Files.writeString(anchor, anchorText);
        final Path otherKey = temp.resolve("secret/other.key");
        AuditKey.generate(otherKey);
        final AuditException wrongKey = assertThrows(AuditException.class, () -> AuditLog.open(log, anchor, otherKey));
        assertTrue(wrongKey.getMessage().contains("does not verify with the key"), wrongKey.getMessage());

        final Path otherLog = temp.resolve("other/audit.log");
        Files.createDirectories(otherLog.getParent());
        try (AuditLog other = AuditLog.open(otherLog, temp.resolve("anchor/other.anchor"), keyFile, Clock.systemUTC()))
        {
            for (int i = 0; i < 3; i++)
            {
                other.append("mallory", "reload", "applied", DIGEST, null);
            }
        }
        Files.copy(otherLog, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertRefused("ends at seq 3 with mac ");
        assertRefused("the end of the log was replaced");

        Files.writeString(log, String.join("\n", lines) + "\n");
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertEquals(3, audit.head().seq(), "the untouched log still opens");
        }
    }

    @Test
    void shouldRemoveALineCutShortByACrashAndLogTheRepair() throws Exception
    {
        final List<String> lines = threeEntries();
        final String partial = lines.get(2).substring(0, 40);
        Files.writeString(log, partial, StandardOpenOption.APPEND);

        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertEquals(1, audit.recovered().size());
            assertTrue(audit.recovered().getFirst().startsWith("removed 40 bytes after seq 3 (sha256 "),
                audit.recovered().toString());
            assertEquals(4, audit.head().seq());
        }
        final List<JsonNode> entries = IndependentSeal.assertChain(log, IndependentSeal.key(keyFile));
        final JsonNode repair = entries.getLast();
        assertEquals("opensase", repair.get("principal").asText());
        assertEquals("audit_recover", repair.get("action").asText());
        assertEquals("repaired", repair.get("result").asText());
        assertTrue(repair.get("detail").asText().contains("a line cut short by a crash during a write"));
        assertEquals(lines, Files.readAllLines(log).subList(0, 3), "the complete entries are kept as they were");
        assertTrue(AuditVerifier.verify(log, AuditAnchor.read(anchor), AuditKey.read(keyFile)).intact());
    }

    @Test
    void shouldBringAnAnchorOneEntryBehindUpToDateAndLogIt() throws Exception
    {
        final Path saved = temp.resolve("saved.anchor");
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            audit.append("ops", "reload", "applied", DIGEST, null);
            audit.append("ops", "reload", "applied", DIGEST, null);
            Files.copy(anchor, saved);
            audit.append("ops", "reload", "applied", DIGEST, null);
        }
        Files.copy(saved, anchor, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertEquals(1, audit.recovered().size());
            assertTrue(audit.recovered().getFirst().startsWith("the anchor was at seq 2, one entry behind the log"));
            assertEquals(4, audit.head().seq());
        }
        assertEquals(4, IndependentSeal.assertChain(log, IndependentSeal.key(keyFile)).size());
        assertTrue(AuditVerifier.verify(log, AuditAnchor.read(anchor), AuditKey.read(keyFile)).intact());
    }

    @Test
    void shouldRefuseAppendsAfterAFailedWriteUntilARestartRecovers() throws Exception
    {
        final Path blocker = anchor.resolveSibling(".audit.anchor.tmp");
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            audit.append("ops", "reload", "applied", DIGEST, null);
            Files.createDirectory(blocker);

            final AuditException failed = assertThrows(AuditException.class,
                () -> audit.append("ops", "reload", "applied", DIGEST, null));
            assertTrue(failed.getMessage().startsWith(anchor + ": cannot write: "), failed.getMessage());
            assertEquals(2, audit.head().seq(), "the entry itself is in the log");
            assertTrue(audit.head().failure().startsWith("anchoring seq 2: "), audit.head().failure());

            final AuditException refused = assertThrows(AuditException.class,
                () -> audit.append("ops", "capture", "applied", null, null));
            assertTrue(refused.getMessage().startsWith(log + ": not written since an earlier failure (anchoring seq 2"),
                refused.getMessage());
            assertEquals(2, Files.readAllLines(log).size());
            assertEquals(1, IndependentSeal.read(Files.readString(anchor)).get("seq").asLong());
        }
        Files.delete(blocker);

        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertTrue(audit.recovered().getFirst().startsWith("the anchor was at seq 1, one entry behind the log"));
            assertEquals(new AuditHead("audit.log", 3, audit.head().mac(), null), audit.head());
        }
        assertEquals(3, IndependentSeal.assertChain(log, IndependentSeal.key(keyFile)).size());
    }

    @Test
    void shouldRefuseAKeyFileInsideTheLogDirectoryOrOpenToOthers() throws Exception
    {
        final Path inside = temp.resolve("log/audit.key");
        AuditKey.generate(inside);
        assertOpenFails(log, anchor, inside, inside + ": key file is inside the log's directory");

        Files.createDirectories(temp.resolve("log/keys"));
        final Path below = temp.resolve("log/keys/audit.key");
        AuditKey.generate(below);
        assertOpenFails(log, anchor, below, below + ": key file is inside the log's directory");

        final Path link = temp.resolve("secret/link.key");
        Files.createSymbolicLink(link, inside);
        assertOpenFails(log, anchor, link, link + ": key file is inside the log's directory");

        final Path nowhere = temp.resolve("missing/audit.anchor");
        assertOpenFails(log, nowhere, keyFile, nowhere + ": the anchor's directory " + nowhere.getParent()
            + " does not exist");

        final Path insideAnchor = temp.resolve("log/audit.anchor");
        assertOpenFails(log, insideAnchor, keyFile, insideAnchor + ": anchor is inside the log's directory");

        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r-----"));
        assertOpenFails(log, anchor, keyFile, keyFile + ": key file is open to others (mode rw-r-----); allow its "
            + "owner only: chmod 600 " + keyFile);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw----r--"));
        assertOpenFails(log, anchor, keyFile, keyFile + ": key file is open to others (mode rw----r--)");

        final Path notAKey = temp.resolve("secret/not.key");
        Files.writeString(notAKey, "correct horse battery staple\n");
        Files.setPosixFilePermissions(notAKey, PosixFilePermissions.fromString("rw-------"));
        assertOpenFails(log, anchor, notAKey, notAKey + ": not an audit key: expected 64 hex digits");

        final Path missing = temp.resolve("secret/missing.key");
        assertOpenFails(log, anchor, missing, missing + ": no such file");

        assertFalse(Files.exists(log), "nothing is created when the key or anchor is refused");
        assertFalse(Files.exists(anchor));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("r--------"));
        AuditLog.open(log, anchor, keyFile, CLOCK).close();
    }

    @Test
    void shouldGenerateA32ByteKeyReadableByItsOwnerOnlyAndNeverReplaceOne() throws Exception
    {
        final String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        assertTrue(text.matches("[0-9a-f]{64}\n"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));

        final Path second = temp.resolve("secret/second.key");
        AuditKey.generate(second);
        assertFalse(Files.readString(second).equals(text), "keys are random");

        final AuditException again = assertThrows(AuditException.class, () -> AuditKey.generate(keyFile));
        assertTrue(again.getMessage().startsWith(keyFile + ": already exists"), again.getMessage());
        assertEquals(text, Files.readString(keyFile));
    }

    @Test
    void shouldRefuseASecondWriterInThisProcessOrAnother() throws Exception
    {
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertOpenFails(log, anchor, keyFile, log + ": already open in this process");
            audit.append("ops", "reload", "applied", null, null);
        }

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        final Process holder = new ProcessBuilder("python3", "-c", """
            import fcntl, sys
            f = open(sys.argv[1], 'r+')
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print('locked', flush=True)
            sys.stdin.read()
            """, log.toString()).redirectErrorStream(true).start();
        try
        {
            final BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.US_ASCII));
            assertEquals("locked", output.readLine());
            assertOpenFails(log, anchor, keyFile, log + ": in use: another process holds its lock");
        }
        finally
        {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertEquals(1, audit.head().seq(), "opens once the other process lets go");
        }
    }

    @Test
    void shouldKeepOneValidChainWhenSeveralThreadsAppendAtOnce() throws Exception
    {
        final int threads = 4;
        final int each = 25;
        final CyclicBarrier start = new CyclicBarrier(threads);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile))
        {
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final String principal = "thread-" + t;
                workers.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        start.await();
                        for (int i = 0; i < each; i++)
                        {
                            audit.append(principal, "reload", "applied", DIGEST, "n=" + i);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }));
            }
            for (final Thread worker : workers)
            {
                worker.join(60_000);
            }
            assertNull(failure.get());
            assertEquals(threads * each, audit.head().seq());
        }

        final List<JsonNode> entries = IndependentSeal.assertChain(log, IndependentSeal.key(keyFile));
        assertEquals(threads * each, entries.size());
        for (int t = 0; t < threads; t++)
        {
            final String principal = "thread-" + t;
            assertEquals(List.of("n=0", "n=1", "n=2"), entries.stream()
                .filter(entry -> principal.equals(entry.get("principal").asText()))
                .map(entry -> entry.get("detail").asText()).limit(3).toList(), "each thread's entries in its order");
        }
        final JsonNode anchored = IndependentSeal.read(Files.readString(anchor));
        assertEquals(threads * each, anchored.get("seq").asLong());
        assertEquals(entries.getLast().get("mac").asText(), anchored.get("mac").asText());
    }

    @Test
    void shouldNeverLetAReaderSeeAPartialAnchor() throws Exception
    {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final int[] reads = new int[1];
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile))
        {
            final Thread reader = Thread.ofPlatform().start(() ->
            {
                long seen = 0;
                try
                {
                    while (!done.get())
                    {
                        final JsonNode json = IndependentSeal.read(Files.readString(anchor));
                        assertEquals(List.of("log", "seq", "mac"), names(json));
                        assertTrue(json.get("seq").asLong() >= seen, "the anchor never goes back");
                        assertTrue(json.get("mac").asText().matches("[0-9a-f]{64}"));
                        seen = json.get("seq").asLong();
                        reads[0]++;
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            });
            for (int i = 0; i < 100; i++)
            {
                audit.append("ops", "reload", "applied", DIGEST, null);
            }
            done.set(true);
            reader.join(60_000);
        }
        assertNull(failure.get());
        assertTrue(reads[0] > 100, "the reader read the anchor while it was being replaced: " + reads[0]);
    }

    @Test
    void shouldRefuseBadFieldsWithoutWritingAndCutLongDetails() throws Exception
    {
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            assertThrows(IllegalArgumentException.class, () -> audit.append("ops", "Reload", "applied", null, null));
            assertThrows(IllegalArgumentException.class, () -> audit.append("ops", "reload", "applied!", null, null));
            assertThrows(IllegalArgumentException.class, () -> audit.append("ops", "reload", "applied", "abc", null));
            assertThrows(IllegalArgumentException.class,
                () -> audit.append("ops", "reload", "applied", DIGEST.toUpperCase(), null));
            assertThrows(IllegalArgumentException.class, () -> audit.append("", "reload", "applied", null, null));
            assertThrows(IllegalArgumentException.class, () -> audit.append(null, "reload", "applied", null, null));
            assertThrows(IllegalArgumentException.class, () -> audit.append("a\nb", "reload", "applied", null, null));
            assertThrows(IllegalArgumentException.class,
                () -> audit.append("x".repeat(129), "reload", "applied", null, null));
            assertEquals(0, audit.head().seq());
            assertEquals(0, Files.size(log), "nothing written for a refused entry");

            final AuditEntry cut = audit.append("ops", "config_put", "invalid", null, "e".repeat(5000));
            assertEquals(AuditEntry.MAX_DETAIL, cut.detail().length());
            assertTrue(cut.detail().endsWith("e [cut: 5000 characters]"), cut.detail());
            final AuditEntry broken = audit.append("ops\uD800", "reload", "applied", null, "x\uDC00y");
            assertEquals("ops\uFFFD", broken.principal());
            assertEquals("x\uFFFDy", broken.detail());
        }
        IndependentSeal.assertChain(log, IndependentSeal.key(keyFile));
        final AuditLog closed = AuditLog.open(log, anchor, keyFile, CLOCK);
        closed.close();
        final AuditException after = assertThrows(AuditException.class,
            () -> closed.append("ops", "reload", "applied", null, null));
        assertEquals(log + ": the audit log is closed", after.getMessage());
    }

    private List<String> threeEntries() throws Exception
    {
        try (AuditLog audit = AuditLog.open(log, anchor, keyFile, CLOCK))
        {
            audit.append("ops", "reload", "applied", DIGEST, null);
            audit.append("ops", "config_put", "invalid", DIGEST, "edge.yaml:3: bad");
            audit.append("ops", "reload", "applied", DIGEST, null);
        }
        return Files.readAllLines(log);
    }

    private void assertRefused(final String message) throws Exception
    {
        final byte[] logBefore = Files.exists(log) ? Files.readAllBytes(log) : null;
        final byte[] anchorBefore = Files.exists(anchor) ? Files.readAllBytes(anchor) : null;
        final AuditException ex = assertThrows(AuditException.class, () -> AuditLog.open(log, anchor, keyFile, CLOCK));
        assertTrue(ex.getMessage().contains(message), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(log.toString()) || ex.getMessage().startsWith(anchor.toString()),
            ex.getMessage());
        if (null != logBefore)
        {
            assertArrayEquals(logBefore, Files.readAllBytes(log), "a refused log is left as it was");
        }
        if (null != anchorBefore)
        {
            assertArrayEquals(anchorBefore, Files.readAllBytes(anchor), "a refused log's anchor is left as it was");
        }
    }

    private static void assertOpenFails(final Path log, final Path anchor, final Path key, final String message)
    {
        final AuditException ex = assertThrows(AuditException.class, () -> AuditLog.open(log, anchor, key, CLOCK));
        assertTrue(ex.getMessage().startsWith(message), ex.getMessage());
    }

    private static List<String> names(final JsonNode json)
    {
        final List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
