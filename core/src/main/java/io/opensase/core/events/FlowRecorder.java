package io.opensase.core.events;

import io.opensase.classifiers.flow.FlowRemovalListener;
import io.opensase.classifiers.flow.FlowTable;

/**
 * Turns the end of each flow in one worker's table into a flow record on that worker's event queue: told of
 * each new flow (which endpoint opened it) by the flow stage, and of each removal (expired, evicted, released)
 * by the table. Owned by the worker's thread; after the worker has stopped, the control thread may call
 * {@link #recordRemaining} to write the flows still open.
 * <p>
 * Allocates nothing, takes no lock and, on the packet path, never waits: a record is claimed, written in place
 * and published, or counted as dropped by the queue when it is full. Once the worker has stopped, the control
 * thread may let records wait for the writer to make room ({@link #waitForRoomUntil}), so that the records of
 * the end of a run (more open flows than the queue has slots) are all written.
 */
public final class FlowRecorder implements FlowRemovalListener
{
    private final FlowTable table;
    private final SpscEventQueue queue;
    private final int worker;
    /** Per slot: 1 when the flow's first packet came from the key's second endpoint. */
    private final byte[] clientSecond;
    /** Per timeout class: the state a flow in it ends in, or 0 to tell new from established by its packets. */
    private final byte[] stateOfClass;
    /** Whether a record waits for room on a full queue, and until when ({@link System#nanoTime()}). */
    private boolean waits;
    private long waitUntilNs;

    /**
     * @param closedClasses the table's timeout classes that mean a closed connection (connection tracking's),
     *                      or none.
     */
    public FlowRecorder(final FlowTable table, final SpscEventQueue queue, final int worker, final int... closedClasses)
    {
        this.table = table;
        this.queue = queue;
        this.worker = worker;
        this.clientSecond = new byte[table.capacity()];
        this.stateOfClass = new byte[256];
        for (final int flowClass : closedClasses)
        {
            stateOfClass[flowClass] = EventLayout.STATE_CLOSED;
        }
    }

    /** Flow stage: a flow was created in {@code slot} by a packet that went the other way than its key. */
    public void onFlowCreated(final int slot, final boolean reverse)
    {
        clientSecond[slot] = (byte)(reverse ? 1 : 0);
    }

    @Override
    public void onFlowRemoved(final int slot)
    {
        record(slot, switch (table.removalCause())
        {
            case FlowRemovalListener.EVICTED -> EventLayout.REASON_EVICTED;
            case FlowRemovalListener.RELEASED -> EventLayout.REASON_RELEASED;
            default -> EventLayout.REASON_TIMEOUT;
        });
    }

    /**
     * Control thread, once the worker has stopped (the packet path is over): from now on a record that finds
     * the queue full waits for the writer to free a slot, until {@link System#nanoTime()} reaches
     * {@code deadlineNs}; past it, records are dropped and counted as before (a writer stuck on a blocked disk).
     */
    public void waitForRoomUntil(final long deadlineNs)
    {
        waits = true;
        waitUntilNs = deadlineNs;
    }

    /**
     * Control thread, once the worker has stopped: a record with reason {@code shutdown} for every flow still in
     * the table. The flows stay in it.
     */
    public void recordRemaining()
    {
        table.visitFlows((slot, key, packets0, packets1, bytes0, bytes1, createdNs, lastSeenNs) ->
            record(slot, EventLayout.REASON_SHUTDOWN));
    }

    public SpscEventQueue queue()
    {
        return queue;
    }

    public FlowTable table()
    {
        return table;
    }

    public int worker()
    {
        return worker;
    }

    /** Whether the flow in {@code slot} was opened from the key's second endpoint. */
    public boolean clientIsSecond(final int slot)
    {
        return 0 != clientSecond[slot];
    }

    private void record(final int slot, final int reason)
    {
        final int at = waits ? queue.claim(waitUntilNs) : queue.claim();
        if (SpscEventQueue.FULL == at)
        {
            return;
        }
        final long[] r = queue.records();
        final long packets0 = table.packets(slot, 0);
        final long packets1 = table.packets(slot, 1);
        final long createdNs = table.createdNs(slot);
        int state = stateOfClass[table.timeoutClassOf(slot)];
        if (0 == state)
        {
            state = 0 != packets0 && 0 != packets1 ? EventLayout.STATE_ESTABLISHED : EventLayout.STATE_NEW;
        }
        r[at + EventLayout.HEADER] = EventLayout.header(EventLayout.TYPE_FLOW, reason, state, 0 != clientSecond[slot],
            worker);
        r[at + EventLayout.TIME_NS] = table.lastSeenNs(slot);
        table.copyKey(slot, r, at + EventLayout.KEY);
        r[at + EventLayout.FLOW_ID] = EveIds.flowId(worker, slot, createdNs);
        r[at + EventLayout.START_NS] = createdNs;
        r[at + EventLayout.PACKETS] = packets0;
        r[at + EventLayout.PACKETS + 1] = packets1;
        r[at + EventLayout.BYTES] = table.bytes(slot, 0);
        r[at + EventLayout.BYTES + 1] = table.bytes(slot, 1);
        r[at + EventLayout.BYTES + 2] = 0;
        queue.publish();
    }
}
