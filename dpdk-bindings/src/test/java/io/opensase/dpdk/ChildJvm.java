package io.opensase.dpdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link EalChild} in a new JVM, optionally under a launcher such as {@code setpriv}, for tests that need
 * their own EAL. The class path is only this module's classes, so a user without access to ~/.m2 can run it.
 */
final class ChildJvm
{
    /** What the child printed: its {@link EalChild#RESULT} lines, and everything for failure messages. */
    record Outcome(int exitCode, List<String> results, String output)
    {
        String result()
        {
            if (1 != results.size())
            {
                throw new AssertionError("expected one result line from the child JVM, got " + results +
                    "; exit " + exitCode + "; output:\n" + output);
            }
            return results.getFirst();
        }
    }

    private ChildJvm()
    {
    }

    /** {@link EalChild} with {@code args}, from this module's classes, in the module directory. */
    static Outcome run(final List<String> launcher, final List<String> args)
    {
        final String classPath = DpdkTestSupport.codeSource(Eal.class) + ":" +
            DpdkTestSupport.codeSource(EalChild.class);
        return run(launcher, List.of(), classPath, DpdkTestSupport.moduleDirectory(), args);
    }

    /** {@link EalChild} with {@code args}, JVM options, class path and working directory of the caller's choice. */
    static Outcome run(final List<String> launcher, final List<String> jvmOptions, final String classPath,
        final Path directory, final List<String> args)
    {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, EalChild.class.getName()));
        command.addAll(args);
        try
        {
            final Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("child JVM did not finish: " + command + "\n" + output);
            }
            final List<String> results = output.lines()
                .filter(line -> line.startsWith(EalChild.RESULT))
                .map(line -> line.substring(EalChild.RESULT.length()))
                .toList();
            return new Outcome(process.exitValue(), results, output);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + command, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
