package io.opensase.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the tamper-evident audit log and the files that protect it live (the {@code audit:} section). Paths
 * only: nothing is opened, created or checked on disk until the audit log is opened at start, which also
 * checks the key file's permissions and compares real paths (symbolic links followed).
 *
 * @param log    the audit log, one sealed entry a line.
 * @param anchor the file recording the log's last seq and mac; outside the log's folder.
 * @param key    the HMAC key file (owner-only); outside the log's folder.
 * @throws IllegalArgumentException {@code field: reason} when a path is missing, two of them name the same
 *                                  file, or the anchor or key lies inside the log's folder (compared as
 *                                  written, normalised, so {@code a/../b} is {@code b}).
 */
public record AuditConfig(Path log, Path anchor, Path key)
{
    public AuditConfig
    {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(key, "key");
        final Path logFile = log.toAbsolutePath().normalize();
        final Path anchorFile = anchor.toAbsolutePath().normalize();
        final Path keyFile = key.toAbsolutePath().normalize();
        if (null == logFile.getFileName())
        {
            throw new IllegalArgumentException("log: " + log + " is not a file name");
        }
        if (anchorFile.equals(logFile))
        {
            throw new IllegalArgumentException("anchor: names the same file as log (" + log + ")");
        }
        if (keyFile.equals(logFile))
        {
            throw new IllegalArgumentException("key: names the same file as log (" + log + ")");
        }
        if (keyFile.equals(anchorFile))
        {
            throw new IllegalArgumentException("key: names the same file as anchor (" + anchor + ")");
        }
        final Path folder = logFile.getParent();
        refuseInside("anchor", anchorFile, folder);
        refuseInside("key", keyFile, folder);
    }

    private static void refuseInside(final String field, final Path file, final Path folder)
    {
        if (file.startsWith(folder))
        {
            throw new IllegalArgumentException(field + ": " + file + " is inside the log's folder " + folder
                + "; keep it elsewhere, so that whoever can change the log cannot change it too");
        }
    }
}
