package io.opensase.core.firewall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tenant ids that stay with their tenant's name for the engine's life. The id is part of every flow key, so a
 * reload that kept a tenant but moved it in the file must not change its id: its flows and their state would
 * be lost. A new name takes the next unused id; a removed tenant's id is not given to another. Control
 * thread only.
 */
public final class TenantIds
{
    private final Map<String, Integer> ids = new HashMap<>();
    private int next = 1;

    /**
     * The configuration with each tenant's id replaced by its name's id.
     *
     * @throws IllegalArgumentException when the engine has used up its {@link PolicySnapshot#MAX_TENANT_ID} ids
     *                                  (then only a restart gives new ones).
     */
    public FirewallConfig assign(final FirewallConfig config)
    {
        int fresh = 0;
        for (final TenantConfig tenant : config.tenants())
        {
            fresh += ids.containsKey(tenant.name()) ? 0 : 1;
        }
        if (next - 1 + fresh > PolicySnapshot.MAX_TENANT_ID)
        {
            throw new IllegalArgumentException("this engine has given out " + (next - 1) + " tenant ids, and "
                + fresh + " new tenants would pass " + PolicySnapshot.MAX_TENANT_ID + ": restart the engine");
        }
        final List<TenantConfig> tenants = new ArrayList<>(config.tenants().size());
        for (final TenantConfig tenant : config.tenants())
        {
            final int id = ids.computeIfAbsent(tenant.name(), name -> next++);
            tenants.add(new TenantConfig(tenant.name(), id, tenant.selectors(), tenant.inside(), tenant.rules(),
                tenant.defaultAction(), tenant.maxConnections()));
        }
        return new FirewallConfig(tenants, config.unmatched(), config.invalid(), config.midstreamPickup(),
            config.failOpen(), config.tcpOpeningNs(), config.tcpClosingNs(), config.tcpClosedNs(),
            config.fragmentTimeoutNs());
    }
}
