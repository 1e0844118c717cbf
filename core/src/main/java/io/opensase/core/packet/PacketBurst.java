package io.opensase.core.packet;

import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.dpdk.Mbuf;

/**
 * A burst of packets as structure-of-arrays, preallocated once per worker and refilled for every burst.
 * Owned by one thread.
 * <p>
 * Each packet is an mbuf (DPDK's or the Java pool's, laid out alike); the arrays cache what the stages
 * read from it. Stages fill the per-packet results: what the parser found, the flow slot, and the verdict
 * ({@link DropReason#NONE} to transmit).
 */
public final class PacketBurst
{
    /** Flow result of a packet without a flow (not IP, malformed, or refused by a full table). */
    public static final int NO_FLOW = -1;

    private final int capacity;
    private int size;

    final long[] mbuf;
    final long[] data;
    final int[] length;
    final int[] wireLength;
    final long[] timestampNs;
    final int[] flow;
    final byte[] verdict;
    private final ParsedPackets parsed;

    public PacketBurst(final int capacity)
    {
        this.capacity = capacity;
        mbuf = new long[capacity];
        data = new long[capacity];
        length = new int[capacity];
        wireLength = new int[capacity];
        timestampNs = new long[capacity];
        flow = new int[capacity];
        verdict = new byte[capacity];
        parsed = new ParsedPackets(capacity);
    }

    public int capacity()
    {
        return capacity;
    }

    public int size()
    {
        return size;
    }

    /** The mbuf array, for receiving into; follow with {@link #loadFromMbufs(int)}. */
    public long[] mbufs()
    {
        return mbuf;
    }

    /**
     * Takes the first {@code count} entries of {@link #mbufs()} as the burst, caching each packet's data
     * address, lengths and timestamp from its mbuf header, and clearing verdicts.
     */
    public void loadFromMbufs(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long m = mbuf[i];
            data[i] = Mbuf.dataAddress(m);
            length[i] = Mbuf.dataLength(m);
            wireLength[i] = Mbuf.wireLength(m);
            timestampNs[i] = Mbuf.timestampNs(m);
            flow[i] = NO_FLOW;
            verdict[i] = 0;
        }
        size = count;
    }

    public long mbuf(final int i)
    {
        return mbuf[i];
    }

    public long data(final int i)
    {
        return data[i];
    }

    /** Bytes present in the buffer (captured bytes, for captures). */
    public int length(final int i)
    {
        return length[i];
    }

    public int wireLength(final int i)
    {
        return wireLength[i];
    }

    public long timestampNs(final int i)
    {
        return timestampNs[i];
    }

    public ParsedPackets parsed()
    {
        return parsed;
    }

    public int flow(final int i)
    {
        return flow[i];
    }

    public void setFlow(final int i, final int flowResult)
    {
        flow[i] = flowResult;
    }

    public DropReason verdict(final int i)
    {
        return DropReason.of(verdict[i]);
    }

    public boolean isDropped(final int i)
    {
        return verdict[i] != 0;
    }

    /** Marks the packet dropped; the first reason given wins. */
    public void drop(final int i, final DropReason reason)
    {
        if (0 == verdict[i])
        {
            verdict[i] = reason.code();
        }
    }

    public void clear()
    {
        size = 0;
    }
}
