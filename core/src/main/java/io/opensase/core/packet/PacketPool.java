package io.opensase.core.packet;

/**
 * Where a port's packet buffers come from and go back to: the pure-Java pool, or a DPDK mempool. Buffers
 * are identified by the address of their mbuf header.
 */
public interface PacketPool
{
    /** Any thread: returns {@code count} buffers from {@code mbufs[0..]} to the pool. */
    void free(MbufArray mbufs, int count);

    /** Buffers handed out and not yet returned; exact once every thread using the pool has stopped. */
    int inUse();

    /** Largest frame a buffer holds, in bytes. */
    int dataRoom();
}
