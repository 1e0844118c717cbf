package io.opensase.core.metrics;

import io.opensase.core.config.CapturePortConfig;
import io.opensase.core.config.DevargsFiles;
import io.opensase.core.config.DpdkPortConfig;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.PortConfig;
import io.opensase.core.engine.EngineSample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The stats sampler: a daemon thread of its own that samples the engine every interval and writes the sums
 * into the stats file, and, when closed, writes the final counts with the state stopped. Workers never touch
 * the file; the sampler reads their counters as the control API does, without locks.
 */
public final class StatsPublisher implements AutoCloseable
{
    public static final long DEFAULT_INTERVAL_MS = 100;

    private final Supplier<EngineSample> engine;
    private final EngineStats stats;
    private final StatsFileWriter writer;
    private final long intervalNs;
    private final Thread thread;
    private volatile boolean closing;
    private boolean failureReported;

    private StatsPublisher(final Supplier<EngineSample> engine, final EngineStats stats, final StatsFileWriter writer,
        final long intervalMs)
    {
        this.engine = engine;
        this.stats = stats;
        this.writer = writer;
        this.intervalNs = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.thread = new Thread(this::loop, "opensase-stats");
        thread.setDaemon(true);
    }

    /**
     * Makes {@code file} (replacing one already there) for a run of {@code workers} workers, with or without a
     * firewall and an IPS stage, and starts sampling {@code engine} (null samples, before the run starts, are skipped).
     */
    public static StatsPublisher start(final Path file, final Supplier<EngineSample> engine, final int workers,
        final boolean firewall, final boolean ips, final long intervalMs) throws IOException
    {
        final EngineStats stats = new EngineStats(workers, firewall, ips);
        final StatsPublisher publisher = new StatsPublisher(engine, stats,
            StatsFileWriter.create(file, stats.counters(), intervalMs), intervalMs);
        publisher.thread.start();
        return publisher;
    }

    /**
     * Before a run: refuses a stats file that cannot be made, or that is one of the files the run reads or
     * writes under another name (replacing it would destroy it).
     *
     * @throws IllegalArgumentException saying which file and what is wrong.
     */
    public static void check(final Path file, final EngineConfig config)
    {
        final Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute))
        {
            throw new IllegalArgumentException(file + ": the stats file is a directory; give a file name");
        }
        final Path folder = absolute.getParent();
        if (!Files.isDirectory(folder))
        {
            throw new IllegalArgumentException(file + ": folder " + folder + " does not exist (the stats file)");
        }
        if (!Files.isWritable(folder))
        {
            throw new IllegalArgumentException(file + ": permission denied (the stats file is replaced in its "
                + "folder, which must be writable)");
        }
        for (final Path used : filesOf(config))
        {
            if (sameFile(absolute, used))
            {
                throw new IllegalArgumentException(file + ": the stats file is " + used + ", which the run "
                    + "also uses; give another file");
            }
        }
    }

    private static List<Path> filesOf(final EngineConfig config)
    {
        final List<Path> files = new ArrayList<>();
        files.add(config.source());
        files.add(config.report());
        for (final PortConfig port : config.ports())
        {
            if (port instanceof CapturePortConfig capture)
            {
                files.add(capture.rxCapture());
                files.add(capture.txCapture());
            }
            else if (port instanceof DpdkPortConfig device)
            {
                files.add(DevargsFiles.rxCapture(device.devargs()));
                files.add(DevargsFiles.txCapture(device.devargs()));
            }
        }
        if (null != config.audit())
        {
            files.addAll(List.of(config.audit().log(), config.audit().anchor(), config.audit().key()));
        }
        if (null != config.control())
        {
            files.add(config.control().tokensFile());
        }
        files.removeIf(java.util.Objects::isNull);
        return files;
    }

    private static boolean sameFile(final Path a, final Path b)
    {
        if (a.normalize().equals(b.toAbsolutePath().normalize()))
        {
            return true;
        }
        try
        {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    public Path file()
    {
        return writer.file();
    }

    private void loop()
    {
        while (!closing)
        {
            publish(false);
            LockSupport.parkNanos(intervalNs);
        }
    }

    /** Samples the engine and writes the sums; a failure is said once on stderr and the sampler goes on. */
    private void publish(final boolean last)
    {
        try
        {
            final EngineSample sample = engine.get();
            if (null != sample)
            {
                final int state = last || !sample.running() ? StatsFile.STATE_STOPPED : StatsFile.STATE_RUNNING;
                writer.publish(stats.values(sample), state);
            }
            else if (last)
            {
                writer.publish(new long[stats.counters().size()], StatsFile.STATE_STOPPED);
            }
        }
        catch (final RuntimeException ex)
        {
            if (!failureReported)
            {
                failureReported = true;
                System.err.println("opensase: stats file " + writer.file() + ": cannot sample the engine: " + ex);
            }
        }
    }

    /** Stops the sampler, writes the final counts with the state stopped, and unmaps the file. */
    @Override
    public void close()
    {
        closing = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        publish(true);
        writer.close();
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
