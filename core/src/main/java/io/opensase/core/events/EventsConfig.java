package io.opensase.core.events;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where events go and how much may wait for the writer (the {@code events:} section). Nothing is created or
 * checked on disk until the engine starts.
 *
 * @param dir          the folder of {@code eve.json} and its rotated files; created at start if missing.
 * @param maxFileBytes size at which {@code eve.json} is rotated: a line that would take it past this size goes
 *                     to a new file (a file holds at least one line).
 * @param maxFiles     files kept, {@code eve.json} included: {@code eve.json.1} is the newest rotated one, and
 *                     the oldest beyond {@code maxFiles - 1} is deleted.
 * @param queueSlots   flow records each worker's queue holds (a power of two); when it is full, records are
 *                     dropped and counted.
 * @param recordQueueBytes bytes of each worker's IPS event queue (alerts and application events, a record of
 *                     up to {@link #IPS_RECORD_BYTES} each) and of the audit event queue: a power of two; when
 *                     a record does not fit, it is dropped and counted.
 * @throws IllegalArgumentException {@code field: reason} for a value out of range.
 */
public record EventsConfig(Path dir, long maxFileBytes, int maxFiles, int queueSlots, int recordQueueBytes)
{
    public static final long DEFAULT_MAX_FILE_BYTES = 100L << 20;
    public static final long MIN_MAX_FILE_BYTES = 4096;
    public static final long MAX_MAX_FILE_BYTES = 1L << 40;
    public static final int DEFAULT_MAX_FILES = 10;
    public static final int MAX_MAX_FILES = 1000;
    public static final int DEFAULT_QUEUE_SLOTS = 4096;
    public static final int MIN_QUEUE_SLOTS = 64;
    /** 64 MiB of records per worker at most. */
    public static final int MAX_QUEUE_SLOTS = 1 << 18;
    /** 4 MiB: about a thousand alerts of a full-size packet each. */
    public static final int DEFAULT_RECORD_QUEUE_BYTES = 4 << 20;
    /** Eight of the largest records. */
    public static final int MIN_RECORD_QUEUE_BYTES = 128 << 10;
    public static final int MAX_RECORD_QUEUE_BYTES = 256 << 20;
    /**
     * The largest IPS event record: 16 KiB, room for an alert's packet and payload of up to
     * {@link #IPS_VALUE_BYTES} each, its rule text and its application object.
     */
    public static final int IPS_RECORD_BYTES = 16 << 10;
    /** Bytes one value of an IPS event (a packet, a payload, a URL, a header) keeps; the rest is cut. */
    public static final int IPS_VALUE_BYTES = 4 << 10;

    public EventsConfig
    {
        Objects.requireNonNull(dir, "dir");
        if (maxFileBytes < MIN_MAX_FILE_BYTES || maxFileBytes > MAX_MAX_FILE_BYTES)
        {
            throw new IllegalArgumentException("max_file_bytes: must be " + MIN_MAX_FILE_BYTES + ".."
                + MAX_MAX_FILE_BYTES + ", got " + maxFileBytes);
        }
        if (maxFiles < 1 || maxFiles > MAX_MAX_FILES)
        {
            throw new IllegalArgumentException("max_files: must be 1.." + MAX_MAX_FILES + ", got " + maxFiles);
        }
        if (queueSlots < MIN_QUEUE_SLOTS || queueSlots > MAX_QUEUE_SLOTS || Integer.bitCount(queueSlots) != 1)
        {
            throw new IllegalArgumentException("queue_slots: must be a power of two " + MIN_QUEUE_SLOTS + ".."
                + MAX_QUEUE_SLOTS + ", got " + queueSlots);
        }
        if (recordQueueBytes < MIN_RECORD_QUEUE_BYTES || recordQueueBytes > MAX_RECORD_QUEUE_BYTES
            || Integer.bitCount(recordQueueBytes) != 1)
        {
            throw new IllegalArgumentException("record_queue_bytes: must be a power of two " + MIN_RECORD_QUEUE_BYTES
                + ".." + MAX_RECORD_QUEUE_BYTES + ", got " + recordQueueBytes);
        }
    }

    /** The IPS and audit queues at their default size. */
    public EventsConfig(final Path dir, final long maxFileBytes, final int maxFiles, final int queueSlots)
    {
        this(dir, maxFileBytes, maxFiles, queueSlots, DEFAULT_RECORD_QUEUE_BYTES);
    }

    /** Every setting at its default, events written to {@code dir}. */
    public static EventsConfig in(final Path dir)
    {
        return new EventsConfig(dir, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_QUEUE_SLOTS,
            DEFAULT_RECORD_QUEUE_BYTES);
    }
}
