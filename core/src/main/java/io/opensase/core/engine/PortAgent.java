package io.opensase.core.engine;

import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.parse.QuotedFlow;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.ring.SpscLongRing;
import io.opensase.dpdk.Mbuf;

/**
 * The one thread that owns a single-queue port when several workers share it. It receives bursts and
 * spreads them over the workers' rings by a symmetric hash of the innermost IP address pair, so that both
 * directions of a flow, every fragment of a datagram and a flow's malformed packets all reach the same
 * worker, in order; and it is the port's only writer, transmitting what the workers hand back through their
 * own rings. An ICMP error goes where the connection it quotes goes, so that the worker tracking that
 * connection judges it. Packets without IP are steered by their Ethernet address pair.
 * <p>
 * Each pass drains the workers' transmit rings before it distributes, and never waits: packets for a full
 * ring stay staged, and nothing more is received until they are placed. Capture input is therefore never
 * dropped for lack of ring space.
 */
public final class PortAgent implements PollAgent
{
    private final BurstSource source;
    private final PacketBurst burst;
    private final LinkType linkType;
    private final PacketParser parser;
    private final SpscLongRing[] toWorkers;
    private final RingSource[] workerInputs;
    private final SpscLongRing[] fromWorkers;
    private final Worker[] workers;
    private final TxPort txPort;
    private final WorkerCounters counters;

    private final long[][] staged;
    private final int[] stagedCount;
    private final int[] stagedFrom;
    private final MbufArray transmitted;
    private final int[] transmittedLengths;
    private final QuotedFlow quoted = new QuotedFlow();
    private boolean inputFinished;
    private boolean done;

    public PortAgent(
        final BurstSource source,
        final PacketBurst burst,
        final LinkType linkType,
        final PacketParser parser,
        final SpscLongRing[] toWorkers,
        final RingSource[] workerInputs,
        final SpscLongRing[] fromWorkers,
        final Worker[] workers,
        final TxPort txPort,
        final WorkerCounters counters)
    {
        this.source = source;
        this.burst = burst;
        this.linkType = linkType;
        this.parser = parser;
        this.toWorkers = toWorkers.clone();
        this.workerInputs = workerInputs.clone();
        this.fromWorkers = fromWorkers.clone();
        this.workers = workers.clone();
        this.txPort = txPort;
        this.counters = counters;
        staged = new long[workers.length][burst.capacity()];
        stagedCount = new int[workers.length];
        stagedFrom = new int[workers.length];
        transmitted = new MbufArray(burst.capacity());
        transmittedLengths = new int[burst.capacity()];
    }

    @Override
    public int doWork()
    {
        int work = transmit();
        if (!hasStaged() && !source.isExhausted())
        {
            final int received = source.receive(burst);
            if (received > 0)
            {
                stage(received);
                work += received;
            }
        }
        work += placeStaged();
        if (!inputFinished && source.isExhausted() && !hasStaged())
        {
            for (final RingSource input : workerInputs)
            {
                input.finishUpstream();
            }
            inputFinished = true;
        }
        if (0 == work && allTransmitted())
        {
            txPort.flush();
            done = true;
        }
        return work;
    }

    @Override
    public boolean isDone()
    {
        return done;
    }

    /** Done once the input is over, every worker has stopped, and everything they handed back is sent. */
    private boolean allTransmitted()
    {
        if (!inputFinished)
        {
            return false;
        }
        for (int w = 0; w < workers.length; w++)
        {
            if (!workers[w].isDone() || fromWorkers[w].size() != 0)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String roleName()
    {
        return "opensase-port";
    }

    private int transmit()
    {
        int work = 0;
        for (final SpscLongRing ring : fromWorkers)
        {
            final int n = ring.poll(transmitted.addresses(), transmitted.capacity());
            for (int i = 0; i < n; i++)
            {
                transmittedLengths[i] = Mbuf.dataLength(transmitted.get(i));
            }
            Transmissions.transmit(txPort, transmitted, transmittedLengths, n, counters);
            work += n;
        }
        return work;
    }

    private void stage(final int received)
    {
        final ParsedPackets parsed = burst.parsed();
        final int workerCount = workers.length;
        for (int i = 0; i < received; i++)
        {
            parser.parse(PacketMemory.ALL, burst.data(i), burst.length(i), burst.wireLength(i), linkType, parsed, i);
            final int hash = 0 == parsed.ipVersion(i) ? linkHash(burst.data(i), burst.length(i))
                : isIcmp(parsed.ipProtocol(i)) && quoted.read(PacketMemory.ALL, burst.data(i), parsed, i)
                ? quotedPairHash(parsed, i)
                : FlowKey.hostPairHash(parsed, i, 0);
            final int w = (int)(((hash & 0xFFFF_FFFFL) * workerCount) >>> 32);
            staged[w][stagedCount[w]++] = burst.mbuf(i);
        }
        burst.clear();
    }

    private static boolean isIcmp(final int protocol)
    {
        return 1 == protocol || 58 == protocol;
    }

    private int quotedPairHash(final ParsedPackets parsed, final int i)
    {
        return FlowKey.hostPairHash(0, parsed.tunnelId(i), parsed.vlanOuter(i), parsed.vlanInner(i), quoted.srcHi(),
            quoted.srcLo(), quoted.dstHi(), quoted.dstLo());
    }

    /** Packets without an IP header keep their order by the pair of Ethernet addresses. */
    private static int linkHash(final long data, final int length)
    {
        if (length < 12)
        {
            return 0;
        }
        final long dst = PacketMemory.u32(PacketMemory.ALL, data) << 16 | PacketMemory.u16(PacketMemory.ALL, data + 4);
        final long src = (long)PacketMemory.u16(PacketMemory.ALL, data + 6) << 32
            | PacketMemory.u32(PacketMemory.ALL, data + 8);
        final long h = (dst ^ src) * 0x9E37_79B9_7F4A_7C15L;
        return (int)(h ^ (h >>> 32));
    }

    private int placeStaged()
    {
        int placed = 0;
        for (int w = 0; w < workers.length; w++)
        {
            final int pending = stagedCount[w] - stagedFrom[w];
            if (pending > 0)
            {
                final int n = toWorkers[w].offer(staged[w], stagedFrom[w], pending);
                stagedFrom[w] += n;
                placed += n;
                if (stagedFrom[w] == stagedCount[w])
                {
                    stagedCount[w] = 0;
                    stagedFrom[w] = 0;
                }
            }
        }
        return placed;
    }

    private boolean hasStaged()
    {
        for (final int count : stagedCount)
        {
            if (count != 0)
            {
                return true;
            }
        }
        return false;
    }
}
