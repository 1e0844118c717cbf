package io.opensase.core.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reload outcome beside the pid file carries when the reload was requested, started and finished. */
class ReloadStatusFileTest
{
    @TempDir
    Path dir;

    @Test
    void timesAreWrittenAsPropertiesAndReadBack() throws Exception
    {
        final ReloadStatusFile status = new ReloadStatusFile(dir.resolve("engine.pid"));
        status.write(3, new ReloadOutcome(ReloadOutcome.Status.APPLIED, 4, null, List.of(), "ab"), 1_000L, 1_500L,
            2_001_500L);
        final String text = Files.readString(dir.resolve("engine.pid.reload"));
        assertTrue(text.contains("requested_ns=1000\n") && text.contains("started_ns=1500\n")
            && text.contains("finished_ns=2001500\n"), text);
        final ReloadStatusFile.Entry entry = status.read();
        assertEquals(3, entry.seq());
        assertEquals(4, entry.outcome().generation());
        assertEquals(1_000L, entry.requestedNs());
        assertEquals(1_500L, entry.startedNs());
        assertEquals(2_001_500L, entry.finishedNs());
    }

    /**
     * Found by a tester: a reload that skipped rules said only "applied". The IPS load report goes through the
     * file, and {@code opensase reload} prints it line by line.
     */
    @Test
    void theIpsLoadReportIsWrittenAndReadBackWhole() throws Exception
    {
        final String load = "loaded 3 of 4 rules (75.0%), skipped 1\n     1  bad value: content  (first: "
            + "local.rules:4: value must be in double quotes: \"x)\nips matcher: 3 of 3 loaded rules enforced";
        final ReloadStatusFile status = new ReloadStatusFile(dir.resolve("engine.pid"));
        status.write(1, new ReloadOutcome(ReloadOutcome.Status.APPLIED, 0, null, List.of(), "ab", load), 1, 2, 3);

        final ReloadOutcome read = status.read().outcome();

        assertEquals(load, read.ipsLoad());
        assertEquals("applied: policy generation 0\nloaded 3 of 4 rules (75.0%), skipped 1\n     1  bad "
            + "value: content  (first: local.rules:4: value must be in double quotes: \"x)\nips matcher: 3 of 3 "
            + "loaded rules enforced", read.summary());
        assertEquals(null, new ReloadOutcome(ReloadOutcome.Status.APPLIED, 0, null, List.of(), "ab", null).ipsLoad());
        status.write(2, new ReloadOutcome(ReloadOutcome.Status.UNCHANGED, 0, null, List.of(), "ab"), 1, 2, 3);
        assertEquals(null, status.read().outcome().ipsLoad(), "a reload that loaded no rules has no report");
    }

    @Test
    void aFileWithoutTimesReadsThemAsZero() throws Exception
    {
        Files.writeString(dir.resolve("engine.pid.reload"), "seq=1\nstatus=applied\ngeneration=2\n");
        final ReloadStatusFile.Entry entry = new ReloadStatusFile(dir.resolve("engine.pid")).read();
        assertEquals(1, entry.seq());
        assertEquals(0, entry.requestedNs());
        assertEquals(0, entry.finishedNs());
    }
}
