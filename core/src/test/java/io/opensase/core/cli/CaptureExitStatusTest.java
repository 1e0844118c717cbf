package io.opensase.core.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: {@code opensase ips} exited 2 on a capture corrupt part-way, where {@code opensase run}
 * exits 1, as the README documents for bad input (2 is for a command line, configuration or file that cannot be
 * used at all). Both now exit 1, inspect the packets before the bad record and name the file and its offset.
 * The capture (src/test/resources/cli/three-datagrams.py, checked with tshark) holds three 60-byte UDP frames,
 * records at bytes 24, 100 and 176, 252 bytes in all.
 */
class CaptureExitStatusTest
{
    private static final int THIRD_RECORD = 176;

    @TempDir
    Path temp;

    private byte[] whole;
    private Path rules;

    @BeforeEach
    void writeCaptureAndRules() throws Exception
    {
        final Path capture = temp.resolve("three.pcap");
        final Process python = new ProcessBuilder("/usr/bin/python3", "src/test/resources/cli/three-datagrams.py",
            capture.toString()).inheritIO().start();
        assertEquals(0, python.waitFor());
        whole = Files.readAllBytes(capture);
        assertEquals(252, whole.length);
        rules = Files.writeString(temp.resolve("udp.rules"), "alert udp any any -> any any (msg:\"udp\"; sid:1;)\n");
    }

    @Test
    void shouldExitOneOnACaptureCutInARecordsDataInBothCommands() throws IOException
    {
        final Path cut = Files.write(temp.resolve("cut.pcap"), Arrays.copyOf(whole, THIRD_RECORD + 16 + 10));
        final String error = "opensase: " + cut + ": at byte 176: packet data cut short: 10 of 60 bytes\n";

        final CommandOutput run = CommandOutput.of("run", "--pcap-in", cut.toString());
        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().endsWith(error), run.err());

        final Path eve = temp.resolve("eve.json");
        final CommandOutput ips = CommandOutput.of("ips", "--rules", rules.toString(), "--pcap", cut.toString(),
            "--eve", eve.toString());
        assertEquals(1, ips.status(), ips.err());
        assertTrue(ips.err().endsWith("\n" + error), ips.err());
        assertTrue(ips.err().contains("\ncapture: 2 packets read, "), ips.err());
        assertTrue(ips.err().contains("\nips: 2 packets inspected, 2 alerts, "), ips.err());
        assertEquals(2, Files.readAllLines(eve).stream().filter(line -> line.contains("\"event_type\":\"alert\""))
            .count(), "the two packets before the cut are inspected");
    }

    @Test
    void shouldExitOneOnARecordLengthPastTheSnapLengthInBothCommands() throws IOException
    {
        final byte[] corrupt = whole.clone();
        // The third record's captured length (bytes 8-11 of its header) is made 1 MiB, past the 65,535 snap length.
        ByteBuffer.wrap(corrupt).order(ByteOrder.LITTLE_ENDIAN).putInt(THIRD_RECORD + 8, 1 << 20);
        final Path bad = Files.write(temp.resolve("bad.pcap"), corrupt);

        final CommandOutput run = CommandOutput.of("run", "--pcap-in", bad.toString());
        assertEquals(1, run.status(), run.err());
        final String error = lastLine(run.err());
        assertTrue(error.startsWith("opensase: " + bad + ": at byte 176: "), run.err());

        final CommandOutput ips = CommandOutput.of("ips", "--rules", rules.toString(), "--pcap", bad.toString(),
            "--eve", temp.resolve("eve.json").toString());
        assertEquals(1, ips.status(), ips.err());
        assertEquals(error, lastLine(ips.err()), "the line run gives");
    }

    @Test
    void shouldExitOneOnAFileThatIsNoCaptureInBothCommands() throws IOException
    {
        final Path text = Files.writeString(temp.resolve("notes.txt"), "these are not packets\n");
        final String error = "opensase: " + text + ": at byte 0: not a capture: magic number 0x73656874 is neither "
            + "pcap nor pcapng\n";

        assertEquals(1, CommandOutput.of("run", "--pcap-in", text.toString()).status());
        final CommandOutput ips = CommandOutput.of("ips", "--rules", rules.toString(), "--pcap", text.toString(),
            "--eve", temp.resolve("eve.json").toString());
        assertEquals(1, ips.status(), ips.err());
        assertTrue(ips.err().endsWith("\ncapture: 0 packets read, 0 dropped before inspection, 0 malformed, "
            + "0 snap-truncated\nips: 0 packets inspected, 0 alerts, 0 dropped by rules or DLP, 0 in dropped flows, "
            + "0 pcre matches aborted, 0 requests DLP could not scan whole, 0 TCP flows without application "
            + "inspection (no stream free), 0 early stream inspections (no room to wait for the acknowledgement), 0 "
            + "HTTP messages with headers past the parser's limit (not parsed), 0 HTTP messages without a header "
            + "block free (not parsed), 0 tagged packets logged, 0 tags refused\n" + error), ips.err());
    }

    /** The last line of {@code text}, without its line end (run's own lines may come before it). */
    private static String lastLine(final String text)
    {
        final String[] lines = text.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void shouldStillExitTwoWhenTheCaptureCannotBeUsedAtAll()
    {
        final CommandOutput ips = CommandOutput.of("ips", "--rules", rules.toString(), "--pcap",
            temp.resolve("absent.pcap").toString(), "--eve", temp.resolve("eve.json").toString());
        assertEquals(2, ips.status());
        assertEquals(2, CommandOutput.of("run", "--pcap-in", temp.resolve("absent.pcap").toString()).status());
    }
}
