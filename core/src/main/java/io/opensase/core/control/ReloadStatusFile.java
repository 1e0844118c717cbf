package io.opensase.core.control;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The outcome of the engine's latest reload, beside its pid file ({@code PIDFILE.reload}), so that
 * {@code opensase reload}, which triggers a reload with SIGHUP, can tell what happened. A properties file
 * written whole and renamed into place; {@code seq} counts reloads since the engine started, and
 * {@code ips_load} (present when the reload loaded IPS rules) holds their load report. The times are the
 * engine's monotonic clock ({@code System.nanoTime}, CLOCK_MONOTONIC on Linux), so that a benchmark can line a
 * reload up with what it measured outside the engine.
 */
public final class ReloadStatusFile
{
    private final Path file;

    public ReloadStatusFile(final Path pidFile)
    {
        this.file = pidFile.resolveSibling(pidFile.getFileName() + ".reload");
    }

    public Path file()
    {
        return file;
    }

    /**
     * A reload's outcome and its sequence number.
     *
     * @param requestedNs when the reload was asked for (SIGHUP arrived); 0 in a file written without times.
     * @param startedNs   when the control thread began it (after any reload before it).
     * @param finishedNs  when its outcome was known: for an applied reload, when workers were given the new
     *                    policy (each takes it up at its next burst).
     */
    public record Entry(long seq, ReloadOutcome outcome, long requestedNs, long startedNs, long finishedNs)
    {
    }

    public void write(final long seq, final ReloadOutcome outcome, final long requestedNs, final long startedNs,
        final long finishedNs) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("seq", Long.toString(seq));
        properties.setProperty("status", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        properties.setProperty("generation", Long.toString(outcome.generation()));
        properties.setProperty("error", null == outcome.error() ? "" : outcome.error());
        properties.setProperty("needs_restart", String.join(",", outcome.needsRestart()));
        properties.setProperty("digest", null == outcome.digest() ? "" : outcome.digest());
        if (null != outcome.ipsLoad())
        {
            properties.setProperty("ips_load", outcome.ipsLoad());
        }
        properties.setProperty("requested_ns", Long.toString(requestedNs));
        properties.setProperty("started_ns", Long.toString(startedNs));
        properties.setProperty("finished_ns", Long.toString(finishedNs));
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8))
        {
            properties.store(out, null);
        }
        try
        {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The latest entry, or null when no reload has happened yet. */
    public Entry read() throws IOException
    {
        final Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(in);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        try
        {
            final String error = properties.getProperty("error", "");
            final String restart = properties.getProperty("needs_restart", "");
            final String digest = properties.getProperty("digest", "");
            final ReloadOutcome outcome = new ReloadOutcome(
                ReloadOutcome.Status.valueOf(required(properties, "status").toUpperCase(java.util.Locale.ROOT)),
                Long.parseLong(required(properties, "generation")), error.isEmpty() ? null : error,
                restart.isEmpty() ? List.of() : Arrays.asList(restart.split(",")), digest.isEmpty() ? null : digest,
                properties.getProperty("ips_load"));
            return new Entry(Long.parseLong(required(properties, "seq")), outcome,
                Long.parseLong(properties.getProperty("requested_ns", "0")),
                Long.parseLong(properties.getProperty("started_ns", "0")),
                Long.parseLong(properties.getProperty("finished_ns", "0")));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + ": not a reload status file: " + ex.getMessage(), ex);
        }
    }

    private String required(final Properties properties, final String key) throws IOException
    {
        final String value = properties.getProperty(key);
        if (null == value)
        {
            throw new IOException(file + ": not a reload status file: no " + key);
        }
        return value;
    }
}
