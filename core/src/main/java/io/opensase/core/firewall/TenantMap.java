package io.opensase.core.firewall;

import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.parse.Protocol;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;

import io.opensase.classifiers.acl.IpPrefix;

import java.util.ArrayList;
import java.util.List;

/**
 * Which tenant a packet belongs to, by its selectors in order of precedence: the receiving port with a QinQ
 * pair, the receiving port with its outer VLAN, the tunnel's VNI, then the longest prefix holding the
 * packet's source, then the longest holding its destination (so that return traffic finds the tenant its
 * outbound traffic did). 0 when no selector takes the packet. Immutable; read by every worker.
 */
public final class TenantMap
{
    /** The tenant id of packets no selector takes. */
    public static final int NO_TENANT = 0;

    private final Int2IntHashMap byQinq = new Int2IntHashMap(NO_TENANT);
    private final Int2IntHashMap byVlan = new Int2IntHashMap(NO_TENANT);
    private final Long2LongHashMap byVni = new Long2LongHashMap(NO_TENANT);
    private final PrefixLookup prefixes;
    /** Packets holding any of these were tunnelled: their tenant is chosen by the outer addresses. */
    private static final int TUNNELS = Protocol.IPIP.bit() | Protocol.GRE.bit() | Protocol.VXLAN.bit()
        | Protocol.GENEVE.bit() | Protocol.TEREDO.bit();

    /**
     * @param receivingPort name of the port the engine receives on: selectors naming another port never
     *                      match.
     */
    public TenantMap(final List<TenantConfig> tenants, final String receivingPort)
    {
        final List<IpPrefix> prefixList = new ArrayList<>();
        final List<Integer> prefixTenantList = new ArrayList<>();
        for (final TenantConfig tenant : tenants)
        {
            for (final TenantSelector selector : tenant.selectors())
            {
                final boolean onThisPort = null == selector.port() || selector.port().equals(receivingPort);
                if (selector.innerVlan() >= 0 && onThisPort)
                {
                    byQinq.putIfAbsent(selector.outerVlan() << 12 | selector.innerVlan(), tenant.id());
                }
                else if (selector.outerVlan() >= 0 && onThisPort)
                {
                    byVlan.putIfAbsent(selector.outerVlan(), tenant.id());
                }
                else if (selector.vni() >= 0 && onThisPort)
                {
                    if (!byVni.containsKey(selector.vni()))
                    {
                        byVni.put(selector.vni(), tenant.id());
                    }
                }
                else if (null != selector.prefix() && onThisPort)
                {
                    prefixList.add(selector.prefix());
                    prefixTenantList.add(tenant.id());
                }
            }
        }
        prefixes = new PrefixLookup(prefixList, prefixTenantList, true, true);
    }

    /**
     * The tenant of parsed packet {@code i}, whose bytes start at {@code data}. Prefixes are matched against the
     * outermost IP header: a tunnel's inner addresses are its sender's to choose, so they must not pick the
     * policy that judges it.
     */
    public int tenantOf(final ParsedPackets parsed, final int i, final long data)
    {
        final int outer = parsed.vlanOuter(i);
        if (ParsedPackets.NO_VLAN != outer)
        {
            final int inner = parsed.vlanInner(i);
            if (ParsedPackets.NO_VLAN != inner)
            {
                final int tenant = byQinq.get(outer << 12 | inner);
                if (NO_TENANT != tenant)
                {
                    return tenant;
                }
            }
            final int tenant = byVlan.get(outer);
            if (NO_TENANT != tenant)
            {
                return tenant;
            }
        }
        final long tunnel = parsed.tunnelId(i);
        if (ParsedPackets.NO_TUNNEL != tunnel)
        {
            final long tenant = byVni.get(tunnel);
            if (NO_TENANT != tenant)
            {
                return (int)tenant;
            }
        }
        final int version = parsed.ipVersion(i);
        if (0 == version)
        {
            return NO_TENANT;
        }
        final int tenant = 0 == (parsed.protocols(i) & TUNNELS) ? prefixes.lookup(6 == version, parsed.srcHi(i),
            parsed.srcLo(i), parsed.dstHi(i), parsed.dstLo(i)) : byOuterAddresses(parsed, i, data);
        return PrefixLookup.NONE == tenant ? NO_TENANT : tenant;
    }

    private int byOuterAddresses(final ParsedPackets parsed, final int i, final long data)
    {
        for (int layer = 0; layer < parsed.layerCount(i); layer++)
        {
            final LayerType type = LayerType.of(parsed.layerType(i, layer));
            final long ip = data + parsed.layerOffset(i, layer);
            if (LayerType.IPV4 == type)
            {
                return prefixes.lookup(false, 0, PacketMemory.u32(PacketMemory.ALL, ip + 12), 0,
                    PacketMemory.u32(PacketMemory.ALL, ip + 16));
            }
            if (LayerType.IPV6 == type)
            {
                return prefixes.lookup(true, PacketMemory.u64(PacketMemory.ALL, ip + 8),
                    PacketMemory.u64(PacketMemory.ALL, ip + 16), PacketMemory.u64(PacketMemory.ALL, ip + 24),
                    PacketMemory.u64(PacketMemory.ALL, ip + 32));
            }
        }
        return PrefixLookup.NONE;
    }
}
