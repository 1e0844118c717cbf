package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;
import io.opensase.dpdk.internal.rte_mbuf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Field access to {@code struct rte_mbuf} at an absolute address: DPDK 22.11 on x86_64, built with
 * IOVA as PA (Debian's build), where {@code next} sits in the second cache line. Stateless: the thread that owns
 * an mbuf reads and writes it.
 * <p>
 * The offsets come from {@link rte_mbuf}'s layout, which needs no native library, so pure-Java pools use this
 * class on machines without DPDK.
 * <p>
 * The project's pure-Java packet pool lays its buffers out the same way, so one pipeline reads both. The
 * offsets are checked against the installed headers by a test and, when DPDK is loaded, against the values
 * the native shim reports. Two words of the {@code dynfield1} area carry what a capture knows about a packet
 * and a NIC does not: its timestamp and its length on the wire.
 */
public final class Mbuf
{
    public static final int BUF_ADDR = (int)rte_mbuf.buf_addr$offset;
    public static final int DATA_OFF = (int)rte_mbuf.data_off$offset;
    public static final int REFCNT = (int)rte_mbuf.refcnt$offset;
    public static final int NB_SEGS = (int)rte_mbuf.nb_segs$offset;
    public static final int PORT = (int)rte_mbuf.port$offset;
    public static final int OL_FLAGS = (int)rte_mbuf.ol_flags$offset;
    public static final int PKT_LEN = (int)rte_mbuf.pkt_len$offset;
    public static final int DATA_LEN = (int)rte_mbuf.data_len$offset;
    public static final int BUF_LEN = (int)rte_mbuf.buf_len$offset;
    public static final int POOL = (int)rte_mbuf.pool$offset;
    public static final int NEXT = (int)rte_mbuf.next$offset;
    /**
     * Dynamic field: packet timestamp in nanoseconds (capture time, or receive time on live ports). The two
     * project fields sit at the end of {@code dynfield1}, away from the first-fit offsets drivers take for
     * their own fields (net_pcap's receive timestamp lands on 96).
     */
    public static final int TIMESTAMP_NS = 112;
    /** Dynamic field: length on the wire, when a capture kept fewer bytes than that. */
    public static final int WIRE_LEN = 120;
    /** Size of the header; packet data starts {@code RTE_PKTMBUF_HEADROOM} bytes after it. */
    public static final int HEADER_SIZE = (int)rte_mbuf.sizeof();
    public static final int HEADROOM = opensase_dpdk_h.RTE_PKTMBUF_HEADROOM;

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Mbuf()
    {
    }

    /** Address of the first byte of packet data. */
    public static long dataAddress(final long mbuf)
    {
        return ALL.get(LONG, mbuf + BUF_ADDR) + (ALL.get(SHORT, mbuf + DATA_OFF) & 0xFFFF);
    }

    /** Bytes of packet data in this segment. */
    public static int dataLength(final long mbuf)
    {
        return ALL.get(SHORT, mbuf + DATA_LEN) & 0xFFFF;
    }

    /** Bytes of packet data in the whole chain. */
    public static int packetLength(final long mbuf)
    {
        return ALL.get(INT, mbuf + PKT_LEN);
    }

    public static int segments(final long mbuf)
    {
        return ALL.get(SHORT, mbuf + NB_SEGS) & 0xFFFF;
    }

    /** The next segment of a chained packet, or 0 at the last one. */
    public static long next(final long mbuf)
    {
        return ALL.get(LONG, mbuf + NEXT);
    }

    /** Size of the buffer: headroom plus data room. */
    public static int bufferLength(final long mbuf)
    {
        return ALL.get(SHORT, mbuf + BUF_LEN) & 0xFFFF;
    }

    public static int port(final long mbuf)
    {
        return ALL.get(SHORT, mbuf + PORT) & 0xFFFF;
    }

    public static long timestampNs(final long mbuf)
    {
        return ALL.get(LONG, mbuf + TIMESTAMP_NS);
    }

    public static int wireLength(final long mbuf)
    {
        return ALL.get(INT, mbuf + WIRE_LEN);
    }

    public static void setTimestampNs(final long mbuf, final long timestampNs)
    {
        ALL.set(LONG, mbuf + TIMESTAMP_NS, timestampNs);
    }

    public static void setWireLength(final long mbuf, final int wireLength)
    {
        ALL.set(INT, mbuf + WIRE_LEN, wireLength);
    }

    /** Sets both lengths of a single-segment packet. */
    public static void setLength(final long mbuf, final int length)
    {
        ALL.set(INT, mbuf + PKT_LEN, length);
        ALL.set(SHORT, mbuf + DATA_LEN, (short)length);
    }

    public static void setPort(final long mbuf, final int port)
    {
        ALL.set(SHORT, mbuf + PORT, (short)port);
    }

    /** Writes the fixed part of a header for a buffer of {@code bufferLength} bytes at {@code bufferAddress}. */
    public static void initialise(final long mbuf, final long bufferAddress, final int bufferLength)
    {
        ALL.asSlice(mbuf, HEADER_SIZE).fill((byte)0);
        ALL.set(LONG, mbuf + BUF_ADDR, bufferAddress);
        ALL.set(SHORT, mbuf + DATA_OFF, (short)HEADROOM);
        ALL.set(SHORT, mbuf + REFCNT, (short)1);
        ALL.set(SHORT, mbuf + NB_SEGS, (short)1);
        ALL.set(SHORT, mbuf + BUF_LEN, (short)bufferLength);
    }
}
