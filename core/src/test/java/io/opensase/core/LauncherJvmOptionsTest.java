package io.opensase.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's JVM flags must leave stdout to the command: {@code stats --json} and {@code acl --json} are
 * read by programs, and a JVM warning there (huge pages asked for where shared-memory THP is off prints one
 * at every start) made that output unparseable.
 */
class LauncherJvmOptionsTest
{
    private static final Path OPTIONS = Path.of("..", "bin", "lib", "jvm-options.sh");

    @Test
    void shouldPrintNothingOnStdoutWithTheLauncherOptions() throws Exception
    {
        final Result result = runJava("\"${jvm_options[@]}\" -version");

        assertEquals("", result.stdout, "JVM output on stdout with the launcher's options");
        assertTrue(result.stderr.contains("version"), result.stderr);
    }

    @Test
    void shouldSendJvmWarningsToStderrEvenWhenHugePagesAreForced() throws Exception
    {
        final Result result = runJava("\"${jvm_options[@]}\" -XX:+UseTransparentHugePages -version");

        assertEquals("", result.stdout, "a JVM warning went to stdout");
        final String shmem = readShmemMode();
        if (shmem.contains("[never]") || shmem.contains("[deny]"))
        {
            assertTrue(result.stderr.contains("[warning][pagesize]"), result.stderr);
        }
    }

    @Test
    void shouldAskForHugePagesOnlyWhereSharedMemoryThpIsOn() throws Exception
    {
        final Result result = runShell("source " + OPTIONS + "; printf '%s\\n' \"${jvm_options[@]}\"");
        final boolean on = readShmemMode().matches("(?s).*\\[(always|within_size|advise|force)\\].*");

        assertEquals(on, List.of(result.stdout.split("\n")).contains("-XX:+UseTransparentHugePages"), result.stdout);
        assertTrue(result.stdout.contains("-XX:+UseZGC"), result.stdout);
    }

    @Test
    void shouldLaunchWithTheSharedOptions() throws IOException
    {
        final String launcher = Files.readString(Path.of("..", "bin", "opensase"));

        assertTrue(launcher.contains("source \"$here/bin/lib/jvm-options.sh\""), launcher);
        assertTrue(launcher.contains("\"${jvm_options[@]}\""), launcher);
        assertTrue(!launcher.contains("-XX:+UseTransparentHugePages"), "the launcher asks for THP unconditionally");
    }

    private static String readShmemMode()
    {
        try
        {
            return Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/shmem_enabled"));
        }
        catch (final IOException e)
        {
            return "";
        }
    }

    private static Result runJava(final String arguments) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return runShell("source " + OPTIONS + "; exec " + java + " " + arguments);
    }

    private static Result runShell(final String script) throws Exception
    {
        final Process process = new ProcessBuilder("bash", "-c", script).start();
        process.getOutputStream().close();
        final byte[] out = process.getInputStream().readAllBytes();
        final byte[] err = process.getErrorStream().readAllBytes();
        assertEquals(0, process.waitFor(), new String(err, StandardCharsets.UTF_8));
        return new Result(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private record Result(String stdout, String stderr)
    {
    }
}
