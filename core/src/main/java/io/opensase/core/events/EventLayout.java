package io.opensase.core.events;

/**
 * The binary flow record: {@link #WORDS} longs, a fixed size, so that a queue is one preallocated
 * {@code long[]} and a worker writes a record in place without making an object.
 * <pre>
 *  word  field
 *   0    header: bits 0-7 type, 8-15 reason, 16-23 flow state, bit 24 set when the flow's client (its first
 *        packet's source) is the key's second endpoint, bits 32-39 worker
 *   1    event time, ns (packet time: epoch for captures, the monotonic clock for live ports)
 *   2-8  the flow key's seven words, as FlowKey lays them out (tenant, VLAN ids, tunnel, IP version,
 *        protocol, ports, addresses; endpoints in key order, not client first)
 *   9    flow id (see {@link EveIds#flowId})
 *  10    flow start, ns (same clock as word 1)
 *  11-12 packets from the key's first endpoint, and towards it
 *  13-14 bytes likewise
 *  15    reserved (0)
 *  16-31 unused
 * </pre>
 * The writer thread turns a record into one EVE JSON line ({@link EveFormatter}); nothing else reads it.
 */
public final class EventLayout
{
    /** Longs per record: 256 bytes, four cache lines. */
    public static final int WORDS = 32;

    public static final int HEADER = 0;
    public static final int TIME_NS = 1;
    public static final int KEY = 2;
    public static final int FLOW_ID = 9;
    public static final int START_NS = 10;
    public static final int PACKETS = 11;
    public static final int BYTES = 13;

    /** Event types (header bits 0-7). */
    public static final int TYPE_FLOW = 1;

    /** Why a flow ended (header bits 8-15), as {@code flow.reason} names them. */
    public static final int REASON_TIMEOUT = 1;
    public static final int REASON_EVICTED = 2;
    public static final int REASON_RELEASED = 3;
    public static final int REASON_SHUTDOWN = 4;

    /** A flow's state when it ended (header bits 16-23), as {@code flow.state} names them. */
    public static final int STATE_NEW = 1;
    public static final int STATE_ESTABLISHED = 2;
    public static final int STATE_CLOSED = 3;

    static final long CLIENT_IS_SECOND = 1L << 24;

    private EventLayout()
    {
    }

    public static long header(final int type, final int reason, final int state, final boolean clientSecond,
        final int worker)
    {
        return type | (long)reason << 8 | (long)state << 16 | (clientSecond ? CLIENT_IS_SECOND : 0)
            | (long)(worker & 0xFF) << 32;
    }

    public static int type(final long header)
    {
        return (int)header & 0xFF;
    }

    public static int reason(final long header)
    {
        return (int)(header >>> 8) & 0xFF;
    }

    public static int state(final long header)
    {
        return (int)(header >>> 16) & 0xFF;
    }

    public static boolean clientIsSecond(final long header)
    {
        return (header & CLIENT_IS_SECOND) != 0;
    }

    public static int worker(final long header)
    {
        return (int)(header >>> 32) & 0xFF;
    }
}
