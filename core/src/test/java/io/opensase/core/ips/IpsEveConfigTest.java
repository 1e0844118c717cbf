package io.opensase.core.ips;

import io.opensase.core.cli.MainAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by a tester: an {@code ips:} section without {@code eve} counted its alerts and wrote them nowhere
 * without a word; and an {@code ips.eve} inside {@code events.dir}, which is created at start, was refused at
 * the first start ("folder ... does not exist"). The bundled capture, samples/pop-demo.pcap, and one ICMP echo
 * rule; tshark counts the echo requests the rule must alert on.
 */
class IpsEveConfigTest
{
    private static final Path CAPTURE = Path.of("../samples/pop-demo.pcap").toAbsolutePath();
    private static final String RULE =
        "alert icmp any any -> any any (msg:\"echo request\"; itype:8; sid:1000003; rev:1;)\n";

    @TempDir
    Path dir;

    @Test
    void anIpsWithoutAnEveFileSaysSoAtStart() throws Exception
    {
        final Path config = config("");

        final String stderr = stderrOf("run", "--config", config.toString());

        assertTrue(stderr.contains("opensase: ips: no eve file (ips.eve): alerts and application events are "
            + "counted, not written\n"), stderr);
    }

    @Test
    void anEveFileInsideTheEventsFolderIsTakenAtTheFirstStart() throws Exception
    {
        final Path config = config("  eve: ev/alerts.json\nevents:\n  dir: ev\n");
        assertFalse(Files.exists(dir.resolve("ev")));

        final String stderr = stderrOf("run", "--config", config.toString());

        final List<String> lines = Files.readAllLines(dir.resolve("ev/alerts.json"));
        assertEquals(tsharkCount("icmp.type == 8"), lines.stream().filter(l -> l.contains("\"signature_id\":1000003,"))
            .count(), stderr);
        assertTrue(lines.size() > 0);
        assertTrue(Files.isRegularFile(dir.resolve("ev/eve.json")), "the flow records beside it");
        assertFalse(stderr.contains("no eve file"), stderr);
    }

    private Path config(final String more) throws Exception
    {
        Files.writeString(dir.resolve("local.rules"), RULE);
        return Files.writeString(dir.resolve("engine.yaml"), """
            ports:
              - name: branch
                type: pcap
                rx: %s
            ips:
              rules: [local.rules]
            """.formatted(CAPTURE) + more);
    }

    /** Runs the command line with its exit status 0 and returns what it printed on stderr. */
    private static String stderrOf(final String... args)
    {
        final PrintStream before = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(0, MainAccess.execute(args));
        }
        finally
        {
            System.setErr(before);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static long tsharkCount(final String filter) throws Exception
    {
        final Process p = new ProcessBuilder("tshark", "-n", "-r", CAPTURE.toString(), "-Y", filter)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final long lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count();
        assertEquals(0, p.waitFor());
        return lines;
    }
}
