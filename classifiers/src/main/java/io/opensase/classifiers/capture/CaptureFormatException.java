package io.opensase.classifiers.capture;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A capture file that is not a capture, or is cut short or corrupt at a known byte offset. Packets read
 * before the offset are valid and have been delivered.
 */
public final class CaptureFormatException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CaptureFormatException(final Path file, final long offset, final String reason)
    {
        super(file + ": at byte " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    public Path file()
    {
        return file;
    }

    /** Byte offset in the file of the header or record that could not be read. */
    public long offset()
    {
        return offset;
    }
}
