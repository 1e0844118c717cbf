package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opensase.dpdk.internal.NativeLibraries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shim's search chain, in child JVMs whose classes are copied outside the repository, so that only the steps
 * under test can find it: nothing found (every place tried is listed), nothing from above the working directory,
 * and the system property, alone.
 */
@RequiresDpdk
class NativeLibrariesTest
{
    private static Path isolated;
    private static String classPath;

    @BeforeAll
    static void copyClassesOutsideTheRepository() throws IOException
    {
        DpdkTestSupport.assumeDpdk();
        isolated = Files.createTempDirectory("opensase-dpdk-isolated-");
        copy(DpdkTestSupport.codeSource(Eal.class), isolated.resolve("classes"));
        copy(DpdkTestSupport.codeSource(EalChild.class), isolated.resolve("test-classes"));
        classPath = isolated.resolve("classes") + ":" + isolated.resolve("test-classes");
    }

    @AfterAll
    static void removeCopies()
    {
        if (null != isolated)
        {
            DpdkTestSupport.deleteRecursively(isolated);
        }
    }

    @Test
    void shouldSayHowToBuildTheShimAndListEveryPlaceItLooked()
    {
        final ChildJvm.Outcome outcome = ChildJvm.run(List.of(), List.of("-Djava.library.path=" + isolated),
            classPath, isolated, List.of("available"));

        final String result = outcome.results().getFirst();
        assertTrue(result.startsWith("UNAVAILABLE DPDK is not usable from Java: cannot load the DPDK shim"), result);
        assertTrue(result.contains("mvn -pl dpdk-bindings compile"), "how to build it: " + result);
        assertTrue(result.contains("-D" + NativeLibraries.SHIM_PATH_PROP_NAME), "how to point at it: " + result);
        final List<String> tried = outcome.results().subList(1, outcome.results().size());
        assertTrue(tried.contains("TRIED no " + NativeLibraries.SHIM_FILE_NAME + " at " +
            isolated.resolve("native").resolve(NativeLibraries.SHIM_FILE_NAME)), "next to the classes: " + tried);
        assertTrue(tried.stream().noneMatch(line -> line.contains("dpdk-bindings/target/native")),
            "nothing under the working directory: " + tried);
        assertTrue(tried.stream().anyMatch(line -> line.contains("no opensase_dpdk in java.library.path")),
            "System.loadLibrary: " + tried);
    }

    /**
     * A library planted in {@code dpdk-bindings/target/native/} above the working directory was loaded when neither
     * the property nor the classes' folder gave a shim (a tester showed it with the Hyperscan shim's same lookup):
     * it would run inside the engine. Now it is not looked for.
     */
    @Test
    void shouldNeverLoadAShimFromAboveTheWorkingDirectory() throws IOException
    {
        final Path planted = isolated.resolve("dpdk-bindings/target/native").resolve(NativeLibraries.SHIM_FILE_NAME);
        Files.createDirectories(planted.getParent());
        Files.copy(DpdkTestSupport.moduleDirectory().resolve("target/native").resolve(NativeLibraries.SHIM_FILE_NAME),
            planted);
        final Path below = Files.createDirectories(isolated.resolve("below/here"));

        final ChildJvm.Outcome outcome = ChildJvm.run(List.of(), List.of("-Djava.library.path=" + isolated),
            classPath, below, List.of("available"));

        final String result = outcome.results().getFirst();
        assertTrue(result.startsWith("UNAVAILABLE DPDK is not usable from Java: cannot load the DPDK shim"), result);
    }

    /** The path the property names is the only one tried: a bad one is reported, not replaced by another. */
    @Test
    void shouldTryOnlyTheShimTheSystemPropertyNames()
    {
        final Path missing = isolated.resolve("nowhere").resolve(NativeLibraries.SHIM_FILE_NAME);
        final ChildJvm.Outcome outcome = ChildJvm.run(List.of(),
            List.of("-D" + NativeLibraries.SHIM_PATH_PROP_NAME + "=" + missing), classPath,
            DpdkTestSupport.moduleDirectory(), List.of("available"));

        assertTrue(outcome.results().getFirst().startsWith("UNAVAILABLE"), outcome.output());
        assertEquals(List.of("TRIED no " + NativeLibraries.SHIM_FILE_NAME + " at " + missing),
            outcome.results().subList(1, outcome.results().size()).stream()
                .filter(line -> line.startsWith("TRIED no ")).toList());
    }

    @Test
    void shouldLoadTheShimNamedByTheSystemProperty()
    {
        final Path shim = DpdkTestSupport.moduleDirectory().resolve("target/native")
            .resolve(NativeLibraries.SHIM_FILE_NAME);

        final String property = "-D" + NativeLibraries.SHIM_PATH_PROP_NAME + "=" + shim;

        final ChildJvm.Outcome outcome = ChildJvm.run(List.of(), List.of(property), classPath, isolated,
            List.of("available"));

        assertEquals("AVAILABLE " + shim, outcome.result());
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }
}
