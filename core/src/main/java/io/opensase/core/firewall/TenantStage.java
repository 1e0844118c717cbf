package io.opensase.core.firewall;

import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.Stage;

/**
 * Sets every packet's tenant, before the flow stage, since the tenant is part of the flow key (overlapping
 * tenant address spaces stay apart). Runs only where a firewall is configured; without one every packet is
 * tenant 0.
 */
public final class TenantStage implements Stage
{
    private final PolicyRef policy;

    public TenantStage(final PolicyRef policy)
    {
        this.policy = policy;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        final TenantMap tenants = policy.current().tenants();
        for (int i = 0; i < burst.size(); i++)
        {
            burst.setTenant(i, tenants.tenantOf(burst.parsed(), i, burst.data(i)));
        }
    }
}
