package io.opensase.core.cli;

import io.opensase.core.audit.AuditLog;
import io.opensase.core.config.ConfigException;
import io.opensase.core.control.EngineControl;
import io.opensase.core.control.ReloadOutcome;
import io.opensase.core.control.ReloadStatusFile;
import io.opensase.core.control.api.ControlApiServer;
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
 * signal thread only queues the request), and the control API's tokens file with it; each outcome is one line on stderr (and an audit entry) and, with a pid file, written
 * beside it for {@code opensase reload}. Closing restores the previous SIGHUP handling and removes the files.
 */
final class ReloadOnHangup implements AutoCloseable
{
    private static final Signal HANGUP = new Signal("HUP");

    private final EngineControl control;
    private final ControlApiServer api;
    private final Path pidFile;
    private final ReloadStatusFile status;
    private final ExecutorService queue = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "opensase-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final SignalHandler previous;
    private long reloads;

    private ReloadOnHangup(final EngineControl control, final ControlApiServer api, final Path pidFile)
    {
        this.control = control;
        this.api = api;
        this.pidFile = pidFile;
        this.status = null == pidFile ? null : new ReloadStatusFile(pidFile);
        this.previous = Signal.handle(HANGUP, signal ->
        {
            final long requestedNs = System.nanoTime();
            queue.execute(() -> reload(requestedNs));
        });
        if (SignalHandler.SIG_IGN == previous)
        {
            // The JVM installs no handler for a signal the process inherited ignored (nohup, some job starters).
            System.err.println("opensase: SIGHUP is ignored in this process (started under nohup?), so neither "
                + "SIGHUP nor opensase reload can reload it; start it without nohup, or reload through the API");
        }
    }

    /**
     * @param api     the control API whose tokens SIGHUP also reloads, or null.
     * @param pidFile where to write this process's pid, or null for none.
     */
    static ReloadOnHangup start(final EngineControl control, final ControlApiServer api, final Path pidFile)
        throws IOException
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
        return new ReloadOnHangup(control, api, pidFile);
    }

    private void reload(final long requestedNs)
    {
        final long startedNs = System.nanoTime();
        final ReloadOutcome outcome = control.reload(AuditLog.ENGINE_PRINCIPAL);
        final long finishedNs = System.nanoTime();
        System.err.println(("opensase: reload " + outcome.summary()).replace("\n", "\nopensase: "));
        if (null != api)
        {
            try
            {
                System.err.println("opensase: control API tokens reloaded: " + String.join(", ", api.reloadTokens()));
            }
            catch (final ConfigException ex)
            {
                System.err.println("opensase: control API tokens not reloaded, the old ones stay: " + ex.getMessage());
            }
        }
        if (null != status)
        {
            try
            {
                status.write(++reloads, outcome, requestedNs, startedNs, finishedNs);
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
        queue.shutdown();
        try
        {
            queue.awaitTermination(30, TimeUnit.SECONDS);
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
