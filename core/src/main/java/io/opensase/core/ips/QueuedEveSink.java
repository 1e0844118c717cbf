package io.opensase.core.ips;

import io.opensase.core.events.EveRecord;
import io.opensase.core.events.EveRecordQueue;

/**
 * The engine's IPS event sink for one worker: each record is copied onto the worker's own queue, without a
 * lock, an allocation or a wait; when the queue is full the record is dropped and counted by the queue. The
 * event writer thread renders and writes the lines.
 */
public final class QueuedEveSink implements IpsEventSink
{
    private final EveRecordQueue queue;
    private final int recordBytes;
    private final int valueBytes;

    /**
     * @param recordBytes capacity of the records the stage builds (at most the queue's longest record).
     * @param valueBytes  bytes a string or byte value keeps before it is cut.
     */
    public QueuedEveSink(final EveRecordQueue queue, final int recordBytes, final int valueBytes)
    {
        if (recordBytes > queue.maxRecordBytes())
        {
            throw new IllegalArgumentException("EVE records of " + recordBytes + " bytes do not fit a queue taking "
                + queue.maxRecordBytes());
        }
        this.queue = queue;
        this.recordBytes = recordBytes;
        this.valueBytes = valueBytes;
    }

    @Override
    public void write(final EveRecord record)
    {
        queue.offer(record);
    }

    @Override
    public EveRecord newRecord()
    {
        return new EveRecord(recordBytes, valueBytes);
    }
}
