package io.opensase.classifiers.acl;

import java.util.Objects;

/**
 * One firewall rule: what a packet must look like for the rule to match. Its priority is its position in the
 * list given to {@link AclClassifier#build}: the first matching rule wins, and its index is what the classifier
 * returns. Immutable; any thread.
 * <p>
 * A rule matches a packet when every field matches:
 * <ul>
 *   <li>source and destination addresses lie within the prefixes (both of the rule's one family);</li>
 *   <li>source and destination ports lie within the ranges ({@link PortRange#ANY} is the wildcard; packets
 *       without ports are passed with ports 0);</li>
 *   <li>{@code (packet protocol & protocolMask) == protocol} (ClassBench {@code 0x06/0xFF};
 *       {@code 0x00/0x00} is the wildcard);</li>
 *   <li>when {@code icmpType} is not {@link #ANY_ICMP}, the packet's ICMP type equals it, and likewise the
 *       code; such a rule must name protocol 1 (ICMP) or 58 (ICMPv6) exactly;</li>
 *   <li>{@code (packet TCP flags & tcpFlagsMask) == tcpFlags} (mask 0: any flags); a rule with a mask must
 *       name protocol 6 exactly;</li>
 *   <li>the direction is {@link Direction#ANY} or equals the packet's.</li>
 * </ul>
 *
 * @param source source prefix
 * @param destination destination prefix, of the same family
 * @param sourcePorts source port range
 * @param destinationPorts destination port range
 * @param protocol protocol value, with no bit outside {@code protocolMask}
 * @param protocolMask protocol mask, 0..255
 * @param icmpType ICMP or ICMPv6 type 0..255, or {@link #ANY_ICMP}
 * @param icmpCode ICMP or ICMPv6 code 0..255, or {@link #ANY_ICMP}; only with a type
 * @param tcpFlags required TCP flag values, with no bit outside {@code tcpFlagsMask}
 * @param tcpFlagsMask the TCP flags that are compared, 0..255; 0 for any
 * @param direction the packet direction the rule applies to
 */
public record AclRule(
    IpPrefix source,
    IpPrefix destination,
    PortRange sourcePorts,
    PortRange destinationPorts,
    int protocol,
    int protocolMask,
    int icmpType,
    int icmpCode,
    int tcpFlags,
    int tcpFlagsMask,
    Direction direction)
{
    /** No ICMP type or code constraint. */
    public static final int ANY_ICMP = -1;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;

    public AclRule
    {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(sourcePorts, "sourcePorts");
        Objects.requireNonNull(destinationPorts, "destinationPorts");
        Objects.requireNonNull(direction, "direction");
        if (source.ipv6() != destination.ipv6())
        {
            throw new IllegalArgumentException("source " + source + " and destination " + destination
                + " are of different families");
        }
        if (protocolMask < 0 || protocolMask > 255 || protocol < 0 || protocol > 255 || 0 != (protocol & ~protocolMask))
        {
            throw new IllegalArgumentException("protocol " + protocol + "/" + protocolMask
                + " is not a value within its mask, both 0..255");
        }
        if (icmpType < ANY_ICMP || icmpType > 255 || icmpCode < ANY_ICMP || icmpCode > 255)
        {
            throw new IllegalArgumentException("ICMP type " + icmpType + " and code " + icmpCode
                + " must be 0..255 or absent");
        }
        if (ANY_ICMP == icmpType && ANY_ICMP != icmpCode)
        {
            throw new IllegalArgumentException("an ICMP code needs an ICMP type");
        }
        if (ANY_ICMP != icmpType && !(0xFF == protocolMask && (PROTO_ICMP == protocol || PROTO_ICMPV6 == protocol)))
        {
            throw new IllegalArgumentException("an ICMP type needs protocol icmp (1) or icmpv6 (58)");
        }
        if (tcpFlagsMask < 0 || tcpFlagsMask > 255 || tcpFlags < 0 || 0 != (tcpFlags & ~tcpFlagsMask))
        {
            throw new IllegalArgumentException("TCP flags " + tcpFlags + "/" + tcpFlagsMask
                + " are not a value within its mask, both 0..255");
        }
        if (0 != tcpFlagsMask && !(0xFF == protocolMask && PROTO_TCP == protocol))
        {
            throw new IllegalArgumentException("TCP flags need protocol tcp (6)");
        }
    }

    /** A 5-tuple rule (any ICMP type, any TCP flags, any direction), as in a ClassBench file. */
    public static AclRule of(
        final IpPrefix source,
        final IpPrefix destination,
        final PortRange sourcePorts,
        final PortRange destinationPorts,
        final int protocol,
        final int protocolMask)
    {
        return new AclRule(source, destination, sourcePorts, destinationPorts, protocol, protocolMask,
            ANY_ICMP, ANY_ICMP, 0, 0, Direction.ANY);
    }

    /** This rule with an ICMP type and code ({@link #ANY_ICMP} for any code). */
    public AclRule withIcmp(final int type, final int code)
    {
        return new AclRule(source, destination, sourcePorts, destinationPorts, protocol, protocolMask, type, code,
            tcpFlags, tcpFlagsMask, direction);
    }

    /** This rule with TCP flags: matches when {@code flags & mask == value}. */
    public AclRule withTcpFlags(final int value, final int mask)
    {
        return new AclRule(source, destination, sourcePorts, destinationPorts, protocol, protocolMask, icmpType,
            icmpCode, value, mask, direction);
    }

    /** This rule for one direction. */
    public AclRule withDirection(final Direction newDirection)
    {
        return new AclRule(source, destination, sourcePorts, destinationPorts, protocol, protocolMask, icmpType,
            icmpCode, tcpFlags, tcpFlagsMask, newDirection);
    }

    public boolean ipv6()
    {
        return source.ipv6();
    }

    /** Whether the rule constrains ICMP type/code or TCP flags. */
    boolean hasExtras()
    {
        return ANY_ICMP != icmpType || 0 != tcpFlagsMask;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder().append(source).append(' ').append(destination).append(' ')
            .append(sourcePorts).append(' ').append(destinationPorts)
            .append(String.format(" 0x%02x/0x%02x", protocol, protocolMask));
        if (ANY_ICMP != icmpType)
        {
            text.append(" icmp ").append(icmpType).append(ANY_ICMP == icmpCode ? "" : "/" + icmpCode);
        }
        if (0 != tcpFlagsMask)
        {
            text.append(String.format(" flags 0x%02x/0x%02x", tcpFlags, tcpFlagsMask));
        }
        if (Direction.ANY != direction)
        {
            text.append(' ').append(direction.name().toLowerCase(java.util.Locale.ROOT));
        }
        return text.toString();
    }
}
