package io.opensase.core.events;

/**
 * The binary event record: {@link #WORDS} longs, the same size for every event type, so that a queue is one
 * preallocated {@code long[]} and a worker writes an event in place without making an object.
 * <p>
 * Words 0 to 15 are common to every type; 16 to 31 belong to the type.
 * <pre>
 *  word  field
 *   0    header: bits 0-7 type, 8-15 reason (flow) or action (alert), 16-23 flow state, bit 24 set when the
 *        flow's client (its first packet's source) is the key's second endpoint, bit 25 set when the alert's
 *        text was cut short, bit 26 set when the alert's packet came from the key's second endpoint,
 *        bits 32-39 worker
 *   1    event time, ns (packet time: epoch for captures, the monotonic clock for live ports)
 *   2-8  the flow key's seven words, as FlowKey lays them out (tenant, VLAN ids, tunnel, IP version,
 *        protocol, ports, addresses; endpoints in key order, not client first)
 *   9    flow id (see {@link EveIds#flowId})
 *  10    flow start, ns (same clock as word 1)
 *  11-12 packets from the key's first endpoint, and towards it
 *  13-14 bytes likewise
 *  15    reserved (0)
 * flow:
 *  16-31 unused
 * alert:
 *  16    signature id (low 32 bits), revision (high 32)
 *  17    generator id (bits 0-31), severity (32-39), app protocol (40-47), app text field (48-55), its
 *        length in bytes (56-63)
 *  18-31 the app text field's bytes (UTF-8, up to {@link #ALERT_TEXT_BYTES}), eight to a word, lowest byte
 *        first
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
    public static final int ALERT_SIGNATURE = 16;
    public static final int ALERT_META = 17;
    public static final int ALERT_TEXT = 18;
    /** Bytes of app text an alert carries at most; longer values are cut there (and flagged). */
    public static final int ALERT_TEXT_BYTES = (WORDS - ALERT_TEXT) * Long.BYTES;

    /** Event types (header bits 0-7). */
    public static final int TYPE_FLOW = 1;
    public static final int TYPE_ALERT = 2;

    /** Why a flow ended (header bits 8-15 of a flow record), as {@code flow.reason} names them. */
    public static final int REASON_TIMEOUT = 1;
    public static final int REASON_EVICTED = 2;
    public static final int REASON_RELEASED = 3;
    public static final int REASON_SHUTDOWN = 4;

    /** A flow's state when it ended (header bits 16-23), as {@code flow.state} names them. */
    public static final int STATE_NEW = 1;
    public static final int STATE_ESTABLISHED = 2;
    public static final int STATE_CLOSED = 3;

    /** What an alert's rule did (header bits 8-15 of an alert record), as {@code alert.action} names them. */
    public static final int ACTION_ALLOWED = 1;
    public static final int ACTION_BLOCKED = 2;

    /** Which app field an alert's text is (word 17, bits 48-55). */
    public static final int TEXT_NONE = 0;
    public static final int TEXT_HTTP_HOSTNAME = 1;
    public static final int TEXT_TLS_SNI = 2;
    public static final int TEXT_DNS_QUERY = 3;

    /** App protocols (word 17, bits 40-47), as {@code app_proto} names them. */
    public static final int APP_NONE = 0;
    public static final int APP_HTTP = 1;
    public static final int APP_TLS = 2;
    public static final int APP_DNS = 3;

    static final long CLIENT_IS_SECOND = 1L << 24;
    static final long TEXT_TRUNCATED = 1L << 25;
    static final long PACKET_FROM_SECOND = 1L << 26;

    private EventLayout()
    {
    }

    public static long header(final int type, final int reasonOrAction, final int state, final boolean clientSecond,
        final int worker)
    {
        return type | (long)reasonOrAction << 8 | (long)state << 16 | (clientSecond ? CLIENT_IS_SECOND : 0)
            | (long)(worker & 0xFF) << 32;
    }

    public static int type(final long header)
    {
        return (int)header & 0xFF;
    }

    public static int reasonOrAction(final long header)
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
