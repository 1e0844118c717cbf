package io.opensase.classifiers.stream;

/**
 * What {@link TcpReassembler#segment} did with a segment: int codes, so that the packet path allocates
 * nothing. Constants only.
 */
public final class SegmentResult
{
    /** New bytes were delivered (the segment's, and any buffered ones it joined up with). */
    public static final int IN_ORDER = 0;
    /** Held out of order until the hole before it fills (or is given up as a gap). */
    public static final int BUFFERED = 1;
    /** No new bytes: every byte was delivered or buffered already (a retransmission). */
    public static final int DUPLICATE = 2;
    /** No payload (a bare SYN, ACK or FIN); its flags were taken into account. */
    public static final int NO_PAYLOAD = 3;
    /** Data in a direction whose SYN was not seen, with midstream pickup off: not delivered. */
    public static final int NOT_STARTED = 4;
    /** The stream was reset by this segment or an earlier one; the segment's bytes are not delivered. */
    public static final int CLOSED = 5;
    /** The stream is bypassed ({@link MemcapPolicy#BYPASS}): not reassembled, not to be inspected. */
    public static final int BYPASSED = 6;
    /** The flow is to be dropped ({@link MemcapPolicy#DROP_FLOW}). */
    public static final int DROP_FLOW = 7;
    /** Not a stream this reassembler has open, a direction other than 0 or 1, or a negative length. */
    public static final int INVALID = 8;
    /** Starts more than {@link TcpReassembler#MAX_AHEAD} bytes past the next byte expected: not taken. */
    public static final int OUT_OF_WINDOW = 9;
    /**
     * Not taken, and no state changed: a RST its receiver would not accept (its sequence number is not the one
     * expected from its sender), or a SYN's payload where the stream has started already.
     */
    public static final int IGNORED = 10;

    private static final String[] NAMES = {
        "in_order", "buffered", "duplicate", "no_payload", "not_started", "closed", "bypassed", "drop_flow",
        "invalid", "out_of_window", "ignored"};

    private SegmentResult()
    {
    }

    /** Report name of {@code code}. */
    public static String name(final int code)
    {
        return NAMES[code];
    }
}
