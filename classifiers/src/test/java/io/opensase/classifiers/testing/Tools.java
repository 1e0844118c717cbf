package io.opensase.classifiers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent tools tests check against: tshark, editcap, capinfos, and scapy under
 * {@code /usr/bin/python3}. A tool that fails fails the test with its output.
 */
public final class Tools
{
    public static final String PYTHON = "/usr/bin/python3";

    private Tools()
    {
    }

    /** Runs {@code command} and returns its standard output; fails unless it exits with 0 within 60 s. */
    public static String run(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).start();
            final CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process));
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output
                    + new String(errors.join(), StandardCharsets.UTF_8));
            }
            return output;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot run " + command[0], ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] readAll(final Process process)
    {
        try
        {
            return process.getErrorStream().readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Runs a Python script with {@code args} as {@code sys.argv[1:]}. */
    public static String python(final String script, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }
}
