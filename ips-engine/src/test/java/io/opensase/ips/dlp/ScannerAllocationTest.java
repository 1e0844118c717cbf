package io.opensase.ips.dlp;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scanning allocates nothing once warm: text full of findings (every built-in detector and keywords) and
 * clean text through an EDM table, from native memory, in odd-sized pieces, counted with the JVM's
 * per-thread allocation counter.
 */
class ScannerAllocationTest
{
    private static final String LADEN = "Order for AB 12 34 56 C card 4111 1111 1111 1111 exp 12/30, iban "
        + "GB33BUKB20201555555555, ssn 347-58-2916, key AKIAIOSFODNN7EXAMPLE, CONFIDENTIAL, "
        + "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY -----BEGIN RSA PRIVATE KEY----- "
        + "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV ";
    private static final String CLEAN = "The quick brown fox jumps over the lazy dog 1234 times, said Alice on "
        + "2024-05-06 at 10:30; see https://example.test/path?q=1&r=two+words. ";

    @TempDir
    Path folder;

    @Test
    void shouldNotAllocateWhenWarm() throws IOException
    {
        Files.writeString(folder.resolve("v.csv"), "name,card\nAlice Martin,4000056655665556\n");
        Files.writeString(folder.resolve("k.key"), "0123456789abcdef0123");
        final StringBuilder yaml = new StringBuilder("profiles:\n  - name: all\n    detectors:\n");
        for (final DetectorType type : DetectorType.values())
        {
            if (type != DetectorType.KEYWORDS && type != DetectorType.EDM)
            {
                yaml.append("      - type: ").append(type.yamlName()).append('\n');
            }
        }
        yaml.append("      - {type: keywords, words: [confidential, project falcon]}\n");
        yaml.append("      - {type: edm, csv: v.csv, secret_file: k.key, columns: {name: text, card: digits}}\n");
        try (DlpEngine engine = DlpTesting.engine(folder, yaml.toString()); Arena arena = Arena.ofConfined())
        {
            final DlpScanner scanner = engine.newScanner();
            final MemorySegment laden = arena.allocateFrom(LADEN.repeat(20), StandardCharsets.US_ASCII);
            final MemorySegment clean = arena.allocateFrom(CLEAN.repeat(20), StandardCharsets.US_ASCII);
            final int[] findings = new int[1];
            final DlpSink sink = (flow, finding) -> findings[0] += finding.count();
            final int flow = scanner.openFlow();
            run(scanner, flow, laden, clean, sink, 2_000);
            final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
            // Reading the counter may itself allocate: measure that with two reads in a row.
            final long first = threads.getCurrentThreadAllocatedBytes();
            final long before = threads.getCurrentThreadAllocatedBytes();
            final long reading = before - first;
            findings[0] = 0;
            run(scanner, flow, laden, clean, sink, 1_000);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before - reading;
            assertEquals(1_000 * 9, findings[0], "nine detectors found once each in every laden message");
            // 24 bytes appear once per run, whatever the number of messages (1,000 or 3,000): not per byte.
            assertTrue(allocated < 1_024, allocated + " bytes allocated over 1,000 laden and 1,000 clean messages");
        }
    }

    private static void run(final DlpScanner scanner, final int flow, final MemorySegment laden,
        final MemorySegment clean, final DlpSink sink, final int messages)
    {
        final MemorySegment[] bodies = {laden, clean};
        for (int m = 0; m < messages; m++)
        {
            for (final MemorySegment body : bodies)
            {
                final int length = (int)body.byteSize() - 1;
                for (int at = 0; at < length; at += 997)
                {
                    scanner.scan(flow, body, at, Math.min(997, length - at), sink);
                }
                scanner.endMessage(flow, sink);
            }
        }
    }
}
