package io.opensase.ips.rules;

/**
 * {@code ip_proto:[!|<|>]N} (N a number or one of the names in {@link #NAMES}): the transport protocol
 * number after the IP header and any IPv6 extension headers.
 */
public record IpProtocol(IntMatch match) implements Condition
{
    /** Protocol names accepted in place of numbers. */
    public static final java.util.Map<String, Integer> NAMES = java.util.Map.ofEntries(
        java.util.Map.entry("icmp", 1), java.util.Map.entry("igmp", 2), java.util.Map.entry("ipip", 4),
        java.util.Map.entry("tcp", 6), java.util.Map.entry("udp", 17), java.util.Map.entry("ipv6", 41),
        java.util.Map.entry("ipv6-route", 43), java.util.Map.entry("ipv6-frag", 44),
        java.util.Map.entry("gre", 47), java.util.Map.entry("esp", 50), java.util.Map.entry("ah", 51),
        java.util.Map.entry("ipv6-icmp", 58), java.util.Map.entry("ipv6-nonxt", 59),
        java.util.Map.entry("ipv6-opts", 60), java.util.Map.entry("sctp", 132));
}
