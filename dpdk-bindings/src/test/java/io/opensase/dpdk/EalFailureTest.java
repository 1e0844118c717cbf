package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link Eal#init} says when EAL cannot start, each case in a child JVM of its own (EAL initialises once per
 * process): no hugepages, more memory than there is, not root, and a second initialisation. Every message quotes
 * DPDK's reason and says what to do.
 */
@RequiresDpdk
class EalFailureTest
{
    private static final List<String> BASE = List.of("--no-pci", "-l", "0-1", "--no-telemetry");

    @BeforeAll
    static void requireDpdk()
    {
        DpdkTestSupport.assumeDpdk();
    }

    @Test
    void shouldSayHowToGetHugepagesWhenThereAreNone() throws IOException
    {
        // A --huge-dir that is not a hugetlbfs mount: EAL finds no hugepages it may use, as on a machine without any.
        final Path empty = Files.createDirectories(DpdkTestSupport.scratch().resolve("no-hugetlbfs"));
        final String prefix = DpdkTestSupport.uniqueName("opensase_nohuge_" + ProcessHandle.current().pid() + "_");
        try
        {
            final String result = child(List.of(), "--file-prefix=" + prefix, "--huge-dir=" + empty);

            assertTrue(result.startsWith("FAILED rte_eal_init("), result);
            assertTrue(result.contains("Cannot get hugepage information"), "DPDK's reason: " + result);
            assertTrue(result.contains("echo 512 > /proc/sys/vm/nr_hugepages"), "the fix: " + result);
            assertTrue(result.contains("--no-huge -m 256"), "the alternative: " + result);
        }
        finally
        {
            removeRuntimeDirectories(prefix);
        }
    }

    @Test
    void shouldSayWhenTheMemoryAskedForIsNotThere()
    {
        final long megabytes = hugepageMegabytes() + 1024;

        final String result = child(List.of(), "--in-memory", "-m", Long.toString(megabytes));

        assertTrue(result.startsWith("FAILED rte_eal_init("), result);
        assertTrue(result.contains("Not enough memory available! Requested: " + megabytes + "MB"), result);
        assertTrue(result.contains("ask for less (-m / --socket-mem), reserve more"), "the fix: " + result);
    }

    @Test
    void shouldSayWhatToDoWhenNotRootAndTheSuggestionShouldWork()
    {
        assumeTrue(0 == DpdkTestSupport.exitCode("setpriv", "--version"), "setpriv (util-linux) is not installed");
        final List<String> nobody = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        final String prefix = DpdkTestSupport.uniqueName("opensase_nobody_" + ProcessHandle.current().pid() + "_");
        try
        {
            final String result = child(nobody, "--file-prefix=" + prefix);

            assertTrue(result.startsWith("FAILED rte_eal_init("), result);
            assertTrue(result.contains("Permission denied"), "DPDK's reason: " + result);
            assertTrue(result.contains("not root"), result);
            assertTrue(result.contains("add --in-memory"), "the fix: " + result);
            assertEquals("OK lcores=2", child(nobody, "--file-prefix=" + prefix, "--in-memory"),
                "the suggested --in-memory works as nobody");
        }
        finally
        {
            removeRuntimeDirectories(prefix);
        }
    }

    @Test
    void shouldInitialiseOncePerProcessEvenAfterCleanup()
    {
        final ChildJvm.Outcome outcome = ChildJvm.run(List.of(), withBase("twice", "--in-memory"));

        assertEquals(2, outcome.results().size(), outcome.output());
        assertTrue(outcome.results().get(0).contains("cannot initialise it again"), outcome.results().get(0));
        assertEquals("RAW -1 errno " + Errno.EALREADY, outcome.results().get(1), "what DPDK itself says");
    }

    private static String child(final List<String> launcher, final String... options)
    {
        final List<String> args = new ArrayList<>(List.of(options));
        args.addFirst("init");
        final ChildJvm.Outcome outcome = ChildJvm.run(launcher, withBase(args.toArray(String[]::new)));
        return outcome.result();
    }

    private static List<String> withBase(final String... modeAndOptions)
    {
        final List<String> args = new ArrayList<>(List.of(modeAndOptions));
        args.addAll(1, BASE);
        return args;
    }

    private static long hugepageMegabytes()
    {
        final String meminfo = Eal.EalFailures.hugepages();
        final long total = Long.parseLong(meminfo.replaceAll(".*HugePages_Total: (\\d+).*", "$1"));
        final long pageKb = Long.parseLong(meminfo.replaceAll(".*Hugepagesize: (\\d+) kB.*", "$1"));
        return total * pageKb / 1024;
    }

    /** A child leaves its runtime directory: /var/run/dpdk/PREFIX as root, /tmp/dpdk/PREFIX as another user. */
    private static void removeRuntimeDirectories(final String prefix)
    {
        DpdkTestSupport.deleteRecursively(Path.of("/var/run/dpdk", prefix));
        DpdkTestSupport.deleteRecursively(Path.of("/tmp/dpdk", prefix));
        try
        {
            Files.deleteIfExists(Path.of("/tmp/dpdk"));
        }
        catch (final IOException ex)
        {
            // Not empty: another DPDK program as a non-root user uses it.
        }
    }
}
