package io.opensase.core.control;

/**
 * Which packets {@code POST /trace} follows: a connection by its endpoints (either direction), its protocol and
 * tenant; a null field matches anything.
 *
 * @param source      an address at one end (IPv4 or IPv6 text), with {@code sourcePort}.
 * @param destination an address at the other end, with {@code destinationPort}.
 */
public record TraceFilter(String tenant, String source, Integer sourcePort, String destination,
    Integer destinationPort, Integer protocol)
{
}
