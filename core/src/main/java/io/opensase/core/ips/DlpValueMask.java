package io.opensase.core.ips;

import io.opensase.core.events.EveRecord;
import io.opensase.core.events.EveValueMask;
import io.opensase.ips.dlp.DlpEngine;
import io.opensase.ips.dlp.DlpScanner;

import java.util.ArrayList;
import java.util.List;

/**
 * Masks, in every EVE line a stage writes, the values its DLP profiles match: each string and byte value
 * (payload, payload_printable, packet, application fields) is probed alone as it is copied into its record,
 * and the letters and digits of each matched value become {@code *}. Installed on the stage's records only
 * while the policy has DLP profiles, so that without them building a line costs what it did. Owned by the
 * stage's thread.
 */
final class DlpValueMask implements EveValueMask
{
    private final List<EveRecord> records = new ArrayList<>(4);
    private DlpScanner scanner;

    /** A sink whose records this mask follows; lines go to {@code sink} unchanged. */
    IpsEventSink over(final IpsEventSink sink)
    {
        return new IpsEventSink()
        {
            @Override
            public void write(final EveRecord record)
            {
                sink.write(record);
            }

            @Override
            public EveRecord newRecord()
            {
                final EveRecord record = sink.newRecord();
                records.add(record);
                return record.mask(null == scanner ? null : DlpValueMask.this);
            }
        };
    }

    /** The DLP profiles of the policy now in force (null: none, and records are no longer masked). */
    void use(final DlpEngine engine)
    {
        scanner = null == engine ? null : engine.newScanner();
        for (final EveRecord record : records)
        {
            record.mask(null == scanner ? null : this);
        }
    }

    @Override
    public void mask(final byte[] bytes, final int offset, final int length)
    {
        scanner.maskMatches(bytes, offset, length);
    }
}
