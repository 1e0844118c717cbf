package io.opensase.core.engine;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.firewall.PolicySnapshot;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.metrics.BurstSummary;
import io.opensase.core.pipeline.WorkerCounters;

import java.util.List;

/**
 * The engine's counters summed at one moment, for the control path; see {@link Engine#sample()}.
 *
 * @param running   whether the run is still under way.
 * @param perWorker each worker's counters (copies), in worker order.
 * @param tables    each worker's flow table, live: read them only through {@link FlowTable#visitFlows} and
 *                  the plain counters.
 * @param firewall  the firewall's outcome counts summed over the workers, or null without a firewall.
 * @param policy    the firewall policy running, or null without a firewall.
 * @param bursts    each worker's burst times since the start, in worker order.
 * @param processed packets each worker has run through its stages, in worker order: its own receive count
 *                  only when it polls a port itself, so this is the per-worker figure to show.
 * @param ips       the IPS stages' counts summed over the workers, or null without an IPS stage.
 */
public record EngineSample(boolean running, WorkerCounters totals, List<WorkerCounters> perWorker,
    List<FlowTable> tables, FirewallCounters firewall, PolicySnapshot policy, List<BurstSummary> bursts,
    List<Long> processed, IpsCounters ips)
{
}
