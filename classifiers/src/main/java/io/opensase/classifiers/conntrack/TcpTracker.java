package io.opensase.classifiers.conntrack;

/**
 * TCP connection tracking for the flows of one flow table: the connection state and, per direction, the
 * sequence space a segment must fall in to be believed. Owned by the table's worker thread; state lives in
 * arrays indexed by flow slot, reset when the slot's flow is created.
 * <p>
 * States follow the TCP state diagram as a middlebox sees it (RFC 9293 section 3.3.2, the same reduction
 * Linux's conntrack makes): a SYN opens, a SYN-ACK answers, the ACK of it establishes; SYNs crossing each
 * other (simultaneous open) go through SYN_SENT2; a FIN from each side closes (simultaneous close included);
 * a RST in window closes at once; a new SYN after close reopens.
 * <p>
 * The window check is Guido van Rooij's ("Real Stateful TCP Packet Filtering in IP Filter", 2000), as in
 * Linux's {@code tcp_in_window}: per direction, the highest sequence sent ({@code end}), the highest
 * sequence the peer allowed ({@code maxEnd}) and the largest window advertised ({@code maxWindow}, scaled by
 * the window-scale option of the SYN). A segment must start at or below {@code maxEnd}, end no more than a
 * window below {@code end}, acknowledge nothing not yet sent, and acknowledge no less than a window below.
 */
public final class TcpTracker
{
    public static final byte NONE = 0;
    public static final byte SYN_SENT = 1;
    public static final byte SYN_RECV = 2;
    public static final byte ESTABLISHED = 3;
    public static final byte FIN_WAIT = 4;
    public static final byte CLOSING = 5;
    public static final byte TIME_WAIT = 6;
    public static final byte CLOSE = 7;
    public static final byte SYN_SENT2 = 8;

    /** Verdicts of {@link #track}: the segment fits the connection. */
    public static final int VALID = 0;
    /** A segment other than a SYN opened the flow, and midstream pickup is off. */
    public static final int INVALID_NO_CONNECTION = 1;
    /** A flag combination no TCP sends: SYN with FIN or RST, FIN with RST, no flags, FIN/PSH/URG without ACK. */
    public static final int INVALID_FLAGS = 2;
    /** A segment outside the window the connection has seen. */
    public static final int INVALID_WINDOW = 3;
    /** A segment the state machine cannot take (a SYN-ACK before any SYN, data before the handshake ends). */
    public static final int INVALID_STATE = 4;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    /** The smallest window IV allows acknowledgements to lag by, as in Linux ({@code MAXACKWINCONST}). */
    private static final int MIN_ACK_WINDOW = 66_000;
    private static final int ORIGINAL = 0;
    private static final int REPLY = 1;

    private final byte[] state;
    /** Which direction of the flow table's entry opened the connection (0 or 1). */
    private final byte[] originator;
    private final byte[] finSeen;
    /** Per slot and direction: highest sequence sent, highest sequence allowed, largest window, scale. */
    private final int[] end;
    private final int[] maxEnd;
    private final int[] maxWindow;
    private final byte[] scale;
    private final boolean[] initialised;
    private boolean midstreamPickup;

    /**
     * @param capacity        the flow table's capacity: slots run from 0 to capacity - 1.
     * @param midstreamPickup accept a connection first seen after its handshake (as ESTABLISHED).
     */
    public TcpTracker(final int capacity, final boolean midstreamPickup)
    {
        state = new byte[capacity];
        originator = new byte[capacity];
        finSeen = new byte[capacity];
        end = new int[capacity * 2];
        maxEnd = new int[capacity * 2];
        maxWindow = new int[capacity * 2];
        scale = new byte[capacity * 2];
        initialised = new boolean[capacity * 2];
        this.midstreamPickup = midstreamPickup;
    }

    /** Owner thread: whether connections first seen after their handshake are taken up from now on. */
    public void setMidstreamPickup(final boolean pickup)
    {
        midstreamPickup = pickup;
    }

    /**
     * Tracks one segment.
     *
     * @param slot          the flow's slot.
     * @param created       the flow was created by this segment.
     * @param direction     0 or 1: the flow table's direction of the segment ({@code FlowTable.REVERSE}).
     * @param flags         TCP flags byte.
     * @param seq           sequence number.
     * @param ack           acknowledgement number.
     * @param window        the window field as sent (unscaled).
     * @param windowScale   the window-scale option of a SYN, or -1 when absent.
     * @param payloadLength TCP payload bytes.
     * @return {@link #VALID}, or an {@code INVALID_} reason; an invalid segment leaves the state as it was.
     */
    public int track(
        final int slot,
        final boolean created,
        final int direction,
        final int flags,
        final int seq,
        final int ack,
        final int window,
        final int windowScale,
        final int payloadLength)
    {
        if (impossible(flags))
        {
            if (created)
            {
                state[slot] = NONE;
            }
            return INVALID_FLAGS;
        }
        if (created || NONE == state[slot])
        {
            return open(slot, direction, flags, seq, ack, window, windowScale, payloadLength);
        }
        final int side = direction == originator[slot] ? ORIGINAL : REPLY;
        final boolean syn = (flags & SYN) != 0;
        final boolean synAck = syn && (flags & ACK) != 0;
        final byte current = state[slot];
        if (syn && !synAck && ORIGINAL == side && (CLOSE == current || TIME_WAIT == current))
        {
            // A new connection reusing the ports of a closed one.
            return open(slot, direction, flags, seq, ack, window, windowScale, payloadLength);
        }
        if (synAck && REPLY == side && !initialised[slot * 2 + direction])
        {
            initialise(slot * 2 + direction, seq, payloadLength + 1, window, windowScale);
        }
        else if (syn && !synAck && REPLY == side && SYN_SENT == current)
        {
            initialise(slot * 2 + direction, seq, payloadLength + 1, window, windowScale);
            state[slot] = SYN_SENT2;
            return VALID;
        }
        if (!initialised[slot * 2 + direction])
        {
            return INVALID_STATE;
        }
        if (!inWindow(slot, direction, flags, seq, ack, window, payloadLength))
        {
            return INVALID_WINDOW;
        }
        return advance(slot, side, flags);
    }

    /** The connection state of the flow in {@code slot}. */
    public byte state(final int slot)
    {
        return state[slot];
    }

    public static String stateName(final byte state)
    {
        return switch (state)
        {
            case SYN_SENT -> "syn_sent";
            case SYN_RECV -> "syn_recv";
            case ESTABLISHED -> "established";
            case FIN_WAIT -> "fin_wait";
            case CLOSING -> "closing";
            case TIME_WAIT -> "time_wait";
            case CLOSE -> "close";
            case SYN_SENT2 -> "syn_sent2";
            default -> "none";
        };
    }

    private static boolean impossible(final int flags)
    {
        final int f = flags & (FIN | SYN | RST | PSH | ACK | URG);
        if (0 == f)
        {
            return true;
        }
        if ((f & SYN) != 0 && (f & (FIN | RST)) != 0)
        {
            return true;
        }
        if ((f & FIN) != 0 && (f & RST) != 0)
        {
            return true;
        }
        return (f & ACK) == 0 && (f & (FIN | PSH | URG)) != 0;
    }

    private int open(
        final int slot,
        final int direction,
        final int flags,
        final int seq,
        final int ack,
        final int window,
        final int windowScale,
        final int payloadLength)
    {
        originator[slot] = (byte)direction;
        finSeen[slot] = 0;
        final int here = slot * 2 + direction;
        final int there = slot * 2 + (1 - direction);
        initialised[there] = false;
        if ((flags & SYN) != 0 && (flags & ACK) == 0)
        {
            initialise(here, seq, payloadLength + 1, window, windowScale);
            state[slot] = SYN_SENT;
            return VALID;
        }
        if (!midstreamPickup || (flags & SYN) != 0)
        {
            state[slot] = NONE;
            return (flags & SYN) != 0 ? INVALID_STATE : INVALID_NO_CONNECTION;
        }
        // Picked up mid-stream: believe this side's numbers, learn the other side's when it speaks.
        initialise(here, seq, payloadLength + ((flags & FIN) != 0 ? 1 : 0), window, -1);
        maxWindow[here] = Math.max(window, 1) << 14;
        maxEnd[here] = ack + maxWindow[here];
        initialised[there] = true;
        end[there] = ack;
        maxEnd[there] = seq + maxWindow[here];
        maxWindow[there] = maxWindow[here];
        scale[there] = 14;
        state[slot] = (flags & FIN) != 0 ? FIN_WAIT : ESTABLISHED;
        if ((flags & FIN) != 0)
        {
            finSeen[slot] = (byte)(1 << ORIGINAL);
        }
        return VALID;
    }

    /** First segment seen from a side: its sequence space starts here (a SYN counts one). */
    private void initialise(final int side, final int seq, final int length, final int window, final int windowScale)
    {
        initialised[side] = true;
        end[side] = seq + length;
        maxEnd[side] = end[side];
        maxWindow[side] = Math.max(window, 1);
        scale[side] = (byte)(windowScale < 0 ? 0 : Math.min(windowScale, 14));
    }

    private boolean inWindow(
        final int slot,
        final int direction,
        final int flags,
        final int seq,
        final int ack,
        final int window,
        final int payloadLength)
    {
        final int sender = slot * 2 + direction;
        final int receiver = slot * 2 + (1 - direction);
        final boolean syn = (flags & SYN) != 0;
        final int segmentEnd = seq + payloadLength + (syn ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
        final int acked = (flags & ACK) != 0 ? ack : end[receiver];
        final int scaledWindow = syn ? window : window << scale[sender];
        if (!initialised[receiver])
        {
            return true;
        }
        final int maxAckWindow = Math.max(maxWindow[sender], MIN_ACK_WINDOW);
        final boolean startsInWindow = seq - (maxEnd[sender] + 1) < 0;
        final boolean notTooOld = segmentEnd - (end[sender] - maxWindow[receiver] - 1) > 0;
        final boolean acksNothingUnsent = acked - (end[receiver] + 1) < 0;
        final boolean acksRecentEnough = acked - (end[receiver] - maxAckWindow - 1) > 0;
        if (!(startsInWindow && notTooOld && acksNothingUnsent && acksRecentEnough))
        {
            return false;
        }
        if (Integer.compareUnsigned(maxWindow[sender], scaledWindow) < 0)
        {
            maxWindow[sender] = scaledWindow;
        }
        if (segmentEnd - end[sender] > 0)
        {
            end[sender] = segmentEnd;
        }
        if ((flags & ACK) != 0 && acked + scaledWindow - maxEnd[receiver] > 0)
        {
            maxEnd[receiver] = acked + Math.max(scaledWindow, 1);
        }
        return true;
    }

    private int advance(final int slot, final int side, final int flags)
    {
        final byte current = state[slot];
        if ((flags & RST) != 0)
        {
            state[slot] = CLOSE;
            return VALID;
        }
        final boolean syn = (flags & SYN) != 0;
        final boolean ack = (flags & ACK) != 0;
        if ((flags & FIN) != 0)
        {
            finSeen[slot] |= (byte)(1 << side);
            state[slot] = finSeen[slot] == 3 ? CLOSING : FIN_WAIT;
            return VALID;
        }
        switch (current)
        {
            case SYN_SENT ->
            {
                if (syn && ack && REPLY == side)
                {
                    state[slot] = SYN_RECV;
                }
                else if (!(syn && ORIGINAL == side))
                {
                    return INVALID_STATE;
                }
            }
            case SYN_SENT2 ->
            {
                if (syn && ack)
                {
                    state[slot] = SYN_RECV;
                }
            }
            case SYN_RECV ->
            {
                if (ack && !syn && ORIGINAL == side)
                {
                    state[slot] = ESTABLISHED;
                }
                else if (ack && !syn && REPLY == side)
                {
                    // The answer to a simultaneous open.
                    state[slot] = ESTABLISHED;
                }
            }
            case CLOSING ->
            {
                if (ack)
                {
                    state[slot] = TIME_WAIT;
                }
            }
            default ->
            {
                if (syn && !ack)
                {
                    return INVALID_STATE;
                }
            }
        }
        return VALID;
    }
}
