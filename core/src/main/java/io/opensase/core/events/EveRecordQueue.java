package io.opensase.core.events;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded single-producer, single-consumer queue of variable-length {@link EveRecord}s: the IPS alert and
 * application events of one worker, or the audit events of the control path, on their way to the event
 * writer. Records are copied into one ring of bytes allocated at construction (Agrona's
 * {@link OneToOneRingBuffer}: a claim, a copy and one release store per record, no lock).
 * <p>
 * When the ring has no room for a record, {@link #offer} returns false at once and counts it as dropped: on the
 * packet path the producer never waits for the writer. Once a worker has stopped, the control thread that
 * produces the end of a run's lines may let offers wait for room ({@link #waitForRoomUntil}). Counts may be read
 * from any thread.
 */
public final class EveRecordQueue
{
    private static final int RECORD_TYPE = 1;
    /** How long a waiting {@link #offer} sleeps between tries: about a batch of lines written. */
    private static final long WAIT_NS = 50_000;
    private static final VarHandle PUBLISHED;
    private static final VarHandle DROPPED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PUBLISHED = lookup.findVarHandle(EveRecordQueue.class, "published", long.class);
            DROPPED = lookup.findVarHandle(EveRecordQueue.class, "dropped", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final RingBuffer ring;
    /** Written by the producer only. */
    private long published;
    private long dropped;
    /** Whether an offer that finds no room waits for the consumer, and until when ({@link System#nanoTime()}). */
    private boolean waits;
    private long waitUntilNs;

    /**
     * @param bytes ring size, a power of two; a record may take up to an eighth of it.
     */
    public EveRecordQueue(final int bytes)
    {
        if (bytes < 1024 || Integer.bitCount(bytes) != 1)
        {
            throw new IllegalArgumentException("EVE record queue bytes must be a power of two of at least 1024: "
                + bytes);
        }
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** The longest record the queue takes; a longer one is dropped. */
    public int maxRecordBytes()
    {
        return ring.maxMsgLength();
    }

    /**
     * The producer's thread, once the packet path is over (the worker stopped, the end of the run's lines to
     * come): from now on an offer that finds no room waits for the consumer to free some, until
     * {@link System#nanoTime()} reaches {@code deadlineNs}; past it, records are dropped and counted as before.
     */
    public void waitForRoomUntil(final long deadlineNs)
    {
        waits = true;
        waitUntilNs = deadlineNs;
    }

    /**
     * Producer only: copies the record built in {@code record} onto the queue.
     *
     * @return false when the queue had no room (the record was counted as dropped).
     */
    public boolean offer(final EveRecord record)
    {
        final int length = record.length();
        int index = length > ring.maxMsgLength() ? RingBuffer.INSUFFICIENT_CAPACITY
            : ring.tryClaim(RECORD_TYPE, length);
        while (waits && RingBuffer.INSUFFICIENT_CAPACITY == index && length <= ring.maxMsgLength()
            && System.nanoTime() - waitUntilNs < 0)
        {
            LockSupport.parkNanos(WAIT_NS);
            index = ring.tryClaim(RECORD_TYPE, length);
        }
        if (index < 0)
        {
            DROPPED.setOpaque(this, dropped + 1);
            return false;
        }
        ring.buffer().putBytes(index, record.bytes(), 0, length);
        ring.commit(index);
        PUBLISHED.setOpaque(this, published + 1);
        return true;
    }

    /**
     * Consumer only: passes up to {@code max} records to {@code handler}, oldest first, and frees their room;
     * a record's bytes are valid during its call only.
     *
     * @return how many were passed.
     */
    public int drain(final MessageHandler handler, final int max)
    {
        return ring.read(handler, max);
    }

    /** Any thread: records queued since the start. */
    public long published()
    {
        return (long)PUBLISHED.getOpaque(this);
    }

    /** Any thread: records refused because the queue was full. */
    public long dropped()
    {
        return (long)DROPPED.getOpaque(this);
    }
}
