package io.opensase.ips.dataset;

/** A set that cannot be opened as a rule asks: unreadable file, bad line, memcap or hashsize out of range. */
public final class DatasetException extends Exception
{
    public DatasetException(final String message)
    {
        super(message);
    }

    public DatasetException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
