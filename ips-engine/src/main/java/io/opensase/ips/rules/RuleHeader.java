package io.opensase.ips.rules;

/**
 * The part of a rule before its options, resolved: {@code action protocol src sport -> dst dport}. With
 * {@link Direction#BOTH} the rule also matches with source and destination swapped.
 */
public record RuleHeader(
    Action action,
    Protocol protocol,
    AddressSet sourceAddresses,
    PortSet sourcePorts,
    Direction direction,
    AddressSet destinationAddresses,
    PortSet destinationPorts)
{
}
