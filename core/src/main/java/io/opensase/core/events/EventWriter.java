package io.opensase.core.events;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The writer thread: drains the workers' event queues and writes EVE JSON lines, rotating each file by size
 * ({@code eve.json} becomes {@code eve.json.1}, and so on up to {@code max_files}). Two files at most:
 * <ul>
 * <li>{@code eve.json} in the configured folder: flow records from each worker's {@link SpscEventQueue}
 * (formatted by {@link EveFormatter}) and audit events from the control path's {@link EveRecordQueue};</li>
 * <li>the IPS stages' file ({@code ips.eve}): alerts and application events from each worker's
 * {@link EveRecordQueue} (rendered by {@link EveRenderer}).</li>
 * </ul>
 * Workers never wait for it: a slow or blocked disk only stops this thread, the queues fill, and producers
 * drop and count what does not fit. A failed write or open is counted ({@link EventStats#writeErrors()}), the
 * lines it held are counted as lost, and the file is opened again a second later; meanwhile the queues keep
 * being drained (and the events counted as lost), so they stay free for when the disk recovers. The thread
 * keeps running whatever the disk does.
 * <p>
 * Built by the control thread, which also {@link #start starts} and {@link #close stops} it.
 */
public final class EventWriter implements AutoCloseable
{
    public static final String FILE_NAME = "eve.json";
    /** Records taken from one queue before looking at the next, so that one busy worker cannot starve others. */
    private static final int BATCH = 256;

    private final EventsConfig config;
    private final SpscEventQueue[] queues;
    private final EveRecordQueue audit;
    private final EveRecordQueue[] ipsQueues;
    /** Null when flow records and audit events are not written. */
    private final RotatingEveFile eve;
    /** Null without IPS events. */
    private final RotatingEveFile ips;
    private final EveFormatter formatter;
    private final EveRenderer renderer;
    private final SpscEventQueue.RecordHandler flowHandler = this::onFlowRecord;
    private final MessageHandler auditHandler;
    private final MessageHandler ipsHandler;
    /** A record copied out of its queue for the renderer. */
    private final byte[] record;
    private final Thread thread;
    private volatile boolean stopping;

    /* Writer thread only. */
    private boolean reportedDefect;

    /**
     * Flow records and audit events to {@code eve.json}, no IPS file.
     *
     * @param workers       one queue is made for each, of {@code config.queueSlots()} records.
     * @param clockOffsetNs see {@link EveFormatter#EveFormatter}.
     */
    public EventWriter(final EventsConfig config, final int workers, final TenantNames tenants,
        final long clockOffsetNs)
    {
        this(config, true, workers, tenants, clockOffsetNs, null);
    }

    /**
     * @param config        rotation and queue sizes; its folder is used only with {@code flowFile}.
     * @param flowFile      true to write flow records and audit events to {@code eve.json} in the folder.
     * @param ipsFile       where the IPS stages' lines go, each worker through an {@link EveRecordQueue} of
     *                      {@code config.recordQueueBytes()}; null for none.
     * @param clockOffsetNs see {@link EveFormatter#EveFormatter}.
     */
    public EventWriter(final EventsConfig config, final boolean flowFile, final int workers, final TenantNames tenants,
        final long clockOffsetNs, final Path ipsFile)
    {
        this.config = config;
        this.eve = flowFile ? new RotatingEveFile(config.dir().resolve(FILE_NAME), config.maxFileBytes(),
            config.maxFiles()) : null;
        this.ips = null == ipsFile ? null : new RotatingEveFile(ipsFile, config.maxFileBytes(), config.maxFiles());
        this.auditHandler = (type, buffer, index, length) -> onRecord(eve, buffer, index, length);
        this.ipsHandler = (type, buffer, index, length) -> onRecord(ips, buffer, index, length);
        this.queues = new SpscEventQueue[flowFile ? workers : 0];
        for (int w = 0; w < queues.length; w++)
        {
            queues[w] = new SpscEventQueue(config.queueSlots());
        }
        this.audit = flowFile ? new EveRecordQueue(config.recordQueueBytes()) : null;
        this.ipsQueues = new EveRecordQueue[null == ipsFile ? 0 : workers];
        for (int w = 0; w < ipsQueues.length; w++)
        {
            ipsQueues[w] = new EveRecordQueue(config.recordQueueBytes());
        }
        this.record = new byte[null != audit ? audit.maxRecordBytes()
            : ipsQueues.length > 0 ? ipsQueues[0].maxRecordBytes() : 0];
        this.formatter = new EveFormatter(clockOffsetNs, tenants);
        this.renderer = new EveRenderer(tenants);
        this.thread = new Thread(this::run, "opensase-events");
        this.thread.setDaemon(true);
    }

    /** The flow record queue worker {@code worker} produces into; only when flow records are written. */
    public SpscEventQueue queue(final int worker)
    {
        return queues[worker];
    }

    /** The IPS event queue worker {@code worker} produces into; only with an IPS file. */
    public EveRecordQueue ipsQueue(final int worker)
    {
        return ipsQueues[worker];
    }

    /**
     * The audit event queue, or null when {@code eve.json} is not written. One producer at a time: callers on
     * several control threads hold one lock around building and offering a record.
     */
    public EveRecordQueue auditQueue()
    {
        return audit;
    }

    /** The flow and audit file, or null. */
    public Path file()
    {
        return null == eve ? null : eve.file();
    }

    /** The IPS file, or null. */
    public Path ipsFile()
    {
        return null == ips ? null : ips.file();
    }

    /**
     * Creates the events folder if it is missing; done before anything else runs, so that a folder that cannot
     * be made stops the run before it starts.
     *
     * @throws IOException naming the folder and why.
     */
    public static void createFolder(final EventsConfig config) throws IOException
    {
        try
        {
            Files.createDirectories(config.dir());
        }
        catch (final IOException ex)
        {
            throw new IOException("events.dir " + config.dir() + ": cannot create the folder ("
                + (ex instanceof java.nio.file.FileAlreadyExistsException ? "a file of that name exists" : ex) + ")",
                ex);
        }
    }

    /** Starts the thread; the folder must exist ({@link #createFolder}). */
    public void start()
    {
        thread.start();
    }

    /**
     * Control thread, once the producers have published their last events: lets the writer drain the queues,
     * write and close its files, and waits for it up to {@code waitNs}. A writer still stuck after that (a
     * blocked disk) is left to finish on its own (it is a daemon thread); its unwritten events show in
     * {@link EventStats#pending()}.
     *
     * @return true when the writer finished within the wait.
     */
    public boolean close(final long waitNs)
    {
        stopping = true;
        try
        {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs)));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Waits up to five seconds. */
    @Override
    public void close()
    {
        close(TimeUnit.SECONDS.toNanos(5));
    }

    /**
     * Any thread: the counts of {@code eve.json} now (flow records per worker, audit events apart), or null
     * when it is not written.
     */
    public EventStats stats()
    {
        if (null == eve)
        {
            return null;
        }
        final long[] queued = new long[queues.length];
        final long[] dropped = new long[queues.length];
        for (int w = 0; w < queues.length; w++)
        {
            queued[w] = queues[w].published();
            dropped[w] = queues[w].dropped();
        }
        return new EventStats(queued, dropped, audit.published(), audit.dropped(), eve.written(), eve.lost(),
            eve.writeErrors(), eve.rotations());
    }

    /** Any thread: the counts of the IPS file now (alerts and application events per worker), or null. */
    public EventStats ipsStats()
    {
        if (null == ips)
        {
            return null;
        }
        final long[] queued = new long[ipsQueues.length];
        final long[] dropped = new long[ipsQueues.length];
        for (int w = 0; w < ipsQueues.length; w++)
        {
            queued[w] = ipsQueues[w].published();
            dropped[w] = ipsQueues[w].dropped();
        }
        return new EventStats(queued, dropped, 0, 0, ips.written(), ips.lost(), ips.writeErrors(), ips.rotations());
    }

    private void run()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(1));
        open(eve);
        open(ips);
        while (true)
        {
            // Read before draining: whatever was published before the stop request is drained in this pass.
            final boolean stop = stopping;
            int drained = 0;
            for (final SpscEventQueue queue : queues)
            {
                drained += queue.drain(flowHandler, BATCH);
            }
            if (null != audit)
            {
                drained += audit.drain(auditHandler, BATCH);
            }
            for (final EveRecordQueue queue : ipsQueues)
            {
                drained += queue.drain(ipsHandler, BATCH);
            }
            if (0 == drained)
            {
                flush(eve);
                flush(ips);
                if (stop)
                {
                    break;
                }
            }
            idle.idle(drained);
        }
        close(eve);
        close(ips);
    }

    private void onFlowRecord(final long[] records, final int at)
    {
        try
        {
            formatter.format(records, at);
        }
        catch (final RuntimeException ex)
        {
            defect(eve, ex);
            return;
        }
        eve.append(formatter.line(), formatter.length());
    }

    private void onRecord(final RotatingEveFile file, final DirectBuffer buffer, final int index, final int length)
    {
        try
        {
            buffer.getBytes(index, record, 0, length);
            renderer.render(record, 0, length);
        }
        catch (final RuntimeException ex)
        {
            defect(file, ex);
            return;
        }
        file.append(renderer.line(), renderer.length());
    }

    /** A record that could not be formatted: lost and counted, and the writer goes on with the next. */
    private void defect(final RotatingEveFile file, final RuntimeException ex)
    {
        file.defect();
        if (!reportedDefect)
        {
            reportedDefect = true;
            System.err.println("opensase: events: a record could not be written (reported once): " + ex);
        }
    }

    private static void open(final RotatingEveFile file)
    {
        if (null != file)
        {
            file.open();
        }
    }

    private static void flush(final RotatingEveFile file)
    {
        if (null != file)
        {
            file.flush();
        }
    }

    private static void close(final RotatingEveFile file)
    {
        if (null != file)
        {
            file.close();
        }
    }
}
