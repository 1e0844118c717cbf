package io.opensase.core.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

abstract class EventQueuePad0
{
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** Fields written by the producer (a worker) only. */
abstract class EventQueueProducerFields extends EventQueuePad0
{
    long producerIndex;
    long producerLimit;
    long dropped;
}

abstract class EventQueuePad1 extends EventQueueProducerFields
{
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
}

/** Fields written by the consumer (the writer thread) only. */
abstract class EventQueueConsumerFields extends EventQueuePad1
{
    long consumerIndex;
    long consumerLimit;
}

abstract class EventQueuePad2 extends EventQueueConsumerFields
{
    long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;
}

/**
 * A bounded single-producer, single-consumer queue of fixed-size event records ({@link EventLayout}), all in
 * one {@code long[]} allocated at construction. The producer is one worker; the consumer is the writer thread.
 * <p>
 * The producer claims the next free record, writes its words in place, and publishes it with one release
 * store; when every record is taken, {@link #claim()} returns {@link #FULL} and counts the event as dropped,
 * so a worker never waits for the writer. The consumer reads published records in place and hands them back
 * with one release store per batch. Each side caches the other's index and re-reads it (acquire) only when
 * the cache says full or empty. Producer and consumer fields sit in separate 128-byte padded layers of the
 * class hierarchy.
 * <p>
 * Counts ({@link #published()}, {@link #dropped()}) may be read from any thread while the producer runs.
 */
public final class SpscEventQueue extends EventQueuePad2
{
    /** Returned by {@link #claim()} when no record is free; the event was counted as dropped. */
    public static final int FULL = -1;
    /** How long {@link #claim(long)} sleeps between looks at the consumer: about a batch of lines written. */
    private static final long WAIT_NS = 50_000;

    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle CONSUMER_INDEX;
    private static final VarHandle DROPPED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(EventQueueProducerFields.class, "producerIndex", long.class);
            DROPPED = lookup.findVarHandle(EventQueueProducerFields.class, "dropped", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(EventQueueConsumerFields.class, "consumerIndex", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Told of each record {@link #drain} takes; the words are valid during the call only. */
    @FunctionalInterface
    public interface RecordHandler
    {
        void onRecord(long[] records, int at);
    }

    private final long[] records;
    private final int mask;

    /**
     * @param slots records the queue holds, a power of two of at least 2.
     */
    public SpscEventQueue(final int slots)
    {
        if (slots < 2 || Integer.bitCount(slots) != 1 || slots > (1 << 24))
        {
            throw new IllegalArgumentException("event queue slots must be a power of two 2.." + (1 << 24) + ": "
                + slots);
        }
        records = new long[slots * EventLayout.WORDS];
        mask = slots - 1;
        producerLimit = slots;
    }

    public int slots()
    {
        return mask + 1;
    }

    /**
     * Producer only: the next free record, as the index of its first word in {@link #records()}. The same
     * record is returned until {@link #publish()}; its words hold whatever an earlier event left there.
     *
     * @return the word index, or {@link #FULL} (the event is counted as dropped).
     */
    public int claim()
    {
        final long index = producerIndex;
        if (index >= producerLimit)
        {
            producerLimit = (long)CONSUMER_INDEX.getAcquire(this) + mask + 1;
            if (index >= producerLimit)
            {
                DROPPED.setOpaque(this, dropped + 1);
                return FULL;
            }
        }
        return ((int)index & mask) * EventLayout.WORDS;
    }

    /**
     * Producer only, off the packet path (the end of a run, once the worker has stopped): as {@link #claim()},
     * but while every record is taken it waits for the consumer to free one, until {@link System#nanoTime()}
     * reaches {@code deadlineNs}; only a record still not free then is counted as dropped.
     */
    public int claim(final long deadlineNs)
    {
        while (producerIndex >= (long)CONSUMER_INDEX.getAcquire(this) + mask + 1
            && System.nanoTime() - deadlineNs < 0)
        {
            LockSupport.parkNanos(WAIT_NS);
        }
        return claim();
    }

    /** Producer only: the array records are claimed in. */
    public long[] records()
    {
        return records;
    }

    /** Producer only: hands the claimed record to the consumer. */
    public void publish()
    {
        PRODUCER_INDEX.setRelease(this, producerIndex + 1);
    }

    /**
     * Consumer only: passes up to {@code max} published records to {@code handler}, oldest first, then frees
     * them for the producer.
     *
     * @return how many were passed.
     */
    public int drain(final RecordHandler handler, final int max)
    {
        final long index = consumerIndex;
        long available = consumerLimit - index;
        if (available < max)
        {
            consumerLimit = (long)PRODUCER_INDEX.getAcquire(this);
            available = consumerLimit - index;
        }
        final int n = (int)Math.min(available, max);
        for (int i = 0; i < n; i++)
        {
            handler.onRecord(records, ((int)(index + i) & mask) * EventLayout.WORDS);
        }
        if (n > 0)
        {
            CONSUMER_INDEX.setRelease(this, index + n);
        }
        return n;
    }

    /** Any thread: events queued since the start. */
    public long published()
    {
        return (long)PRODUCER_INDEX.getOpaque(this);
    }

    /** Any thread: events refused because the queue was full. */
    public long dropped()
    {
        return (long)DROPPED.getOpaque(this);
    }

    /** Any thread: records published and not yet drained, at some instant during the call. */
    public int size()
    {
        final long consumer = (long)CONSUMER_INDEX.getAcquire(this);
        final long producer = (long)PRODUCER_INDEX.getAcquire(this);
        return (int)Math.max(0, producer - consumer);
    }
}
