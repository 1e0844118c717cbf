package io.opensase.classifiers.parse;

import java.util.Arrays;

/**
 * The UDP ports on which {@link PacketParser} looks for Teredo (RFC 4380: IPv6 carried in UDP over IPv4), as
 * Suricata's {@code decoder.teredo.ports} names them: up to 4 ports, matched against either port of a
 * datagram, or any port. Suricata's shipped configuration gives 3544, the port IANA assigned to Teredo servers
 * ({@link #DEFAULT}); a relay or peer talks to a client on the client's own port, so traffic between them is
 * decoded only where that port is named, or with {@link #ANY}. Immutable; built on the control path.
 */
public final class TeredoPorts
{
    /** Suricata's limit on named ports. */
    public static final int MAX_PORTS = 4;
    public static final int IANA_PORT = 3544;

    public static final TeredoPorts DEFAULT = new TeredoPorts(false, new int[] {IANA_PORT});
    /** Every UDP datagram is a candidate (Suricata's setting {@code any}, and its default without one). */
    public static final TeredoPorts ANY = new TeredoPorts(true, new int[0]);
    /** Teredo is not decoded ({@code decoder.teredo.enabled: false}). */
    public static final TeredoPorts NONE = new TeredoPorts(false, new int[0]);

    private final boolean any;
    private final int[] ports;

    private TeredoPorts(final boolean any, final int[] ports)
    {
        this.any = any;
        this.ports = ports;
    }

    /**
     * @param ports 0 to {@link #MAX_PORTS} ports, each 1..65535; none turns Teredo decoding off.
     */
    public static TeredoPorts of(final int... ports)
    {
        if (ports.length > MAX_PORTS)
        {
            throw new IllegalArgumentException("at most " + MAX_PORTS + " Teredo ports, got " + ports.length);
        }
        for (final int port : ports)
        {
            if (port < 1 || port > 65535)
            {
                throw new IllegalArgumentException("not a UDP port: " + port);
            }
        }
        return 0 == ports.length ? NONE : new TeredoPorts(false, ports.clone());
    }

    /** True when a datagram between these ports may carry Teredo. */
    public boolean matches(final int srcPort, final int dstPort)
    {
        if (any)
        {
            return true;
        }
        for (final int port : ports)
        {
            if (port == srcPort || port == dstPort)
            {
                return true;
            }
        }
        return false;
    }

    public boolean isAny()
    {
        return any;
    }

    /** The ports named (none for {@link #ANY} and {@link #NONE}). */
    public int[] ports()
    {
        return ports.clone();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof TeredoPorts that && any == that.any && Arrays.equals(ports, that.ports);
    }

    @Override
    public int hashCode()
    {
        return 31 * Boolean.hashCode(any) + Arrays.hashCode(ports);
    }

    @Override
    public String toString()
    {
        return any ? "any" : Arrays.toString(ports);
    }
}
