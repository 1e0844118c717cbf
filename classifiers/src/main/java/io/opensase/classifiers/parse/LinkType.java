package io.opensase.classifiers.parse;

/**
 * Capture link types the parser starts from, by their pcap LINKTYPE numbers.
 */
public enum LinkType
{
    /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
    NULL(0),
    ETHERNET(1),
    /** Raw IP, version taken from the first nibble. */
    RAW(101),
    LINUX_SLL(113),
    IPV4(228),
    IPV6(229),
    LINUX_SLL2(276);

    private final int number;

    LinkType(final int number)
    {
        this.number = number;
    }

    /** The LINKTYPE number written in capture file headers. */
    public int number()
    {
        return number;
    }

    /**
     * @return the link type with that LINKTYPE number, or {@code null} when the parser does not support it.
     */
    public static LinkType fromNumber(final int number)
    {
        for (final LinkType type : values())
        {
            if (type.number == number)
            {
                return type;
            }
        }
        return null;
    }
}
