package io.opensase.classifiers.acl;

import java.io.Serial;

/**
 * A rule or trace file that cannot be read: names the file, the 1-based line and the reason, as
 * {@code file:line: reason}. Thrown on the control thread.
 */
public final class AclFormatException extends Exception
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String reason;

    public AclFormatException(final String file, final int line, final String reason)
    {
        super(file + ":" + line + ": " + reason);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public String file()
    {
        return file;
    }

    public int line()
    {
        return line;
    }

    public String reason()
    {
        return reason;
    }
}
