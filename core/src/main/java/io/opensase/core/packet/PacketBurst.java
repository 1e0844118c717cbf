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
    /** No firewall rule decided the packet: no firewall, not IP, or decided by a policy (unmatched, invalid). */
    public static final int NO_RULE = Integer.MIN_VALUE;

    private final int capacity;
    private int size;
    private int dropped;
    /** Packets from a live port share one arrival time, and their wire length is their length. */
    private boolean live;
    private long liveTimestampNs;

    private final MbufArray mbufs;
    final long[] data;
    final int[] length;
    final int[] wireLength;
    final long[] timestampNs;
    final int[] flow;
    final int[] tenant;
    /** The firewall rule that decided each packet ({@link #NO_RULE} when none did), for traces. */
    final int[] rule;
    final byte[] verdict;
    private final ParsedPackets parsed;

    public PacketBurst(final int capacity)
    {
        this.capacity = capacity;
        mbufs = new MbufArray(capacity);
        data = new long[capacity];
        length = new int[capacity];
        wireLength = new int[capacity];
        timestampNs = new long[capacity];
        flow = new int[capacity];
        tenant = new int[capacity];
        rule = new int[capacity];
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

    /** The mbuf array, for receiving into; follow with {@link #loadCaptured(int)} or {@link #loadLive}. */
    public MbufArray mbufs()
    {
        return mbufs;
    }

    /**
     * Takes the first {@code count} mbufs as the burst, with the capture timestamp and wire length each
     * carries in its dynamic fields (packets from capture ports).
     */
    public void loadCaptured(final int count)
    {
        final long[] mbuf = mbufs.addresses();
        for (int i = 0; i < count; i++)
        {
            final long m = mbuf[i];
            load(i, m, Mbuf.wireLength(m), Mbuf.timestampNs(m));
        }
        setSize(count);
        live = false;
    }

    /**
     * Takes the first {@code count} mbufs as the burst, received now on a live port: the wire length is the
     * data length and the mbufs' dynamic fields are neither read nor written (they sit in the header's
     * second cache line, which receiving need not touch).
     */
    public void loadLive(final int count, final long nowNs)
    {
        final long[] mbuf = mbufs.addresses();
        for (int i = 0; i < count; i++)
        {
            final long m = mbuf[i];
            put(i, m, Mbuf.dataAddress(m), Mbuf.dataLength(m));
        }
        setLiveSize(count, nowNs);
    }

    private void load(final int i, final long m, final int wire, final long timestamp)
    {
        data[i] = Mbuf.dataAddress(m);
        length[i] = Mbuf.dataLength(m);
        wireLength[i] = wire;
        timestampNs[i] = timestamp;
    }

    /**
     * Sets packet {@code i} from what a live port read off its mbuf, for ports that read the header
     * themselves; finish with {@link #setLiveSize}.
     */
    public void put(final int i, final long mbuf, final long dataAddress, final int dataLength)
    {
        mbufs.set(i, mbuf);
        data[i] = dataAddress;
        length[i] = dataLength;
    }

    /** Ends a burst of {@code count} packets received from a live port at {@code nowNs}. */
    public void setLiveSize(final int count, final long nowNs)
    {
        setSize(count);
        live = true;
        liveTimestampNs = nowNs;
    }

    private void setSize(final int count)
    {
        clearVerdicts();
        size = count;
    }

    public long mbuf(final int i)
    {
        return mbufs.get(i);
    }

    /** Captured lengths of the burst's packets, indexed like {@link #mbufs()}. */
    public int[] lengths()
    {
        return length;
    }

    /** Packets of this burst marked dropped so far. */
    public int droppedCount()
    {
        return dropped;
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
        return live ? length[i] : wireLength[i];
    }

    public long timestampNs(final int i)
    {
        return live ? liveTimestampNs : timestampNs[i];
    }

    public ParsedPackets parsed()
    {
        return parsed;
    }

    /** The flow table's result for the packet; valid once the flow stage has run over the burst. */
    public int flow(final int i)
    {
        return flow[i];
    }

    public void setFlow(final int i, final int flowResult)
    {
        flow[i] = flowResult;
    }

    /** The packet's tenant id (0: none); set by the tenant stage, 0 without one. */
    public int tenant(final int i)
    {
        return tenant[i];
    }

    public void setTenant(final int i, final int id)
    {
        tenant[i] = id;
    }

    /** The index of the firewall rule that decided packet {@code i}, -1 for its tenant's default, or NO_RULE. */
    public int rule(final int i)
    {
        return rule[i];
    }

    public void setRule(final int i, final int index)
    {
        rule[i] = index;
    }

    /**
     * Replaces the packet's length, for a stage that rewrote the packet in its buffer (a firewall answer): the
     * burst and the mbuf both take it.
     */
    public void setLength(final int i, final int newLength)
    {
        length[i] = newLength;
        wireLength[i] = newLength;
        Mbuf.setLength(mbufs.get(i), newLength);
        Mbuf.setWireLength(mbufs.get(i), newLength);
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
            dropped++;
        }
    }

    public void clear()
    {
        clearVerdicts();
        size = 0;
    }

    /** Verdicts are reset only where a drop set one, so a burst without drops costs nothing here. */
    private void clearVerdicts()
    {
        if (dropped > 0)
        {
            java.util.Arrays.fill(verdict, 0, size, (byte)0);
            dropped = 0;
        }
    }
}
