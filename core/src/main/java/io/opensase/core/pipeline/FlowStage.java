package io.opensase.core.pipeline;

import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.core.events.FlowRecorder;
import io.opensase.core.packet.PacketBurst;

/**
 * Looks up or creates each packet's flow in the worker's flow table, and expires idle flows a few at a
 * time. Time is packet time, never moving backwards.
 */
public final class FlowStage implements Stage
{
    /** Flows expired per burst at most, so that expiry never stalls a burst. */
    static final int EXPIRY_BUDGET = 64;

    private final FlowTable table;
    private final FlowKey key = new FlowKey();
    private long nowNs = Long.MIN_VALUE;
    /** Told which endpoint opened each new flow, when flow records are written; else null. */
    private FlowRecorder recorder;
    /** Bursts whose tracking began, the one being tracked, and how many of its packets have their flow set. */
    private long burstsTracked;
    private PacketBurst tracking;
    private int trackedPackets;

    public FlowStage(final FlowTable table)
    {
        this.table = table;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        for (int i = 0; i < burst.size(); i++)
        {
            track(burst, i);
        }
        endBurst();
    }

    /**
     * Sets packet {@code i}'s flow. A stage that keeps state per flow slot calls this packet by packet and
     * uses the slot at once: a later packet of the burst may evict the flow and reuse its slot.
     */
    public void track(final PacketBurst burst, final int i)
    {
        nowNs = Math.max(nowNs, burst.timestampNs(i));
        if (0 == i)
        {
            burstsTracked++;
            tracking = burst;
        }
        // A flow this lookup removes has its packets among the first i only.
        trackedPackets = i;
        int result = PacketBurst.NO_FLOW;
        if (key.set(burst.parsed(), i, burst.tenant(i)))
        {
            result = table.lookupOrCreate(key, nowNs, burst.length(i));
            if (null != recorder && FlowTable.REFUSED != result && (result & FlowTable.NEW) != 0)
            {
                recorder.onFlowCreated(result & FlowTable.SLOT_MASK, (result & FlowTable.REVERSE) != 0);
            }
        }
        burst.setFlow(i, FlowTable.REFUSED == result ? PacketBurst.NO_FLOW : result);
        trackedPackets = i + 1;
    }

    /** How many bursts began to be tracked: a later stage compares it to the last burst it went through. */
    public long burstsTracked()
    {
        return burstsTracked;
    }

    /** The burst tracked last (null before the first), whose first {@link #trackedPackets} have their flow. */
    public PacketBurst trackingBurst()
    {
        return tracking;
    }

    public int trackedPackets()
    {
        return trackedPackets;
    }

    /** After a burst's packets are tracked: expires a few idle flows. */
    public void endBurst()
    {
        table.expire(nowNs, EXPIRY_BUDGET);
    }

    /** Latest packet time seen, or {@code Long.MIN_VALUE} before the first packet. */
    public long nowNs()
    {
        return nowNs;
    }

    /** After the last packet: expires what has timed out at {@code endNs}; what remains is active. */
    public void finish(final long endNs)
    {
        table.expire(Math.max(nowNs, endNs), Integer.MAX_VALUE);
    }

    public FlowTable table()
    {
        return table;
    }

    /**
     * Before the first packet, after every other removal listener is set: a flow record is written for each
     * flow that ends. The recorder is told which endpoint opened each new flow, and joins the table's removal
     * listeners.
     */
    public void setRecorder(final FlowRecorder flowRecorder)
    {
        recorder = flowRecorder;
        table.addRemovalListener(flowRecorder);
    }
}
