package io.opensase.core.engine;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.config.FlowConfig;
import io.opensase.core.config.MalformedAction;
import io.opensase.core.config.PortConfig;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.packet.PacketPool;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.MalformedPolicyStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.Stage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.ring.SpscLongRing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the pipeline over a capture port until the capture is read, then stops every thread cleanly.
 * <p>
 * With one worker, the worker reads the capture, processes and writes in one thread (run to completion).
 * With several, a {@link PortAgent} owns the port and workers receive and transmit through rings. Built
 * and run from the control thread; {@link #run()} returns when every thread has stopped.
 */
public final class Engine
{
    private final EngineConfig config;

    public Engine(final EngineConfig config)
    {
        this.config = config;
    }

    /**
     * @throws IOException when the input cannot be opened at all or the output cannot be written; a capture
     *                     that is corrupt or cut short part-way is not thrown but reported in the result.
     */
    public RunResult run() throws IOException
    {
        final PortConfig port = config.ports().getFirst();
        final long startNs = System.nanoTime();
        final CaptureReader reader;
        try
        {
            reader = Captures.open(port.rxCapture());
        }
        catch (final CaptureFormatException ex)
        {
            return RunResult.empty(config.workers(), ex, System.nanoTime() - startNs);
        }
        try (reader;
            JavaPacketPool pool = new JavaPacketPool(config.packetBuffers());
            PcapWriter writer = null == port.txCapture() ? null : new PcapWriter(port.txCapture(), reader.linkType()))
        {
            final WorkerCounters portCounters = new WorkerCounters();
            final CaptureSource source = new CaptureSource(reader, pool, portCounters, config.burstSize());
            final List<Worker> workers = new ArrayList<>();
            final List<PollAgent> agents = new ArrayList<>();
            if (1 == config.workers())
            {
                final PortSink sink = new PortSink(new CaptureTxPort(writer, pool), pool, portCounters,
                    config.burstSize());
                final Worker worker = newWorker(0, source, sink, reader.linkType(), portCounters);
                workers.add(worker);
                agents.add(worker);
            }
            else
            {
                agents.add(newDistributedPort(source, reader.linkType(), writer, pool, portCounters, workers));
                agents.addAll(workers);
            }
            final Throwable failure = AgentThreads.runAll(agents, config.idle());
            if (null != failure)
            {
                throw new IllegalStateException("engine thread failed: " + failure, failure);
            }

            final long endNs = Math.max(source.lastTimestampNs(), 0);
            final WorkerCounters totals = new WorkerCounters();
            totals.addAll(portCounters);
            final List<FlowTable> tables = new ArrayList<>();
            for (final Worker worker : workers)
            {
                worker.flows().finish(endNs);
                if (worker.counters() != portCounters)
                {
                    totals.addAll(worker.counters());
                }
                tables.add(worker.flows().table());
            }
            return new RunResult(config.workers(), totals, FlowTotals.of(tables), source.error(),
                pool.inUse(), System.nanoTime() - startNs);
        }
    }

    private PortAgent newDistributedPort(
        final CaptureSource source,
        final LinkType linkType,
        final PcapWriter writer,
        final PacketPool pool,
        final WorkerCounters portCounters,
        final List<Worker> workers)
    {
        final int count = config.workers();
        final SpscLongRing[] toWorkers = new SpscLongRing[count];
        final SpscLongRing[] fromWorkers = new SpscLongRing[count];
        final RingSource[] inputs = new RingSource[count];
        for (int w = 0; w < count; w++)
        {
            toWorkers[w] = new SpscLongRing(config.ringSize());
            fromWorkers[w] = new SpscLongRing(config.ringSize());
            inputs[w] = new RingSource(toWorkers[w], false);
            final WorkerCounters counters = new WorkerCounters();
            final RingSink sink = new RingSink(fromWorkers[w], pool, counters, config.burstSize());
            workers.add(newWorker(w, inputs[w], sink, linkType, counters));
        }
        return new PortAgent(source, new PacketBurst(config.burstSize()), linkType,
            new PacketParser(config.maxTunnelDepth(), config.maxIpv6ExtHeaders()), toWorkers, inputs, fromWorkers,
            workers.toArray(Worker[]::new), new CaptureTxPort(writer, pool), portCounters);
    }

    private Worker newWorker(
        final int index,
        final BurstSource source,
        final BurstSink sink,
        final LinkType linkType,
        final WorkerCounters counters)
    {
        final FlowConfig flowConfig = config.flows();
        final FlowStage flows = new FlowStage(
            new FlowTable(flowConfig.capacity(), flowConfig.timeouts(), flowConfig.whenFull()));
        final List<Stage> stages = new ArrayList<>();
        stages.add(new ParseStage(new PacketParser(config.maxTunnelDepth(), config.maxIpv6ExtHeaders()), linkType,
            counters));
        stages.add(flows);
        if (MalformedAction.DROP == config.malformed())
        {
            stages.add(new MalformedPolicyStage());
        }
        return new Worker("opensase-worker-" + index, source, stages.toArray(Stage[]::new), sink,
            new PacketBurst(config.burstSize()), flows, counters);
    }
}
