package io.opensase.core.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable file writes for the audit package: replace a file atomically, sync a directory. Cold path; the
 * caller serialises writes to one file.
 */
final class AuditFiles
{
    private AuditFiles()
    {
    }

    /**
     * Replaces {@code file} with {@code content} so that a reader sees the old content or the new, never a
     * mixture or an empty file: the bytes go to a temporary file beside it ({@code .NAME.tmp}), which is
     * synced, renamed over {@code file} and the directory synced, so the rename survives a crash too.
     */
    static void replace(final Path file, final byte[] content) throws AuditException
    {
        final Path absolute = file.toAbsolutePath();
        final Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        try
        {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new AuditException(file + ": cannot write: " + AuditKey.reason(ex), ex);
        }
        syncDirectory(absolute);
    }

    /** Syncs the directory holding {@code file}, so that a file created or renamed there stays after a crash. */
    static void syncDirectory(final Path file) throws AuditException
    {
        final Path directory = file.toAbsolutePath().getParent();
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new AuditException(directory + ": cannot sync the directory: " + AuditKey.reason(ex), ex);
        }
    }
}
