package io.opensase.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What one {@code opensase} command run in-process returned and printed, for the command tests. */
record CommandOutput(int status, String out, String err)
{
    /** Runs {@link Main#execute} on {@code args} with standard output and error captured. */
    static CommandOutput of(final String... args)
    {
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        final int status;
        try
        {
            status = Main.execute(args);
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new CommandOutput(status, outBytes.toString(StandardCharsets.UTF_8),
            errBytes.toString(StandardCharsets.UTF_8));
    }
}
