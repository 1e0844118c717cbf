package io.opensase.core.dpdk;

import io.opensase.core.engine.BurstSource;
import io.opensase.core.engine.StopFlag;
import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.EthPort;
import io.opensase.dpdk.Mbuf;
import io.opensase.dpdk.Mempool;

/**
 * One RX queue of a DPDK port, polled by the one thread that owns it. Packets are stamped with the
 * monotonic clock, read once every few bursts. A frame that arrived as a chain of mbufs (larger than a buffer's data
 * room: its first segment holds less than the packet length) is dropped as oversize, as the capture path
 * drops it.
 * <p>
 * The input ends when a stop is requested, or, for a device replaying a capture file once, when the
 * capture's packet count has been received (or nothing has arrived for {@link #SILENCE_NS}, should the
 * device deliver fewer).
 */
final class DpdkRxSource implements BurstSource
{
    static final long UNLIMITED = -1;
    private static final long SILENCE_NS = 2_000_000_000L;
    /** The clock is read once every 8 bursts: timeouts are seconds, and a clock read costs as much as a packet. */
    private static final int CLOCK_BURSTS_MASK = 7;

    private final EthPort port;
    private final int queue;
    private final WorkerCounters counters;
    private final long limit;
    private final StopFlag stop;
    private final MbufArray chained;
    private long received;
    private long bursts;
    private long lastArrivalNs;

    DpdkRxSource(final EthPort port, final int queue, final WorkerCounters counters, final long limit,
        final StopFlag stop, final int burstSize)
    {
        this.port = port;
        this.queue = queue;
        this.counters = counters;
        this.limit = limit;
        this.stop = stop;
        this.chained = new MbufArray(burstSize);
    }

    @Override
    public int receive(final PacketBurst burst)
    {
        if (0 == lastArrivalNs)
        {
            lastArrivalNs = System.nanoTime();
        }
        if (isExhausted())
        {
            return 0;
        }
        final int max = UNLIMITED == limit ? burst.capacity() : (int)Math.min(burst.capacity(), limit - received);
        final MbufArray mbufs = burst.mbufs();
        final int n = port.rxBurst(queue, mbufs.segment(), max);
        if (0 == n)
        {
            return 0;
        }
        if (0 == (++bursts & CLOCK_BURSTS_MASK))
        {
            lastArrivalNs = System.nanoTime();
        }
        received += n;
        long bytes = 0;
        int kept = 0;
        int dropped = 0;
        for (int i = 0; i < n; i++)
        {
            final long mbuf = mbufs.get(i);
            final int length = Mbuf.packetLength(mbuf);
            bytes += length;
            if (Mbuf.dataLength(mbuf) != length)
            {
                chained.set(dropped++, mbuf);
            }
            else
            {
                burst.put(kept++, mbuf, Mbuf.dataAddress(mbuf), length);
            }
        }
        burst.setLiveSize(kept, lastArrivalNs);
        counters.add(WorkerCounters.RX_PACKETS, n);
        counters.add(WorkerCounters.RX_BYTES, bytes);
        if (dropped > 0)
        {
            counters.addDrop(DropReason.OVERSIZE, dropped);
            Mempool.freeBulk(chained.segment(), dropped);
        }
        return kept;
    }

    @Override
    public boolean isExhausted()
    {
        if (stop.isRaised())
        {
            return true;
        }
        if (UNLIMITED == limit)
        {
            return false;
        }
        return received >= limit || (0 != lastArrivalNs && System.nanoTime() - lastArrivalNs > SILENCE_NS);
    }
}
