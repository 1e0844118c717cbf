package io.opensase.core.cli;

import io.opensase.core.control.ConfigReloader;
import io.opensase.core.control.ReloadOutcome;
import io.opensase.core.control.ReloadStatusFile;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * While an engine runs from a configuration file: SIGHUP reloads the file on a control thread of its own (the
 * signal thread only queues the request), each outcome is one line on stderr and, with a pid file, written
 * beside it for {@code opensase reload}. Closing restores the previous SIGHUP handling and removes the files.
 */
final class ReloadOnHangup implements AutoCloseable
{
    private static final Signal HANGUP = new Signal("HUP");

    private final ConfigReloader reloader;
    private final Path pidFile;
    private final ReloadStatusFile status;
    private final ExecutorService control = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "opensase-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final SignalHandler previous;
    private long reloads;

    private ReloadOnHangup(final ConfigReloader reloader, final Path pidFile)
    {
        this.reloader = reloader;
        this.pidFile = pidFile;
        this.status = null == pidFile ? null : new ReloadStatusFile(pidFile);
        this.previous = Signal.handle(HANGUP, signal -> control.execute(this::reload));
    }

    /**
     * @param pidFile where to write this process's pid, or null for none.
     */
    static ReloadOnHangup start(final ConfigReloader reloader, final Path pidFile) throws IOException
    {
        if (null != pidFile)
        {
            try
            {
                Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            }
            catch (final IOException ex)
            {
                throw new IOException("cannot write the pid file " + pidFile + ": " + RunCommand.reason(ex), ex);
            }
            Files.deleteIfExists(new ReloadStatusFile(pidFile).file());
        }
        return new ReloadOnHangup(reloader, pidFile);
    }

    private void reload()
    {
        final ReloadOutcome outcome = reloader.reload();
        System.err.println("opensase: reload " + outcome.summary());
        if (null != status)
        {
            try
            {
                status.write(++reloads, outcome);
            }
            catch (final IOException ex)
            {
                System.err.println("opensase: cannot write " + status.file() + ": " + RunCommand.reason(ex));
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        Signal.handle(HANGUP, previous);
        control.shutdown();
        try
        {
            control.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (null != pidFile)
        {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(status.file());
        }
    }
}
