package io.opensase.core.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class MpscPad0
{
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** Claimed by producers with compare-and-set. */
abstract class MpscProducerFields extends MpscPad0
{
    long producerIndex;
}

abstract class MpscPad1 extends MpscProducerFields
{
    long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
}

/** Written by the consumer thread only. */
abstract class MpscConsumerFields extends MpscPad1
{
    long consumerIndex;
}

abstract class MpscPad2 extends MpscConsumerFields
{
    long p40, p41, p42, p43, p44, p45, p46, p47, p48, p49, p50, p51, p52, p53, p54, p55;
}

/**
 * A bounded multi-producer, single-consumer ring of non-zero longs: packet buffers returned to their pool
 * from any thread.
 * <p>
 * A producer claims a slot by compare-and-set on the producer index, then publishes the element with a
 * release store; zero marks a claimed slot whose element is not visible yet, so the consumer stops there
 * and tries again later (the same scheme as JCTools' MpscArrayQueue).
 */
public final class MpscLongRing extends MpscPad2
{
    private static final VarHandle PRODUCER_INDEX;
    private static final VarHandle CONSUMER_INDEX;
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(long[].class);

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_INDEX = lookup.findVarHandle(MpscProducerFields.class, "producerIndex", long.class);
            CONSUMER_INDEX = lookup.findVarHandle(MpscConsumerFields.class, "consumerIndex", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] buffer;
    private final int mask;

    public MpscLongRing(final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two of at least 2: " + capacity);
        }
        buffer = new long[capacity];
        mask = capacity - 1;
    }

    /**
     * Any thread: appends one non-zero element.
     *
     * @return false when the ring is full.
     */
    public boolean offer(final long element)
    {
        while (true)
        {
            final long index = (long)PRODUCER_INDEX.getVolatile(this);
            if (index - (long)CONSUMER_INDEX.getAcquire(this) >= buffer.length)
            {
                return false;
            }
            if (PRODUCER_INDEX.compareAndSet(this, index, index + 1))
            {
                ELEMENT.setRelease(buffer, (int)index & mask, element);
                return true;
            }
        }
    }

    /**
     * Consumer thread only: removes up to {@code max} published elements into {@code target[from..]}.
     */
    public int poll(final long[] target, final int from, final int max)
    {
        final long index = consumerIndex;
        int n = 0;
        while (n < max)
        {
            final int slot = (int)(index + n) & mask;
            final long element = (long)ELEMENT.getAcquire(buffer, slot);
            if (0 == element)
            {
                break;
            }
            buffer[slot] = 0;
            target[from + n++] = element;
        }
        if (n > 0)
        {
            CONSUMER_INDEX.setRelease(this, index + n);
        }
        return n;
    }
}
