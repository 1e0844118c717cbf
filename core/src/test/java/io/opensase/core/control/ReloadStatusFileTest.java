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
