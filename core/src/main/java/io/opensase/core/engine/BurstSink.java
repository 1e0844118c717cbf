package io.opensase.core.engine;

import io.opensase.core.packet.PacketBurst;

/**
 * Where a poll loop puts a processed burst: packets whose verdict is to transmit go on to the output,
 * dropped ones are counted by reason and their buffers freed. Owned by one thread.
 */
public interface BurstSink
{
    void send(PacketBurst burst);

    /** Called once after the last burst, on the owning thread. */
    default void flush()
    {
    }
}
