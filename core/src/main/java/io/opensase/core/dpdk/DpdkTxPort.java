package io.opensase.core.dpdk;

import io.opensase.core.engine.TxPort;
import io.opensase.core.packet.MbufArray;
import io.opensase.dpdk.EthPort;
import io.opensase.dpdk.Mempool;

/**
 * One TX queue of a DPDK port, used by the one thread that owns it. When the device's ring is full the
 * burst is offered again a few times; what it still refuses is freed and reported unsent.
 */
final class DpdkTxPort implements TxPort
{
    /** Further attempts after a partial send: enough to ride out a NIC ring that is briefly full. */
    private static final int RETRIES = 4;

    private final EthPort port;
    private final int queue;

    DpdkTxPort(final EthPort port, final int queue)
    {
        this.port = port;
        this.queue = queue;
    }

    @Override
    public int transmit(final MbufArray mbufs, final int count)
    {
        int sent = 0;
        int left = count;
        for (int attempt = 0; attempt <= RETRIES && left > 0; attempt++)
        {
            final int taken = port.txBurst(queue, mbufs.segment(), left);
            sent += taken;
            left -= taken;
            if (left > 0 && taken > 0)
            {
                final long[] addresses = mbufs.addresses();
                System.arraycopy(addresses, taken, addresses, 0, left);
            }
        }
        if (left > 0)
        {
            Mempool.freeBulk(mbufs.segment(), left);
        }
        return sent;
    }
}
