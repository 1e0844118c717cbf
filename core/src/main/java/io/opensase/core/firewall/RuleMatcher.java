package io.opensase.core.firewall;

/**
 * A tenant's compiled rules: the first rule matching a packet's tuple. Built off the packet path, then read
 * by workers; immutable.
 */
public interface RuleMatcher
{
    /** No rule matched. */
    int NO_MATCH = -1;

    /**
     * @param version   4 or 6.
     * @param direction {@link Direction#INBOUND} or {@link Direction#OUTBOUND} ordinal.
     * @param icmpType  ICMP or ICMPv6 type, or -1 for other protocols (likewise {@code icmpCode}).
     * @return the index, in the tenant's configuration, of the first matching rule, or {@link #NO_MATCH}.
     */
    int match(int version, long srcHi, long srcLo, long dstHi, long dstLo, int srcPort, int dstPort, int protocol,
        int tcpFlags, int icmpType, int icmpCode, int direction);
}
