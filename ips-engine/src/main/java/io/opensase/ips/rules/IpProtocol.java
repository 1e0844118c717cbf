package io.opensase.ips.rules;

import java.util.Map;

/**
 * {@code ip_proto:[!|<|>]N} (N a number or one of the names in {@link #NAMES}): the transport protocol
 * number after the IP header and any IPv6 extension headers.
 */
public record IpProtocol(IntMatch match) implements Condition
{
    /** Protocol names accepted in place of numbers. */
    public static final Map<String, Integer> NAMES = Map.ofEntries(
        Map.entry("icmp", 1), Map.entry("igmp", 2), Map.entry("ipip", 4),
        Map.entry("tcp", 6), Map.entry("udp", 17), Map.entry("ipv6", 41),
        Map.entry("ipv6-route", 43), Map.entry("ipv6-frag", 44),
        Map.entry("gre", 47), Map.entry("esp", 50), Map.entry("ah", 51),
        Map.entry("ipv6-icmp", 58), Map.entry("ipv6-nonxt", 59),
        Map.entry("ipv6-opts", 60), Map.entry("sctp", 132));
}
