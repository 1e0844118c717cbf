package io.opensase.classifiers.flow;

/**
 * Told when a flow leaves the table, so that state kept beside it (by slot) can be let go. Called on the
 * table's owner thread, in the middle of a lookup or an expiry pass: it must not change the table. It may read
 * the flow's key, times and counters (the slot is freed after the call) and {@link FlowTable#removalCause()}.
 */
@FunctionalInterface
public interface FlowRemovalListener
{
    FlowRemovalListener NONE = slot -> { };

    /** Removal causes, as {@link FlowTable#removalCause()} gives them: idle past its timeout. */
    int EXPIRED = 1;
    /** Made room for a new flow in a full table. */
    int EVICTED = 2;
    /** Let go by its owner ({@link FlowTable#release}). */
    int RELEASED = 3;

    void onFlowRemoved(int slot);
}
