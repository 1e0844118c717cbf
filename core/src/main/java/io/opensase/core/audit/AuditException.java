package io.opensase.core.audit;

/**
 * The audit log, its key or its anchor cannot be used: a file that is missing, unreadable, open to others,
 * in the wrong place, or a log that does not match its anchor. The message starts with the file it is about
 * and says what is wrong.
 */
public final class AuditException extends Exception
{
    private static final long serialVersionUID = 1L;

    public AuditException(final String message)
    {
        super(message);
    }

    public AuditException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
