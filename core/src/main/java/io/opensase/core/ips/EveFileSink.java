package io.opensase.core.ips;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends the IPS stages' EVE lines to one file. Workers write through one lock, taken only when a line is
 * written (an alert or an application event), never per packet; a write error ends the run.
 */
public final class EveFileSink implements IpsEventSink, AutoCloseable
{
    private final BufferedWriter out;

    public EveFileSink(final Path file) throws IOException
    {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void write(final CharSequence line)
    {
        try
        {
            out.append(line).append('\n');
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
