package io.opensase.core.cli;

/**
 * A command line that cannot be run as given; the message says what to change.
 */
final class UsageException extends Exception
{
    private static final long serialVersionUID = 1L;

    UsageException(final String message)
    {
        super(message);
    }
}
