package io.opensase.core.ips;

import io.opensase.core.events.EveRecord;

/**
 * Where an IPS stage's EVE lines go, each as an {@link EveRecord} built by the stage: written at once
 * ({@link EveFileSink}, for {@code opensase ips}) or put on the worker's event queue for the writer thread
 * (the engine). The record is reused after the call.
 */
@FunctionalInterface
public interface IpsEventSink
{
    /** Record capacity and value limit of {@link #newRecord()} when the sink does not say: no cut in practice. */
    int WHOLE_RECORD_BYTES = 1 << 20;

    /** Writes nothing: an engine whose IPS has no EVE file. */
    IpsEventSink DISCARD = new IpsEventSink()
    {
        @Override
        public void write(final EveRecord record)
        {
        }

        @Override
        public EveRecord newRecord()
        {
            return new EveRecord(EveRecord.MIN_CAPACITY, 1);
        }
    };

    void write(EveRecord record);

    /** A record for the stage to build lines in, sized as this sink takes them. */
    default EveRecord newRecord()
    {
        return new EveRecord(WHOLE_RECORD_BYTES, WHOLE_RECORD_BYTES / 4);
    }
}
