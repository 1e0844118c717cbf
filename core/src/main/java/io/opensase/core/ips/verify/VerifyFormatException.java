package io.opensase.core.ips.verify;

import java.io.IOException;
import java.nio.file.Path;

/** A suricata-verify case that cannot be read: names the file and, where known, the line (0 when not). */
public final class VerifyFormatException extends IOException
{
    private final Path file;
    private final int line;

    public VerifyFormatException(final Path file, final int line, final String reason)
    {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
    }

    public Path file()
    {
        return file;
    }

    /** One-based line, or 0 when the problem has no single line (a missing file, two captures). */
    public int line()
    {
        return line;
    }
}
