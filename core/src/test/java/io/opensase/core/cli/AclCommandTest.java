package io.opensase.core.cli;

import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.AclTuples;
import io.opensase.classifiers.acl.ClassBenchFormat;
import io.opensase.classifiers.acl.ReferenceAcl;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code opensase acl} as an operator runs it: one result per trace line on stdout, equal to the linear-scan
 * reference; build figures on stderr; bad files as one line and exit status 2.
 */
class AclCommandTest
{
    @TempDir
    Path temp;

    private String out;
    private String err;

    @Test
    void shouldPrintTheReferenceFirstMatchForEveryLineOfTheSharedTraces() throws Exception
    {
        for (final String set : List.of("acl1_5", "fw_1k", "ipc_1k"))
        {
            final Path rules = SharedData.resolve("acl/classbench-traces/" + set);
            final Path trace = SharedData.resolve("acl/classbench-traces/" + set + "_trace");
            assertEquals(0, run("acl", "--rules", rules.toString(), "--trace", trace.toString()), err);
            assertMatchesReference(rules, trace);
            assertTrue(err.startsWith("opensase acl: ") && err.contains("build") && err.contains("peak resident"),
                err);
            assertEquals(1, err.lines().count(), err);
        }
    }

    @Test
    void shouldReadRulesWithoutFlagsColumnAndTracesWithExtraColumns() throws Exception
    {
        final Path rules = write("rules", """
            @10.0.0.0/8\t0.0.0.0/0\t0 : 65535\t80 : 80\t0x06/0xFF
            @0.0.0.0/0\t255.255.255.255/32\t65535 : 65535\t0 : 65535\t0x00/0x00\t0x0000/0x0000
            @0.0.0.0/0\t0.0.0.0/0\t0 : 65535\t0 : 65535\t0x11/0xFF
            """);
        final Path trace = write("trace", """
            167772161\t1\t5\t80\t6\t0\t0\textra
            4294967295\t4294967295\t65535\t0\t0
            1 2 3 4 17
            1 2 3 4 6
            """);
        assertEquals(0, run("acl", "--rules", rules.toString(), "--trace", trace.toString()), err);
        assertEquals("0\n1\n2\n-1\n", out);
        assertMatchesReference(rules, trace);
    }

    @Test
    void shouldNameFileLineAndReasonForBadFilesAndExitTwo() throws Exception
    {
        final Path good = write("good", "@1.2.3.4/32\t0.0.0.0/0\t0 : 65535\t0 : 65535\t0x06/0xFF\n");
        final Path badRules = write("bad-rules", "@1.2.3.4/32\t0.0.0.0/0\t0 : 65535\t0 : 65535\t0x06/0xFF\n"
            + "@1.2.3.4/32\t0.0.0.0/0\t0 : 65535\t0 : 99999\t0x06/0xFF\n");
        final Path badTrace = write("bad-trace", "1 2 3 4 6\n1 2 3 4\n");
        final Path trace = write("trace", "1 2 3 4 6\n");

        assertEquals(2, run("acl", "--rules", badRules.toString(), "--trace", trace.toString()));
        assertEquals("opensase: " + badRules + ":2: destination port '99999' is not within 0..65535\n", err);
        assertEquals("", out);

        assertEquals(2, run("acl", "--rules", good.toString(), "--trace", badTrace.toString()));
        assertEquals("opensase: " + badTrace + ":2: expected 5 columns 'src dst sport dport proto', found 4\n", err);
        assertEquals("", out);

        assertEquals(2, run("acl", "--rules", temp.resolve("missing").toString(), "--trace", trace.toString()));
        assertEquals("opensase: " + temp.resolve("missing") + ": no such file\n", err);

        assertEquals(2, run("acl", "--rules", temp.toString(), "--trace", trace.toString()));
        assertEquals("opensase: " + temp + ": not a file\n", err);

        assertEquals(2, run("acl", "--rules", good.toString()));
        assertTrue(err.startsWith("opensase: acl needs --rules FILE and --trace FILE\n"), err);
    }

    private void assertMatchesReference(final Path rulesFile, final Path traceFile) throws Exception
    {
        final List<AclRule> rules = ClassBenchFormat.readRules(rulesFile);
        final AclTuples trace = ClassBenchFormat.readTrace(traceFile);
        final int[] expected = new ReferenceAcl(rules).classifyAll(trace, trace.capacity());
        final List<String> lines = out.lines().toList();
        assertEquals(expected.length, lines.size(), "one line per trace line");
        for (int i = 0; i < expected.length; i++)
        {
            assertEquals(String.valueOf(expected[i]), lines.get(i), traceFile + " line " + (i + 1));
        }
    }

    private Path write(final String name, final String text) throws Exception
    {
        final Path file = temp.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    private int run(final String... args)
    {
        final CommandOutput result = CommandOutput.of(args);
        out = result.out();
        err = result.err();
        return result.status();
    }
}
