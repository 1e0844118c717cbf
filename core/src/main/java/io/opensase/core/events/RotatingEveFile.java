package io.opensase.core.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * One EVE file the event writer appends whole lines to, rotated by size: {@code NAME} becomes {@code NAME.1},
 * and so on up to {@code maxFiles} files. A failed write or open is counted, the lines it held are counted as
 * lost, and the file is opened again a second later, cut back to its last whole line. Writer thread only, but
 * for the counts, which any thread may read.
 */
final class RotatingEveFile
{
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long RETRY_NS = TimeUnit.SECONDS.toNanos(1);

    private final Path file;
    private final long maxFileBytes;
    private final int maxFiles;
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER_BYTES);

    private FileChannel channel;
    /** Bytes in the current file, all whole lines. */
    private long fileBytes;
    private int pendingLines;
    private long retryAtNs;
    /** Where the file is cut back to when it is opened again after a failed write, or -1. */
    private long cutBackTo = -1;

    /* Written by the writer thread only, read by any. */
    private volatile long written;
    private volatile long lost;
    private volatile long writeErrors;
    private volatile long rotations;

    RotatingEveFile(final Path file, final long maxFileBytes, final int maxFiles)
    {
        this.file = file;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
    }

    Path file()
    {
        return file;
    }

    long written()
    {
        return written;
    }

    long lost()
    {
        return lost;
    }

    long writeErrors()
    {
        return writeErrors;
    }

    long rotations()
    {
        return rotations;
    }

    /** A line that could not be made (a defect, not the disk): counted as lost and as an error. */
    void defect()
    {
        lost++;
        writeErrors++;
    }

    /** Buffers one whole line (its line feed included), rotating first when it would take the file past its size. */
    void append(final byte[] line, final int length)
    {
        if (null == channel && !reopen())
        {
            lost++;
            return;
        }
        final long size = fileBytes + pending.position();
        if (size > 0 && size + length > maxFileBytes)
        {
            flush();
            rotate();
            if (null == channel)
            {
                lost++;
                return;
            }
        }
        if (pending.remaining() < length)
        {
            flush();
        }
        if (length > pending.capacity())
        {
            writeAlone(line, length);
            return;
        }
        pending.put(line, 0, length);
        pendingLines++;
    }

    /** Writes what is buffered; on failure counts the error and its lines as lost, and closes the file. */
    void flush()
    {
        if (0 == pending.position())
        {
            return;
        }
        pending.flip();
        final int lines = pendingLines;
        pendingLines = 0;
        if (null == channel)
        {
            lost += lines;
            pending.clear();
            return;
        }
        final int bytes = pending.remaining();
        try
        {
            while (pending.hasRemaining())
            {
                channel.write(pending);
            }
            fileBytes += bytes;
            written += lines;
        }
        catch (final IOException ex)
        {
            failed(lines);
        }
        finally
        {
            pending.clear();
        }
    }

    /** Opens the file for appending; after a failed write, first cuts off a partly written line. */
    void open()
    {
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long size = channel.size();
            if (cutBackTo >= 0 && size > cutBackTo)
            {
                channel.truncate(cutBackTo);
                size = cutBackTo;
            }
            cutBackTo = -1;
            if (size > 0)
            {
                channel.position(size);
            }
            fileBytes = size;
        }
        catch (final IOException ex)
        {
            writeErrors++;
            close();
            retryAtNs = System.nanoTime() + RETRY_NS;
        }
    }

    void close()
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                writeErrors++;
            }
            channel = null;
        }
    }

    private void writeAlone(final byte[] line, final int length)
    {
        try
        {
            final ByteBuffer buffer = ByteBuffer.wrap(line, 0, length);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            fileBytes += length;
            written++;
        }
        catch (final IOException ex)
        {
            failed(1);
        }
    }

    private void failed(final int lines)
    {
        writeErrors++;
        lost += lines;
        cutBackTo = fileBytes;
        close();
        retryAtNs = System.nanoTime() + RETRY_NS;
    }

    private boolean reopen()
    {
        if (System.nanoTime() - retryAtNs < 0)
        {
            return false;
        }
        open();
        return null != channel;
    }

    /** Moves NAME.(n-1) to NAME.n, ..., NAME to NAME.1 (the oldest goes), then opens a new one. */
    private void rotate()
    {
        close();
        try
        {
            if (1 == maxFiles)
            {
                Files.deleteIfExists(file);
            }
            for (int n = maxFiles - 1; n >= 1; n--)
            {
                final Path from = 1 == n ? file : rotated(n - 1);
                if (Files.exists(from))
                {
                    Files.move(from, rotated(n), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            rotations++;
        }
        catch (final IOException ex)
        {
            writeErrors++;
            retryAtNs = System.nanoTime() + RETRY_NS;
            return;
        }
        open();
    }

    private Path rotated(final int n)
    {
        return file.resolveSibling(file.getFileName() + "." + n);
    }
}
