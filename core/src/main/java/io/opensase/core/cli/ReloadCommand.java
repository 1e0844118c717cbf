package io.opensase.core.cli;

import io.opensase.core.control.ReloadOutcome;
import io.opensase.core.control.ReloadStatusFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code opensase reload}: asks an engine started with {@code run --config FILE --pid-file PIDFILE} to reload
 * its configuration (SIGHUP to the pid in the file), waits for the outcome it writes beside the pid file, and
 * prints it. Exit status 0 when the configuration is running (applied or unchanged), 1 when it was rejected
 * or the reload failed, 2 when no engine could be asked or no answer came in time.
 */
final class ReloadCommand
{
    static final String USAGE = """
        opensase reload --pid-file FILE [--timeout SECONDS]""";

    private static final Set<String> OPTIONS = Set.of("pid-file", "timeout");
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;
    private static final long POLL_MS = 20;

    private ReloadCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final Options options = new Options(args, OPTIONS);
        if (!options.has("pid-file"))
        {
            throw new UsageException("reload needs --pid-file FILE (the file given to run --pid-file)");
        }
        final Path pidFile = Path.of(options.get("pid-file"));
        final int timeoutSeconds = options.has("timeout") ? options.integer("timeout", 1, 3600)
            : DEFAULT_TIMEOUT_SECONDS;
        final ProcessHandle engine = engine(pidFile);
        final ReloadStatusFile status = new ReloadStatusFile(pidFile);
        final ReloadStatusFile.Entry before = status.read();
        final long seenSeq = null == before ? 0 : before.seq();
        final Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(engine.pid()))
            .redirectErrorStream(true).start();
        try
        {
            if (0 != kill.waitFor())
            {
                System.err.println("opensase: cannot signal pid " + engine.pid() + ": "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
                return 2;
            }
            final long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline)
            {
                final ReloadStatusFile.Entry entry = status.read();
                if (null != entry && entry.seq() > seenSeq)
                {
                    out.println(("opensase: reload " + entry.outcome().summary()).replace("\n", "\nopensase: "));
                    final ReloadOutcome.Status result = entry.outcome().status();
                    return ReloadOutcome.Status.APPLIED == result || ReloadOutcome.Status.UNCHANGED == result ? 0 : 1;
                }
                if (!engine.isAlive())
                {
                    System.err.println("opensase: the engine (pid " + engine.pid() + ") ended before it answered");
                    return 2;
                }
                Thread.sleep(POLL_MS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 2;
        }
        System.err.println("opensase: no answer from pid " + engine.pid() + " within " + timeoutSeconds + " s ("
            + status.file() + " did not change; an engine started under nohup ignores SIGHUP, and says so on "
            + "its stderr at start)");
        return 2;
    }

    private static ProcessHandle engine(final Path pidFile) throws UsageException, IOException
    {
        final String text;
        try
        {
            text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        }
        catch (final NoSuchFileException ex)
        {
            throw new UsageException(pidFile + ": no such file: is the engine running with --pid-file?");
        }
        final long pid;
        try
        {
            pid = Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(pidFile + ": not a pid file (it holds '" + text + "')");
        }
        final ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (null == handle || !handle.isAlive())
        {
            throw new UsageException(pidFile + ": no process " + pid + " is running (a stale pid file?)");
        }
        if (!handle.info().commandLine().orElse("").contains("io.opensase")
            && !handle.info().commandLine().orElse("").contains("opensase"))
        {
            throw new UsageException(pidFile + ": process " + pid + " is not an opensase engine");
        }
        return handle;
    }
}
