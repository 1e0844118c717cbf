package io.opensase.core.engine;

import io.opensase.core.metrics.BurstTimes;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.Stage;
import io.opensase.core.pipeline.WorkerCounters;

/**
 * One worker's pipeline: receive a burst, run every stage over it, send it on. The worker owns its burst,
 * its flow table (inside its flow stage), its counters and its burst times; nothing it writes is shared on
 * the packet path.
 */
public final class Worker implements PollAgent
{
    private final String name;
    private final BurstSource source;
    private final Stage[] stages;
    private final BurstSink sink;
    private final PacketBurst burst;
    private final FlowStage flows;
    private final WorkerCounters counters;
    private final BurstTimes burstTimes = new BurstTimes();
    private long processed;
    private volatile boolean done;

    public Worker(
        final String name,
        final BurstSource source,
        final Stage[] stages,
        final BurstSink sink,
        final PacketBurst burst,
        final FlowStage flows,
        final WorkerCounters counters)
    {
        this.name = name;
        this.source = source;
        this.stages = stages.clone();
        this.sink = sink;
        this.burst = burst;
        this.flows = flows;
        this.counters = counters;
    }

    @Override
    public int doWork()
    {
        final int received = source.receive(burst);
        if (0 == received)
        {
            if (source.isExhausted())
            {
                sink.flush();
                done = true;
            }
            return 0;
        }

        final long startNs = System.nanoTime();
        for (final Stage stage : stages)
        {
            stage.process(burst);
        }
        sink.send(burst);
        burstTimes.record(System.nanoTime() - startNs);

        processed += received;
        return received;
    }

    @Override
    public boolean isDone()
    {
        return done;
    }

    @Override
    public String roleName()
    {
        return name;
    }

    public FlowStage flows()
    {
        return flows;
    }

    public WorkerCounters counters()
    {
        return counters;
    }

    /** The time each burst took, from the start of its stages to the end of its transmit. */
    public BurstTimes burstTimes()
    {
        return burstTimes;
    }

    /** Packets this worker ran through its stages; read once the worker has stopped. */
    public long processed()
    {
        return processed;
    }
}
