package io.opensase.core.ips;

import io.opensase.core.events.EveRecord;
import io.opensase.core.events.EveRenderer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Renders each record as its EVE line on the calling thread and appends it to one file: the direct path of
 * {@code opensase ips}, which runs one stage on one thread over a capture and must not lose a line. The
 * engine puts its lines on per-worker queues instead ({@link QueuedEveSink}). A write error ends the run.
 */
public final class EveFileSink implements IpsEventSink, AutoCloseable
{
    private final OutputStream out;
    private final EveRenderer renderer = new EveRenderer();

    /** Appends to {@code file}, creating it when missing. */
    public EveFileSink(final Path file) throws IOException
    {
        this(file, false);
    }

    /** @param replace true to empty {@code file} first, false to append to it. */
    public EveFileSink(final Path file, final boolean replace) throws IOException
    {
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            replace ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND), 64 * 1024);
    }

    /** Synchronized only so that a test may share one sink between stages; the command runs one thread. */
    @Override
    public synchronized void write(final EveRecord record)
    {
        renderer.render(record);
        try
        {
            out.write(renderer.line(), 0, renderer.length());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void close() throws IOException
    {
        out.close();
    }
}
