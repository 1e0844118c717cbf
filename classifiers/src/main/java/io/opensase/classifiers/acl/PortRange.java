package io.opensase.classifiers.acl;

/**
 * An inclusive range of transport ports, {@code lo..hi} within 0..65535; {@link #ANY} is the wildcard.
 * Immutable; any thread.
 *
 * @param lo first port of the range
 * @param hi last port of the range, at least {@code lo}
 */
public record PortRange(int lo, int hi)
{
    /** Every port, 0..65535. */
    public static final PortRange ANY = new PortRange(0, 65535);

    public PortRange
    {
        if (lo < 0 || hi > 65535 || lo > hi)
        {
            throw new IllegalArgumentException("port range " + lo + ".." + hi + " is not within 0..65535 in order");
        }
    }

    /** The single port {@code port}. */
    public static PortRange of(final int port)
    {
        return new PortRange(port, port);
    }

    public boolean isAny()
    {
        return 0 == lo && 65535 == hi;
    }

    @Override
    public String toString()
    {
        return lo + " : " + hi;
    }
}
