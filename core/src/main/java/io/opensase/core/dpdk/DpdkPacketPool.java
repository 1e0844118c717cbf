package io.opensase.core.dpdk;

import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketPool;
import io.opensase.dpdk.Mempool;

/**
 * A DPDK mempool as the engine's packet pool: any lcore frees into it, in one native call per burst.
 */
final class DpdkPacketPool implements PacketPool
{
    private final Mempool mempool;

    DpdkPacketPool(final Mempool mempool)
    {
        this.mempool = mempool;
    }

    @Override
    public void free(final MbufArray mbufs, final int count)
    {
        if (count > 0)
        {
            Mempool.freeBulk(mbufs.segment(), count);
        }
    }

    @Override
    public int inUse()
    {
        return mempool.inUseCount();
    }

    @Override
    public int dataRoom()
    {
        return mempool.frameCapacity();
    }
}
