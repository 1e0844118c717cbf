package io.opensase.core.engine;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.core.ips.IpsCounters;
import io.opensase.core.pipeline.WorkerCounters;

import java.util.List;

/**
 * What a run did, summed over its threads.
 *
 * @param workers       worker threads used.
 * @param counters      packets, bytes, drops, malformed, protocols.
 * @param flows         flow table totals.
 * @param captureError  why the input ended before its end, or null.
 * @param buffersInUse  packet buffers not returned to the pool at the end (0 when nothing leaked).
 * @param elapsedNs     wall time from start to the last thread stopping.
 * @param stopped       the run was stopped (signal, {@code --seconds}) rather than ending with its input.
 * @param workerPackets packets each worker ran through its stages, by worker.
 * @param firewall      the firewall's counts, or null when no firewall is configured.
 * @param ips           the IPS stages' counts, or null when no IPS stage runs.
 */
public record RunResult(
    int workers,
    WorkerCounters counters,
    FlowTotals flows,
    CaptureFormatException captureError,
    int buffersInUse,
    long elapsedNs,
    boolean stopped,
    List<Long> workerPackets,
    FirewallTotals firewall,
    IpsCounters ips)
{
    public RunResult
    {
        workerPackets = List.copyOf(workerPackets);
    }

    static RunResult empty(final int workers, final CaptureFormatException error, final long elapsedNs)
    {
        return new RunResult(workers, new WorkerCounters(), FlowTotals.NONE, error, 0, elapsedNs, false, List.of(),
            null, null);
    }
}
