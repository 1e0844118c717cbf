package io.opensase.ips.rules;

/** The protocol of a rule header: the second word of a rule. */
public enum Protocol
{
    /** Any IP packet (v4 or v6). */
    IP("ip", AppProtocol.NONE),
    /** TCP packets and their reassembled stream. */
    TCP("tcp", AppProtocol.NONE),
    UDP("udp", AppProtocol.NONE),
    /** ICMP and ICMPv6. */
    ICMP("icmp", AppProtocol.NONE),
    /** Flows identified as HTTP/1.x, over TCP. */
    HTTP("http", AppProtocol.HTTP),
    /** Flows identified as TLS, over TCP. */
    TLS("tls", AppProtocol.TLS),
    /** Flows identified as DNS, over UDP or TCP. */
    DNS("dns", AppProtocol.DNS),
    /** TCP, but payload keywords inspect only the reassembled stream, never single packets. */
    TCP_STREAM("tcp-stream", AppProtocol.NONE),
    /** TCP, but payload keywords inspect only single packets, never the reassembled stream. */
    TCP_PKT("tcp-pkt", AppProtocol.NONE);

    private final String ruleName;
    private final AppProtocol appProtocol;

    Protocol(final String ruleName, final AppProtocol appProtocol)
    {
        this.ruleName = ruleName;
        this.appProtocol = appProtocol;
    }

    /** The word as written in a rule. */
    public String ruleName()
    {
        return ruleName;
    }

    /** The application protocol the header binds the rule to ({@link AppProtocol#NONE} for transports). */
    public AppProtocol appProtocol()
    {
        return appProtocol;
    }

    /** True when only TCP can carry the rule's traffic. */
    public boolean tcpOnly()
    {
        return this == TCP || this == TCP_STREAM || this == TCP_PKT || this == HTTP || this == TLS;
    }

    /** True when the rule's traffic may be TCP (every protocol but UDP and ICMP). */
    public boolean mayBeTcp()
    {
        return this != UDP && this != ICMP;
    }

    /** @return the protocol named {@code word}, or null when it is not in the subset. */
    public static Protocol byName(final String word)
    {
        for (final Protocol protocol : values())
        {
            if (protocol.ruleName.equals(word))
            {
                return protocol;
            }
        }
        return null;
    }
}
