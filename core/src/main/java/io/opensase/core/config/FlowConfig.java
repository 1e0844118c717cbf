package io.opensase.core.config;

import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;

/**
 * Flow table settings, per worker.
 *
 * @param capacity flows each worker's table holds.
 * @param whenFull what a new flow does when the table is full and nothing has timed out.
 * @param timeouts idle timeouts per protocol, in packet time.
 */
public record FlowConfig(int capacity, FullTablePolicy whenFull, FlowTimeouts timeouts)
{
    public static final FlowConfig DEFAULT = new FlowConfig(262_144, FullTablePolicy.EVICT_OLDEST, FlowTimeouts.DEFAULT);
}
