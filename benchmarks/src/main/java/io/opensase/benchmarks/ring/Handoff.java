package io.opensase.benchmarks.ring;

/**
 * Settings shared by the hand-off benchmarks, so that every queue is measured at the same size.
 */
final class Handoff
{
    /** Slots in every queue under test. */
    static final int CAPACITY = 4096;
    /** Largest burst any benchmark moves per call. */
    static final int MAX_BURST = 32;
    /** Preallocated elements the object queues cycle through, so that nothing is allocated per element. */
    static final int POOL_SIZE = 1024;

    private Handoff()
    {
    }

    /** Boxed, non-zero element values created once; the producer hands these references over. */
    static Long[] elementPool()
    {
        final Long[] pool = new Long[POOL_SIZE];
        for (int i = 0; i < POOL_SIZE; i++)
        {
            pool[i] = Long.valueOf(0x1000L + 64L * i);
        }
        return pool;
    }
}
