package io.opensase.classifiers.flow;

/**
 * Told when a flow leaves the table, so that state kept beside it (by slot) can be let go. Called on the
 * table's owner thread, in the middle of a lookup or an expiry pass: it must not touch the table.
 */
@FunctionalInterface
public interface FlowRemovalListener
{
    FlowRemovalListener NONE = slot -> { };

    void onFlowRemoved(int slot);
}
