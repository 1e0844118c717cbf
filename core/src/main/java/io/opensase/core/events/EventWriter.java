package io.opensase.core.events;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The writer thread: drains every worker's {@link SpscEventQueue}, renders each record as an EVE JSON line
 * ({@link EveFormatter}) and appends it to {@code eve.json} in the configured folder, rotating by size
 * ({@code eve.json} becomes {@code eve.json.1}, and so on up to {@code max_files}).
 * <p>
 * Workers never wait for it: a slow or blocked disk only stops this thread, the queues fill, and workers drop
 * and count what does not fit. A failed write or open is counted ({@link EventStats#writeErrors()}), the lines
 * it held are counted as lost, and the file is opened again a second later, cut back to its last whole line;
 * meanwhile the queues keep being drained (and the events counted as lost), so they stay free for when the disk
 * recovers. The thread keeps running whatever the disk does.
 * <p>
 * Built by the control thread, which also {@link #start starts} and {@link #close stops} it.
 */
public final class EventWriter implements AutoCloseable
{
    public static final String FILE_NAME = "eve.json";
    /** Records taken from one queue before looking at the next, so that one busy worker cannot starve others. */
    private static final int BATCH = 256;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final long RETRY_NS = TimeUnit.SECONDS.toNanos(1);

    private final EventsConfig config;
    private final Path file;
    private final SpscEventQueue[] queues;
    private final EveFormatter formatter;
    private final SpscEventQueue.RecordHandler handler = this::onRecord;
    private final ByteBuffer pending = ByteBuffer.allocate(BUFFER_BYTES);
    private final Thread thread;
    private volatile SignatureCatalog signatures = SignatureCatalog.NONE;
    private volatile boolean stopping;

    /* Writer thread only. */
    private SignatureCatalog running = SignatureCatalog.NONE;
    private FileChannel channel;
    /** Bytes in the current file, all whole lines. */
    private long fileBytes;
    private int pendingLines;
    private long retryAtNs;
    /** Where the file is cut back to when it is opened again after a failed write, or -1. */
    private long cutBackTo = -1;
    private boolean reportedDefect;

    /* Written by the writer thread only, read by any. */
    private volatile long written;
    private volatile long lost;
    private volatile long writeErrors;
    private volatile long rotations;

    /**
     * @param workers       one queue is made for each, of {@code config.queueSlots()} records.
     * @param clockOffsetNs see {@link EveFormatter#EveFormatter}.
     */
    public EventWriter(final EventsConfig config, final int workers, final TenantNames tenants,
        final long clockOffsetNs)
    {
        this.config = config;
        this.file = config.dir().resolve(FILE_NAME);
        this.queues = new SpscEventQueue[workers];
        for (int w = 0; w < workers; w++)
        {
            queues[w] = new SpscEventQueue(config.queueSlots());
        }
        this.formatter = new EveFormatter(clockOffsetNs, tenants);
        this.thread = new Thread(this::run, "opensase-events");
        this.thread.setDaemon(true);
    }

    /** The queue worker {@code worker} produces into. */
    public SpscEventQueue queue(final int worker)
    {
        return queues[worker];
    }

    /** The file written now. */
    public Path file()
    {
        return file;
    }

    /** Any thread: the catalog alert lines take their signature text from, from the next alert written. */
    public void setSignatures(final SignatureCatalog catalog)
    {
        signatures = null == catalog ? SignatureCatalog.NONE : catalog;
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
     * write and close its file, and waits for it up to {@code waitNs}. A writer still stuck after that (a blocked
     * disk) is left to finish on its own (it is a daemon thread); its unwritten events show in
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

    /** Any thread: the counts now. */
    public EventStats stats()
    {
        final long[] queued = new long[queues.length];
        final long[] dropped = new long[queues.length];
        for (int w = 0; w < queues.length; w++)
        {
            queued[w] = queues[w].published();
            dropped[w] = queues[w].dropped();
        }
        return new EventStats(queued, dropped, written, lost, writeErrors, rotations);
    }

    private void run()
    {
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(10),
            TimeUnit.MILLISECONDS.toNanos(1));
        open();
        while (true)
        {
            // Read before draining: whatever was published before the stop request is drained in this pass.
            final boolean stop = stopping;
            running = signatures;
            int drained = 0;
            for (final SpscEventQueue queue : queues)
            {
                drained += queue.drain(handler, BATCH);
            }
            if (0 == drained)
            {
                flush();
                if (stop)
                {
                    break;
                }
            }
            idle.idle(drained);
        }
        closeChannel();
    }

    private void onRecord(final long[] records, final int at)
    {
        try
        {
            write(records, at);
        }
        catch (final RuntimeException ex)
        {
            // A defect, not the disk: the record is lost and counted, the writer goes on with the next.
            lost++;
            writeErrors++;
            if (!reportedDefect)
            {
                reportedDefect = true;
                System.err.println("opensase: events: a record could not be written (reported once): " + ex);
            }
        }
    }

    private void write(final long[] records, final int at)
    {
        formatter.format(records, at, running);
        final int length = formatter.length();
        if (null == channel && !reopen())
        {
            lost++;
            return;
        }
        final long size = fileBytes + pending.position();
        if (size > 0 && size + length > config.maxFileBytes())
        {
            flush();
            rotate();
            if (null == channel)
            {
                lost++;
                return;
            }
        }
        if (pending.remaining() < length)
        {
            flush();
        }
        if (length > pending.capacity())
        {
            writeAlone(formatter.line(), length);
            return;
        }
        pending.put(formatter.line(), 0, length);
        pendingLines++;
    }

    /** Writes what is buffered; on failure counts the error and its lines as lost, and closes the file. */
    private void flush()
    {
        if (0 == pending.position())
        {
            return;
        }
        pending.flip();
        final int lines = pendingLines;
        pendingLines = 0;
        if (null == channel)
        {
            lost += lines;
            pending.clear();
            return;
        }
        final int bytes = pending.remaining();
        try
        {
            while (pending.hasRemaining())
            {
                channel.write(pending);
            }
            fileBytes += bytes;
            written += lines;
        }
        catch (final IOException ex)
        {
            failed(lines);
        }
        finally
        {
            pending.clear();
        }
    }

    private void writeAlone(final byte[] line, final int length)
    {
        if (null == channel)
        {
            lost++;
            return;
        }
        try
        {
            final ByteBuffer buffer = ByteBuffer.wrap(line, 0, length);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            fileBytes += length;
            written++;
        }
        catch (final IOException ex)
        {
            failed(1);
        }
    }

    private void failed(final int lines)
    {
        writeErrors++;
        lost += lines;
        cutBackTo = fileBytes;
        closeChannel();
        retryAtNs = System.nanoTime() + RETRY_NS;
    }

    private boolean reopen()
    {
        if (System.nanoTime() - retryAtNs < 0)
        {
            return false;
        }
        open();
        return null != channel;
    }

    /** Opens {@code eve.json} for appending; after a failed write, first cuts off a partly written line. */
    private void open()
    {
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long size = channel.size();
            if (cutBackTo >= 0 && size > cutBackTo)
            {
                channel.truncate(cutBackTo);
                size = cutBackTo;
            }
            cutBackTo = -1;
            if (size > 0)
            {
                channel.position(size);
            }
            fileBytes = size;
        }
        catch (final IOException ex)
        {
            writeErrors++;
            closeChannel();
            retryAtNs = System.nanoTime() + RETRY_NS;
        }
    }

    /** Moves eve.json.(n-1) to eve.json.n, ..., eve.json to eve.json.1 (the oldest goes), then opens a new one. */
    private void rotate()
    {
        closeChannel();
        try
        {
            final int keep = config.maxFiles();
            if (1 == keep)
            {
                Files.deleteIfExists(file);
            }
            for (int n = keep - 1; n >= 1; n--)
            {
                final Path from = 1 == n ? file : rotated(n - 1);
                if (Files.exists(from))
                {
                    Files.move(from, rotated(n), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            rotations++;
        }
        catch (final IOException ex)
        {
            writeErrors++;
            retryAtNs = System.nanoTime() + RETRY_NS;
            return;
        }
        open();
    }

    private Path rotated(final int n)
    {
        return file.resolveSibling(FILE_NAME + "." + n);
    }

    private void closeChannel()
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                writeErrors++;
            }
            channel = null;
        }
    }
}
