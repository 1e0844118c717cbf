package io.opensase.core.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class SpscPad0
{
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** Fields written by the producer thread. */
abstract class SpscProducerFields extends SpscPad0
{
    long producerIndex;
    long producerLimit;
}

abstract class SpscPad1 extends SpscProducerFields
{
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
}

/** Fields written by the consumer thread. */
abstract class SpscConsumerFields extends SpscPad1
{
    long consumerIndex;
    long consumerLimit;
}

abstract class SpscPad2 extends SpscConsumerFields
{
    long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;
}

/**
 * A bounded single-producer, single-consumer ring of non-zero longs (mbuf addresses), moved in bursts.
 * <p>
 * One thread offers, one thread polls. Each side caches its view of the other side's index and re-reads it
 * (acquire) only when the cache says the ring is full or empty; an index is published with a release store
 * once per burst, after the elements it covers are written. Producer and consumer fields sit in separate
 * 128-byte padded layers of the class hierarchy, so they never share a cache line.
 */
public final class SpscLongRing extends SpscPad2
{
    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle CONSUMER_INDEX;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(SpscProducerFields.class, "producerIndex", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(SpscConsumerFields.class, "consumerIndex", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] buffer;
    private final int mask;

    /**
     * @param capacity a power of two.
     */
    public SpscLongRing(final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two of at least 2: " + capacity);
        }
        buffer = new long[capacity];
        mask = capacity - 1;
        producerLimit = capacity;
    }

    public int capacity()
    {
        return buffer.length;
    }

    /**
     * Producer thread only: appends up to {@code count} elements from {@code source[from..]}.
     *
     * @return how many were appended; fewer than asked when the ring is full.
     */
    public int offer(final long[] source, final int from, final int count)
    {
        final long index = producerIndex;
        long free = producerLimit - index;
        if (free < count)
        {
            producerLimit = (long)CONSUMER_INDEX.getAcquire(this) + buffer.length;
            free = producerLimit - index;
        }
        final int n = (int)Math.min(free, count);
        for (int i = 0; i < n; i++)
        {
            buffer[(int)(index + i) & mask] = source[from + i];
        }
        if (n > 0)
        {
            PRODUCER_INDEX.setRelease(this, index + n);
        }
        return n;
    }

    /**
     * Consumer thread only: removes up to {@code max} elements into {@code target[0..]}.
     *
     * @return how many were removed.
     */
    public int poll(final long[] target, final int max)
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
            target[i] = buffer[(int)(index + i) & mask];
        }
        if (n > 0)
        {
            CONSUMER_INDEX.setRelease(this, index + n);
        }
        return n;
    }

    /** Any thread: elements in the ring at some instant during the call. */
    public int size()
    {
        final long consumer = (long)CONSUMER_INDEX.getAcquire(this);
        final long producer = (long)PRODUCER_INDEX.getAcquire(this);
        return (int)Math.max(0, producer - consumer);
    }
}
