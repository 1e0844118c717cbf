package io.opensase.core.control;

/**
 * Which flows {@code GET /flows} lists; a null field matches anything.
 *
 * @param tenant   tenant name.
 * @param address  an address that is either end of the flow (IPv4 or IPv6 text).
 * @param port     a port that is either end of the flow.
 * @param protocol IP protocol number.
 */
public record FlowFilter(String tenant, String address, Integer port, Integer protocol)
{
    public static final FlowFilter ANY = new FlowFilter(null, null, null, null);
}
