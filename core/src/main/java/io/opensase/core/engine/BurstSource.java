package io.opensase.core.engine;

import io.opensase.core.packet.PacketBurst;

/**
 * Where a poll loop takes bursts from: a port, or a ring fed by another thread. Owned by one thread.
 */
public interface BurstSource
{
    /**
     * Fills {@code burst} with up to its capacity of packets.
     *
     * @return packets received; 0 when none are ready now.
     */
    int receive(PacketBurst burst);

    /** No packet will ever come again. */
    boolean isExhausted();
}
