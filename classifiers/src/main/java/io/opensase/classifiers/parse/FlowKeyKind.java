package io.opensase.classifiers.parse;

/**
 * What identifies a packet's flow, decided by the parser from the innermost IP header of the packet's own
 * stack. A malformed packet keeps what was found before the fault, so that it can still be steered with its
 * flow's other packets; it is not tracked as a flow.
 */
public final class FlowKeyKind
{
    /** No IP header: not tracked. */
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
