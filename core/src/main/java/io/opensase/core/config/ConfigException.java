package io.opensase.core.config;

import java.nio.file.Path;

/**
 * A configuration that cannot be used, with the place in the file that says so: file, line (1-based; 0 when
 * the file as a whole is wrong, then left out of the message), field path and what is allowed. The running
 * configuration, if any, stays as it is.
 */
public final class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String field;
    private final String reason;

    public ConfigException(final Path file, final int line, final String field, final String reason)
    {
        super(file + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + reason);
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

    /** Dotted path of the offending field, such as {@code flows.timeouts.udp}; empty for the whole file. */
    public String field()
    {
        return field;
    }

    public String reason()
    {
        return reason;
    }
}
