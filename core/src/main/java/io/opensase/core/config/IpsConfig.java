package io.opensase.core.config;

import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.TeredoPorts;
import io.opensase.core.ips.IpsSettings;

/**
 * What {@code opensase ips --config} takes from a configuration file ({@link ConfigLoader#loadIps}): its ips
 * section and how its parser section parses packets.
 *
 * @param ips               the IPS rules, variables and mode, or null when the file has no ips section.
 * @param maxTunnelDepth    nested encapsulations parsed before a packet counts as malformed.
 * @param maxIpv6ExtHeaders IPv6 extension headers parsed before a packet counts as malformed.
 * @param teredoPorts       UDP ports on which the parser looks for Teredo.
 */
public record IpsConfig(IpsSettings ips, int maxTunnelDepth, int maxIpv6ExtHeaders, TeredoPorts teredoPorts)
{
    /** A parser as the parser section says. */
    public PacketParser newParser()
    {
        return new PacketParser(maxTunnelDepth, maxIpv6ExtHeaders, teredoPorts);
    }
}
