package io.opensase.core.events;

import io.opensase.core.report.JsonWriter;

/**
 * The event path's counts at one moment, read without locks while workers and the writer run, so the numbers
 * may be a few events apart from each other.
 *
 * @param queued      per worker: events put on its queue.
 * @param dropped     per worker: events refused because its queue was full (the worker never waits).
 * @param auditQueued audit events the control path put on its queue (0 for the IPS file).
 * @param auditDropped audit events refused because that queue was full.
 * @param written     lines written to the files.
 * @param lost        events taken from the queues but not written: a write or open failed (the lines in the
 *                    failed write), or the file could not be opened yet.
 * @param writeErrors failed writes, opens and rotations.
 * @param rotations   files rotated.
 */
public record EventStats(long[] queued, long[] dropped, long auditQueued, long auditDropped, long written,
    long lost, long writeErrors, long rotations)
{
    /** Every event queued, audit events included. */
    public long queuedTotal()
    {
        long sum = auditQueued;
        for (final long n : queued)
        {
            sum += n;
        }
        return sum;
    }

    /** Every event dropped, audit events included. */
    public long droppedTotal()
    {
        long sum = auditDropped;
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

    /**
     * Writes {@code stats} as the object {@code name} (the counts of one EVE file: {@code events} for
     * {@code eve.json}, {@code ips_events} for the IPS file, in {@code /stats} and the run report); nothing for
     * null, a file the engine does not write.
     */
    public static void write(final JsonWriter json, final String name, final EventStats stats)
    {
        if (null == stats)
        {
            return;
        }
        json.beginObject(name)
            .field("queued", stats.queuedTotal())
            .field("dropped", stats.droppedTotal())
            .field("audit_queued", stats.auditQueued())
            .field("audit_dropped", stats.auditDropped())
            .field("written", stats.written())
            .field("lost", stats.lost())
            .field("pending", stats.pending())
            .field("write_errors", stats.writeErrors())
            .field("rotations", stats.rotations())
            .beginArray("workers");
        for (int w = 0; w < stats.queued().length; w++)
        {
            json.beginObject().field("worker", w).field("queued", stats.queued()[w])
                .field("dropped", stats.dropped()[w]).endObject();
        }
        json.endArray().endObject();
    }

    @Override
    public String toString()
    {
        return "queued " + java.util.Arrays.toString(queued) + ", dropped " + java.util.Arrays.toString(dropped)
            + ", audit queued " + auditQueued + ", audit dropped " + auditDropped
            + ", written " + written + ", lost " + lost + ", write errors " + writeErrors + ", rotations " + rotations;
    }
}
