package io.opensase.classifiers.frag;

/**
 * Why the reassembler dropped something, one counter each; a constant, for any thread.
 * <p>
 * A reason drops either the offered fragment alone ({@link #dropsDatagram()} false: what is held for its
 * datagram is kept) or the whole datagram with every fragment held for it ({@link #dropsDatagram()} true). The
 * ids are stable: they may be stored and reported.
 */
public enum FragmentDrop
{
    /** Not a drop: the value of {@link FragmentReassembler#dropReason()} after any other outcome. */
    NONE(0, "none", false),
    /**
     * The IP header that carries the fragment is inconsistent: an IPv4 total length below its header, an
     * IPv6 extension header or fragment header running past the payload length.
     */
    MALFORMED(1, "malformed", false),
    /** The fragment's IP datagram runs past the bytes present (cut by the snap length, or lying). */
    TRUNCATED(2, "truncated", false),
    /** A fragment without payload bytes. */
    EMPTY(3, "empty", false),
    /** A fragment other than the last whose payload is not a multiple of 8 bytes (RFC 791, RFC 8200). */
    UNALIGNED(4, "unaligned", false),
    /**
     * The datagram would be longer than its length field can say: IPv4 header and payload past 65,535 bytes,
     * or an IPv6 payload (unfragmentable extension headers and fragmentable part) past 65,535 bytes. Checked
     * with the fragment's own header, and with the first fragment's header once that is held, so a completed
     * datagram always fits.
     */
    TOO_LONG(5, "too_long", false),
    /** A first IPv6 fragment whose header and unfragmentable extension headers exceed one memory chunk. */
    HEADER_TOO_LONG(6, "header_too_long", false),
    /** No datagram slot free and the policy refuses new fragments. */
    REFUSED_DATAGRAMS(7, "refused_datagrams", false),
    /** Not enough memory free and the policy refuses new fragments. */
    REFUSED_BYTES(8, "refused_bytes", false),
    /**
     * A second last fragment with another end, a fragment reaching past the end the last fragment set, or a
     * last fragment ending before bytes already held.
     */
    INCONSISTENT_END(9, "inconsistent_end", true),
    /** A conflicting overlap under {@link OverlapPolicy#DROP}. */
    OVERLAP(10, "overlap", true),
    /** One fragment more than the per-datagram limit. */
    FRAGMENT_LIMIT(11, "fragment_limit", true),
    /**
     * A first fragment that does not hold the whole transport header, when the configuration drops those;
     * without a datagram in progress only the fragment is dropped.
     */
    TINY_FIRST(12, "tiny_first", true),
    /** Dropped, oldest first, to make room for a newer datagram's fragment. */
    EVICTED(13, "evicted", true),
    /** Timed out before its first fragment (offset 0) arrived. */
    TIMEOUT_NO_FIRST(14, "no_first_fragment", true),
    /** Timed out incomplete, its first fragment held. */
    TIMEOUT_INCOMPLETE(15, "incomplete", true);

    private static final FragmentDrop[] VALUES = values();

    private final int id;
    private final String reportName;
    private final boolean dropsDatagram;

    FragmentDrop(final int id, final String reportName, final boolean dropsDatagram)
    {
        this.id = id;
        this.reportName = reportName;
        this.dropsDatagram = dropsDatagram;
    }

    /** Stable numeric id. */
    public int id()
    {
        return id;
    }

    /** Counter name for reports. */
    public String reportName()
    {
        return reportName;
    }

    /** True when the reason drops a whole datagram, false when it drops the offered fragment alone. */
    public boolean dropsDatagram()
    {
        return dropsDatagram;
    }

    public static FragmentDrop of(final int id)
    {
        return VALUES[id];
    }

    public static int count()
    {
        return VALUES.length;
    }
}
