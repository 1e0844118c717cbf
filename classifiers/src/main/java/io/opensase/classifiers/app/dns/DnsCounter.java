package io.opensase.classifiers.app.dns;

/** What the DNS parsers count, one counter each. The ids are stable: they may be stored and reported. */
public enum DnsCounter
{
    /** Messages decoded. */
    MESSAGES(0, "messages"),
    /** Shorter than the 12-byte header. */
    SHORT_HEADER(1, "short_header"),
    /** A question or answer runs past the end of the message, or an answer's data past its RDLENGTH. */
    TRUNCATED_SECTION(2, "truncated_section"),
    /** A name with a label length of the reserved forms (0x40, 0x80) or longer than 255 bytes. */
    BAD_NAME(3, "bad_name"),
    /** A compression pointer that does not point back before itself (the loop guard) or out of the message. */
    BAD_POINTER(4, "bad_pointer"),
    /** DNS over TCP: a message arrived in pieces while every assembly buffer was taken; skipped. */
    NO_BUFFER(5, "no_buffer"),
    /** DNS over TCP: {@link DnsTcpFramer#open()} found every flow slot taken. */
    NO_FLOW(6, "no_flow"),
    /** DNS over TCP: a gap in a direction's stream; its framing is lost and it is no longer parsed. */
    GAPS(7, "gaps");

    private static final DnsCounter[] VALUES = values();

    private final int id;
    private final String label;

    DnsCounter(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    public int id()
    {
        return id;
    }

    public String label()
    {
        return label;
    }

    static int count()
    {
        return VALUES.length;
    }
}
