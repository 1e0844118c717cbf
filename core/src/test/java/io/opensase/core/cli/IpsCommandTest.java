package io.opensase.core.cli;

import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: {@code opensase ips} compiled the rules (seconds with ET Open) before it found that
 * {@code --pcap} did not exist, and had created the EVE file by then. Every input and the EVE file's folder are
 * now checked first: one line naming the file and the option, exit status 2, no load report, nothing written.
 */
class IpsCommandTest
{
    private static final Path CAPTURE = SharedData.resolve("pcap/mixed/tcpreplay-test.pcap");

    @TempDir
    Path temp;

    private Path rules;
    private Path eve;
    private String err;

    @BeforeEach
    void writeRules() throws IOException
    {
        rules = Files.writeString(temp.resolve("local.rules"), "alert ip any any -> any any (msg:\"any\"; sid:1;)\n");
        eve = temp.resolve("eve.json");
    }

    @Test
    void missingCaptureIsReportedBeforeTheRulesLoad()
    {
        final Path absent = temp.resolve("absent.pcap");

        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", absent.toString(), "--eve", eve.toString()));
        assertEquals("opensase: " + absent + ": no such file (--pcap)\n", err);
        assertFalse(Files.exists(eve), "no EVE file is created");
    }

    @Test
    void missingEveFolderIsReportedBeforeTheRulesLoad()
    {
        final Path nowhere = temp.resolve("absent/eve.json");

        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve",
            nowhere.toString()));
        assertEquals("opensase: " + nowhere + ": folder " + nowhere.getParent() + " does not exist (--eve)\n", err);
    }

    @Test
    void everyInputIsCheckedWithTheOptionThatNamedIt() throws IOException
    {
        final Path absent = temp.resolve("absent.yaml");

        assertEquals(2, run("ips", "--rules", rules.toString(), "--rules", temp.resolve("absent.rules").toString(),
            "--pcap", CAPTURE.toString(), "--eve", eve.toString()));
        assertEquals("opensase: " + temp.resolve("absent.rules") + ": no such file (--rules)\n", err);
        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString(),
            "--dlp", absent.toString()));
        assertEquals("opensase: " + absent + ": no such file (--dlp)\n", err);
        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString(),
            "--classification", absent.toString()));
        assertEquals("opensase: " + absent + ": no such file (--classification)\n", err);
        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", temp.toString(), "--eve", eve.toString()));
        assertEquals("opensase: " + temp + ": not a regular file (--pcap)\n", err);
        assertFalse(Files.exists(eve), "no EVE file is created");
    }

    @Test
    void goodInputsStillRun()
    {
        assertEquals(0, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString()),
            err);
        assertTrue(err.startsWith("opensase: loaded 1 of 1 rules"), err);
        assertTrue(Files.exists(eve));
    }

    /**
     * Found by a tester: a frame larger than a packet buffer (200,072 bytes, in a pcap whose snap length allows
     * 262,144) was dropped before inspection, and the command said only "0 packets inspected". The capture line
     * now says what was read and dropped before the IPS stage.
     */
    @Test
    void framesDroppedBeforeInspectionAreSaid() throws IOException
    {
        final java.nio.ByteBuffer pcap = java.nio.ByteBuffer.allocate(24 + 16 + 200_072)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(262_144).putInt(1);
        pcap.putInt(0).putInt(0).putInt(200_072).putInt(200_072);
        final Path big = Files.write(temp.resolve("big.pcap"), pcap.array());

        assertEquals(0, run("ips", "--rules", rules.toString(), "--pcap", big.toString(), "--eve", eve.toString()),
            err);
        assertTrue(err.contains("\ncapture: 1 packets read, 1 dropped before inspection (oversize=1), 0 malformed, "
            + "0 snap-truncated\nips: 0 packets inspected"), err);

        assertEquals(0, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString()),
            err);
        assertTrue(err.contains("\ncapture: 179 packets read, 0 dropped before inspection, "),
            "tshark reads 179: " + err);
    }

    /**
     * Found by a tester: the rule-load lines lacked the {@code opensase:} prefix of the command's other lines, and
     * {@code --dlp} said nothing of what it loaded. configs/dlp/profiles.yaml holds four profiles: pci and
     * secrets block, national-ids and projects alert.
     */
    @Test
    void shouldPrefixTheLoadLinesAndSayWhatDlpLoaded()
    {
        final String profiles = "../configs/dlp/profiles.yaml";

        assertEquals(0, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString(),
            "--dlp", profiles), err);
        final String[] lines = err.split("\n");
        assertTrue(lines[0].startsWith("opensase: loaded 1 of 1 rules (100.0%), skipped 0"), err);
        assertTrue(lines[1].startsWith("opensase: ips matcher: "), err);
        assertEquals("opensase: dlp: 4 profiles from " + profiles + ": pci (block), national-ids (alert), "
            + "secrets (block), projects (alert)", lines[2]);
        assertTrue(lines[3].startsWith("capture: 179 packets read"), err);

        assertEquals(0, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString()),
            err);
        assertFalse(err.contains("dlp:"), "no DLP line without --dlp: " + err);
    }

    /** Found by a tester: {@code /dev/null} was refused as {@code --eve}; an operator reading only the summary. */
    @Test
    void shouldAcceptDevNullAsTheEveFile()
    {
        assertEquals(0, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString()),
            err);
        final String summary = err.substring(err.indexOf("\ncapture: "));
        assertEquals(0, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", "/dev/null"),
            err);
        assertTrue(err.endsWith(summary), "the summary a regular EVE file gives: " + err);
        assertTrue(summary.startsWith("\ncapture: 179 packets read"), "tshark reads 179 packets: " + summary);

        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", "/dev/zero"));
        assertEquals("opensase: /dev/zero: the EVE file must be a regular file or /dev/null (--eve)\n", err);
    }

    /** Found by a tester: a DLP file that is not UTF-8 was reported at line 0; now at its first bad byte. */
    @Test
    void shouldReportTheLineOfADlpFileThatIsNotUtf8() throws IOException
    {
        final Path latin1 = Files.write(temp.resolve("latin1.yaml"), "profiles:\n  - name: caf\u00e9\n    detectors:\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertEquals(2, run("ips", "--rules", rules.toString(), "--pcap", CAPTURE.toString(), "--eve", eve.toString(),
            "--dlp", latin1.toString()));
        assertEquals("opensase: " + latin1 + ":2: not UTF-8 text: byte 0xE9 at column 14\n", err);
    }

    private int run(final String... args)
    {
        final CommandOutput result = CommandOutput.of(args);
        err = result.err();
        return result.status();
    }
}
