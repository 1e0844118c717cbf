package io.opensase.core.cli;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: when the EVE file could not be written (a full disk), {@code opensase ips} printed its
 * summary as after a good run, then {@code opensase: No space left on device} without naming the file. A file
 * size limit ({@code ulimit -f}; the JVM ignores SIGXFSZ, so the write fails with EFBIG) stands in for the full
 * disk, in a process of its own.
 */
class IpsEveWriteFailureTest
{
    private static final Path CAPTURE = SharedData.resolve("pcap/mixed/tcpreplay-test.pcap");

    @TempDir
    Path temp;

    @Test
    void aFailedEveWriteNamesTheFileAndPrintsNoSummary() throws Exception
    {
        final Path rules = Files.writeString(temp.resolve("local.rules"),
            "alert ip any any -> any any (msg:\"any\"; sid:1;)\n");
        final Path eve = temp.resolve("eve.json");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process process = new ProcessBuilder("bash", "-c", "ulimit -f 4; exec \"$@\"", "bash", java,
            "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            "io.opensase.core.cli.Main", "ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve",
            eve.toString())
            .redirectOutput(Redirect.DISCARD)
            .start();
        final String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(2, process.waitFor(), err);
        assertTrue(err.endsWith("opensase: " + eve + ": cannot write the EVE file: File too large (--eve)\n"), err);
        assertFalse(err.contains("packets inspected"), "no summary as after a good run: " + err);
    }
}
