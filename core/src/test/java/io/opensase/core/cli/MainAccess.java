package io.opensase.core.cli;

/** Lets tests in other packages run the command line in their own JVM, as {@code Main.execute} does. */
public final class MainAccess
{
    private MainAccess()
    {
    }

    public static int execute(final String... args)
    {
        return Main.execute(args);
    }
}
