package io.opensase.core.capture;

import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.Stage;

/**
 * The last stage of a worker: while a capture is armed, copies the packets it takes, whatever their verdict
 * (a capture is for finding out why traffic was dropped as much as what passed), into the worker's tap.
 */
public final class CaptureStage implements Stage
{
    private final CaptureTap tap;

    public CaptureStage(final CaptureTap tap)
    {
        this.tap = tap;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        final PacketFilter filter = tap.filter();
        if (null == filter)
        {
            return;
        }
        for (int i = 0; i < burst.size(); i++)
        {
            if (filter.matches(burst.parsed(), i, burst.tenant(i)))
            {
                tap.offer(burst.data(i), burst.length(i), burst.wireLength(i), burst.timestampNs(i));
            }
        }
    }
}
