package io.opensase.core.events;

import io.opensase.core.audit.AuditEntry;

import java.time.Instant;

/**
 * Audit log entries as EVE {@code audit} lines, put on the event writer's audit queue so that they reach
 * {@code eve.json} with the flows and alerts: the audit log, sealed and chained, stays the record of changes;
 * this line tells the tools that read EVE. A line carries every member of the entry:
 * <pre>
 * {"timestamp":"2026-01-01T12:00:00.000000+0000","event_type":"audit","audit":{"seq":7,
 *  "time":"2026-01-01T12:00:00.000Z","principal":"ops","action":"reload","result":"applied",
 *  "config_digest":"3a7f...","detail":"...","prev":"...","mac":"..."}}
 * </pre>
 * Control threads call it, one at a time (a lock), so the queue keeps a single producer.
 */
public final class AuditEvents
{
    /** An entry is at most 16 KiB as a line (principal 128 characters, detail 1,024 and hex digests). */
    private final EveRecord record = new EveRecord(16 << 10, 4 << 10);
    private EveRecordQueue queue;

    /** The queue of the run under way, or null when no run writes {@code eve.json}. */
    public synchronized void writeTo(final EveRecordQueue runQueue)
    {
        queue = runQueue;
    }

    /**
     * Puts {@code entry}'s line on the queue.
     *
     * @return false when no run writes events, or the queue was full (then counted as dropped).
     */
    public synchronized boolean offer(final AuditEntry entry)
    {
        if (null == queue)
        {
            return false;
        }
        final Instant time = Instant.parse(entry.time());
        record.begin()
            .time("timestamp", time.getEpochSecond() * 1_000_000_000L + time.getNano())
            .field("event_type", "audit")
            .open("audit")
            .field("seq", entry.seq())
            .field("time", entry.time())
            .field("principal", entry.principal())
            .field("action", entry.action())
            .field("result", entry.result());
        if (null != entry.configDigest())
        {
            record.field("config_digest", entry.configDigest());
        }
        if (null != entry.detail())
        {
            record.field("detail", entry.detail());
        }
        record.field("prev", entry.prev()).field("mac", entry.mac()).close().end();
        return queue.offer(record);
    }
}
