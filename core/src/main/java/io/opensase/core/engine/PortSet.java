package io.opensase.core.engine;

import io.opensase.classifiers.capture.CaptureFormatException;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.core.packet.PacketPool;
import io.opensase.core.pipeline.WorkerCounters;

/**
 * The ports of one run, opened and ready: where bursts are received, where they are transmitted, and the
 * pool their buffers come from. Built and closed by the control thread; each source and transmitting port
 * it hands out is then used by one thread.
 */
public interface PortSet extends AutoCloseable
{
    /** Link layer of every received packet. */
    LinkType linkType();

    /** RX queues of the receiving port, each with a TX queue on the transmitting port. */
    int queues();

    /** True for live devices: packets are stamped with the monotonic clock when they arrive. */
    boolean live();

    /** The receiving port's queue {@code queue}, counting packets and bytes in into {@code counters}. */
    BurstSource source(int queue, WorkerCounters counters);

    /** The transmitting port's queue {@code queue}. */
    TxPort txPort(int queue);

    PacketPool pool();

    /**
     * Buffers out of the pool beyond those the ports held when they started (a NIC keeps its RX rings
     * filled): 0 at the end of a clean run.
     */
    int buffersInUse();

    /** Called on each poll thread before its first pass; {@code index} numbers the threads of the run from 0. */
    void onThreadStart(int index);

    /** Called on each poll thread after its last pass. */
    void onThreadStop();

    /** Why the input ended early, or null. */
    CaptureFormatException inputError();

    /** Ends the input at the sources' next pass (from any thread); the pipeline then drains. */
    void requestStop();

    /** True when the run was asked to stop ({@link #requestStop()}), whether or not its input had ended. */
    boolean stopped();

    @Override
    void close();
}
