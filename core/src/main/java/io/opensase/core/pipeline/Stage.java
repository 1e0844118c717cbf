package io.opensase.core.pipeline;

import io.opensase.core.packet.PacketBurst;

/**
 * One step of a worker's pipeline, run over a whole burst. Owned by the worker thread; allocates nothing
 * and throws nothing for a packet's sake: what it decides goes into the burst's per-packet arrays.
 */
public interface Stage
{
    void process(PacketBurst burst);
}
