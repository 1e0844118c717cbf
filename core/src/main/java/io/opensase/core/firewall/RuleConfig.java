package io.opensase.core.firewall;

import io.opensase.classifiers.acl.Direction;
import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.classifiers.acl.PortRange;

import java.util.List;

/**
 * One rule of a tenant's ordered policy, as configured (address groups already resolved). An empty prefix
 * list means any address of the rule's family, an empty port list any port; -1 means "any" for the protocol,
 * ICMP type and code.
 *
 * @param line         line of the configuration file the rule starts on, for messages.
 * @param tcpFlagsMask TCP flags the rule looks at (0: none); {@code tcpFlags} is their wanted value.
 */
public record RuleConfig(
    String name,
    int line,
    RuleAction action,
    Direction direction,
    int protocol,
    List<IpPrefix> sources,
    List<IpPrefix> destinations,
    List<PortRange> sourcePorts,
    List<PortRange> destinationPorts,
    int icmpType,
    int icmpCode,
    int tcpFlags,
    int tcpFlagsMask)
{
    public RuleConfig
    {
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
        sourcePorts = List.copyOf(sourcePorts);
        destinationPorts = List.copyOf(destinationPorts);
    }

    /** This rule as if read from line {@code newLine}. */
    public RuleConfig withLine(final int newLine)
    {
        return new RuleConfig(name, newLine, action, direction, protocol, sources, destinations, sourcePorts,
            destinationPorts, icmpType, icmpCode, tcpFlags, tcpFlagsMask);
    }
}
