package io.opensase.core.firewall;

/**
 * One single-valued rule for the classifier: a configured rule with lists of prefixes and port ranges
 * expands into one of these per combination, all carrying the configured rule's index.
 *
 * @param ruleIndex    index of the configured rule (the classifier's priority: lower wins).
 * @param version      4 or 6.
 * @param protocol     IP protocol, or -1 for any.
 * @param icmpType     -1 for any (likewise {@code icmpCode}).
 * @param tcpFlagsMask 0 when the rule does not look at TCP flags.
 * @param direction    {@link Direction} ordinal; ANY matches both.
 */
public record FlatRule(
    int ruleIndex,
    int version,
    IpPrefix source,
    IpPrefix destination,
    int sourcePortLow,
    int sourcePortHigh,
    int destinationPortLow,
    int destinationPortHigh,
    int protocol,
    int icmpType,
    int icmpCode,
    int tcpFlags,
    int tcpFlagsMask,
    int direction)
{
    /** Linear, for tests and tiny rule sets: does this rule take the tuple? */
    public boolean matches(final int packetVersion, final long srcHi, final long srcLo, final long dstHi,
        final long dstLo, final int srcPort, final int dstPort, final int packetProtocol, final int packetTcpFlags,
        final int packetIcmpType, final int packetIcmpCode, final int packetDirection)
    {
        return packetVersion == version
            && source.contains(packetVersion, srcHi, srcLo)
            && destination.contains(packetVersion, dstHi, dstLo)
            && (protocol < 0 || protocol == packetProtocol)
            && srcPort >= sourcePortLow && srcPort <= sourcePortHigh
            && dstPort >= destinationPortLow && dstPort <= destinationPortHigh
            && (icmpType < 0 || icmpType == packetIcmpType)
            && (icmpCode < 0 || icmpCode == packetIcmpCode)
            && (packetTcpFlags & tcpFlagsMask) == tcpFlags
            && (Direction.ANY.ordinal() == direction || direction == packetDirection);
    }
}
