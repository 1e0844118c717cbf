package io.opensase.core.events;

/** The names EVE lines give IP protocol numbers in {@code proto}, as Suricata writes them. */
final class EveProtocols
{
    private EveProtocols()
    {
    }

    /** The protocol's name, or null for a protocol written as its number. */
    static String name(final int protocol)
    {
        return switch (protocol)
        {
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 47 -> "GRE";
            case 58 -> "IPv6-ICMP";
            case 132 -> "SCTP";
            default -> null;
        };
    }
}
