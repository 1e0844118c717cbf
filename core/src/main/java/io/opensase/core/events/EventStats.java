package io.opensase.core.events;

/**
 * The event path's counts at one moment, read without locks while workers and the writer run, so the numbers
 * may be a few events apart from each other.
 *
 * @param queued      per worker: events put on its queue.
 * @param dropped     per worker: events refused because its queue was full (the worker never waits).
 * @param written     lines written to the files.
 * @param lost        events taken from the queues but not written: a write or open failed (the lines in the
 *                    failed write), or the file could not be opened yet.
 * @param writeErrors failed writes, opens and rotations.
 * @param rotations   files rotated.
 */
public record EventStats(long[] queued, long[] dropped, long written, long lost, long writeErrors, long rotations)
{
    public long queuedTotal()
    {
        long sum = 0;
        for (final long n : queued)
        {
            sum += n;
        }
        return sum;
    }

    public long droppedTotal()
    {
        long sum = 0;
        for (final long n : dropped)
        {
            sum += n;
        }
        return sum;
    }

    /** Queued and neither written nor lost yet. */
    public long pending()
    {
        return Math.max(0, queuedTotal() - written - lost);
    }

    @Override
    public String toString()
    {
        return "queued " + java.util.Arrays.toString(queued) + ", dropped " + java.util.Arrays.toString(dropped)
            + ", written " + written + ", lost " + lost + ", write errors " + writeErrors + ", rotations " + rotations;
    }
}
