package io.opensase.core.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: {@code opensase verify} said "0 passed, 0 failed" and exited 0 when nothing ran (a file
 * as {@code --cases}, an {@code --only} naming no case), and a bad {@code --classification} was noticed only
 * if a case ran. Each is now exit 2 with one line saying why, before any case runs.
 */
class VerifyCommandTest
{
    private static final Path CASES = Path.of(System.getProperty("opensase.data", "../shared/data"))
        .resolve("ids-verify").toAbsolutePath();

    @TempDir
    Path temp;

    private String out;
    private String err;

    @Test
    void shouldRefuseCasesThatAreNoFolderOrHoldNoCase() throws Exception
    {
        assertEquals(2, verify("--cases", "/etc/passwd"));
        assertEquals("opensase: /etc/passwd: --cases must be a folder of suricata-verify cases\n", err);
        assertEquals("", out);

        final Path empty = Files.createDirectory(temp.resolve("empty"));
        assertEquals(2, verify("--cases", empty.toString()));
        assertEquals("opensase: " + empty + ": no suricata-verify cases (folders holding a test.yaml) below it\n", err);

        final Path one = CASES.resolve("http-chunked");
        assertEquals(2, verify("--cases", one.toString()));
        assertEquals("opensase: " + one + ": no suricata-verify cases (folders holding a test.yaml) below it; it is "
            + "one case itself: give the folder holding it and --only http-chunked\n", err);
    }

    @Test
    void shouldRefuseAnOnlyThatNamesNoCase() throws Exception
    {
        assertEquals(2, verify("--cases", CASES.toString(), "--only", "nosuchcase"));
        assertEquals("opensase: --only nosuchcase: no such case in " + CASES + "\n", err);
        assertEquals("", out);

        final Path suite = temp.resolve("suite");
        Files.createDirectories(suite.resolve("tls"));
        Files.createSymbolicLink(suite.resolve("tls/tls-random"), CASES.resolve("http-chunked"));
        assertEquals(2, verify("--cases", suite.toString(), "--only", "tls-random"));
        assertEquals("opensase: --only tls-random: no such case in " + suite + " (cases are named by their path "
            + "below it: tls/tls-random)\n", err);
    }

    @Test
    void shouldCheckTheClassificationFileBeforeAnyCaseRuns() throws Exception
    {
        assertEquals(2, verify("--cases", CASES.toString(), "--classification", "/etc/passwd"));
        assertEquals("opensase: /etc/passwd: no 'config classification:' lines; not a classification.config "
            + "(--classification)\n", err);
        assertEquals("", out);

        final Path missing = temp.resolve("none.config");
        assertEquals(2, verify("--cases", CASES.toString(), "--classification", missing.toString()));
        assertEquals("opensase: " + missing + ": no such file (--classification)\n", err);

        final Path bad = Files.writeString(temp.resolve("bad.config"), "# classes\nconfig classification: a,b,high\n");
        assertEquals(2, verify("--cases", CASES.toString(), "--only", "nosuchcase", "--classification", bad.toString()));
        assertEquals("opensase: " + bad + ":2: priority 'high' is not a number (--classification)\n", err);
    }

    @Test
    void shouldStillRunTheCaseThatOnlyNames() throws Exception
    {
        final Path classification = CASES.resolveSibling("ids-rules/et-open/classification.config");
        assertEquals(0, verify("--cases", CASES.toString(), "--only", "http-chunked", "--eve-dir",
            temp.resolve("eve").toString(), "--classification", classification.toString()), out + err);
        assertEquals("PASS http-chunked\n1 passed, 0 failed, 0 skipped\n", out);
    }

    /**
     * Found by a tester: without {@code --eve-dir} every run left a /tmp/opensase-verifyNNN folder behind, also
     * when every case passed. Now it is removed at the end; kept when a case failed, with a line saying where
     * (the FAIL line names the case's file in it). The failing case is http-chunked with one filter asking for 2
     * alerts of sid 11 (its rules give one, as the unchanged case passes).
     */
    @Test
    void shouldRemoveItsTemporaryFolderUnlessACaseFailed() throws Exception
    {
        final Path tmp = Files.createDirectory(temp.resolve("tmp"));
        final Path classification = CASES.resolveSibling("ids-rules/et-open/classification.config");
        final Path suite = temp.resolve("suite");
        final Path failing = Files.createDirectories(suite.resolve("chunked-wrong"));
        for (final String file : new String[] {"input.pcap", "test.rules"})
        {
            Files.createSymbolicLink(failing.resolve(file), CASES.resolve("http-chunked").resolve(file));
        }
        Files.writeString(failing.resolve("test.yaml"), Files.readString(CASES.resolve("http-chunked/test.yaml"))
            .replaceFirst("count: 1", "count: 2"));
        final String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try
        {
            assertEquals(0, verify("--cases", CASES.toString(), "--only", "http-chunked", "--classification",
                classification.toString()), out + err);
            assertEquals("PASS http-chunked\n1 passed, 0 failed, 0 skipped\n", out);
            try (var left = Files.list(tmp))
            {
                assertEquals(List.of(), left.toList(), "nothing left behind");
            }

            assertEquals(1, verify("--cases", suite.toString(), "--classification", classification.toString()));
            final List<Path> kept;
            try (var left = Files.list(tmp))
            {
                kept = left.toList();
            }
            assertEquals(1, kept.size(), kept.toString());
            assertTrue(kept.getFirst().getFileName().toString().startsWith("opensase-verify"), kept.toString());
            assertTrue(out.startsWith("FAIL chunked-wrong (" + kept.getFirst().resolve("chunked-wrong.json") + ")\n"),
                out);
            assertTrue(out.endsWith("0 passed, 1 failed, 0 skipped\nEVE files kept in " + kept.getFirst()
                + " (a case failed; remove it when done)\n"), out);
            assertTrue(Files.isRegularFile(kept.getFirst().resolve("chunked-wrong.json")));
        }
        finally
        {
            System.setProperty("java.io.tmpdir", before);
        }
    }

    private int verify(final String... args)
    {
        final String[] command = new String[args.length + 1];
        command[0] = "verify";
        System.arraycopy(args, 0, command, 1, args.length);
        final CommandOutput result = CommandOutput.of(command);
        out = result.out();
        err = result.err();
        return result.status();
    }
}
