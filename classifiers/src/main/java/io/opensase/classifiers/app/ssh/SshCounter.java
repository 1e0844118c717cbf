package io.opensase.classifiers.app.ssh;

/** What {@link SshParser} counts, one counter each. The ids are stable: they may be stored and reported. */
public enum SshCounter
{
    BANNERS(0, "banners"),
    /** Lines before the banner (RFC 4253 lets a server send them), skipped. */
    OTHER_LINES(1, "other_lines"),
    /** A line longer than the 255 bytes RFC 4253 allows: the direction is no longer parsed. */
    LONG_LINE(2, "long_line"),
    /** A banner without the software version: "SSH-2.0" alone. */
    MALFORMED_BANNER(3, "malformed_banner"),
    /** {@link SshParser#open()} found every flow slot taken. */
    NO_FLOW(4, "no_flow"),
    /** A gap before the banner was complete. */
    GAPS(5, "gaps");

    private static final SshCounter[] VALUES = values();

    private final int id;
    private final String label;

    SshCounter(final int id, final String label)
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
