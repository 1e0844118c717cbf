package io.opensase.core.firewall;

import java.util.List;

/**
 * The firewall's configuration: tenants with their policies, and what to do with packets the policies
 * cannot speak for.
 *
 * @param unmatched        action for packets no tenant selects.
 * @param invalid          action for packets connection tracking finds invalid (allow or deny).
 * @param midstreamPickup  accept TCP connections first seen after their handshake.
 * @param failOpen         when the flow table is full and refuses a flow: true lets its packets through
 *                         unclassified, false drops them.
 * @param tcpOpeningNs     idle timeout while a TCP handshake is under way.
 * @param tcpClosingNs     idle timeout while a TCP connection closes.
 * @param tcpClosedNs      idle timeout after a reset or a full close.
 * @param fragmentTimeoutNs how long a datagram's first-fragment verdict is kept for its later fragments.
 */
public record FirewallConfig(
    List<TenantConfig> tenants,
    RuleAction unmatched,
    RuleAction invalid,
    boolean midstreamPickup,
    boolean failOpen,
    long tcpOpeningNs,
    long tcpClosingNs,
    long tcpClosedNs,
    long fragmentTimeoutNs)
{
    public FirewallConfig
    {
        tenants = List.copyOf(tenants);
    }
}
