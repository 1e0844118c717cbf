package io.opensase.classifiers.parse;

/**
 * What identifies a packet's flow, decided by the parser from the innermost IP header of the packet's own
 * stack.
 */
public final class FlowKeyKind
{
    /** Not tracked: no IP header, or the packet is malformed. */
    public static final byte NONE = 0;
    /** Addresses, protocol and transport ports (TCP, UDP, SCTP). */
    public static final byte PORTS = 1;
    /** Addresses, protocol and the ICMP or ICMPv6 echo identifier (stored as both ports). */
    public static final byte ICMP_ECHO = 2;
    /** Addresses and protocol only: other ICMP, non-first fragments, other protocols. */
    public static final byte ADDRESSES = 3;

    private FlowKeyKind()
    {
    }
}
