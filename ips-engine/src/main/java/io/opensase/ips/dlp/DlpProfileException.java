package io.opensase.ips.dlp;

import java.nio.file.Path;

/**
 * A DLP profile that cannot be used, with the place that says so: file, line (1-based), dotted field path
 * and the reason, formatted as core's configuration errors are.
 */
public final class DlpProfileException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String field;
    private final String reason;

    public DlpProfileException(final Path file, final int line, final String field, final String reason)
    {
        super(file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
        this.file = file;
        this.line = line;
        this.field = field;
        this.reason = reason;
    }

    public Path file()
    {
        return file;
    }

    public int line()
    {
        return line;
    }

    /** Dotted path of the offending field, such as {@code profiles[0].detectors[1].min_count}. */
    public String field()
    {
        return field;
    }

    public String reason()
    {
        return reason;
    }
}
