package io.opensase.core.capture;

import io.opensase.core.firewall.PolicyRef;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.Stage;

/**
 * The last stage of a worker, beside the capture: while a trace is armed, records for each packet it takes
 * what the stages before decided about it.
 */
public final class TraceStage implements Stage
{
    private final TraceTap tap;
    /** The firewall policy, whose generation the entries carry; null without a firewall. */
    private final PolicyRef policy;

    public TraceStage(final TraceTap tap, final PolicyRef policy)
    {
        this.tap = tap;
        this.policy = policy;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        final PacketFilter filter = tap.filter();
        if (null == filter)
        {
            return;
        }
        final long generation = null == policy ? 0 : policy.current().generation();
        for (int i = 0; i < burst.size(); i++)
        {
            if (filter.matches(burst.parsed(), i, burst.tenant(i)))
            {
                tap.record(burst.timestampNs(i), burst.length(i), burst.tenant(i), burst.flow(i), burst.rule(i),
                    burst.verdict(i).code(), generation);
            }
        }
    }
}
