package io.opensase.core.firewall;

/**
 * The firewall policy workers apply: tenants compiled, stamped with a generation. Built off the packet path
 * and published whole; a flow's cached verdict carries the generation it was decided under, so a new
 * snapshot reaches existing flows on their next packet. Immutable; read by every worker.
 */
public final class PolicySnapshot
{
    private final long generation;
    private final FirewallConfig config;
    private final TenantMap tenants;
    /** Indexed by tenant id; entry 0 (no tenant) is null. */
    private final TenantPolicy[] policies;

    /** Compiles every tenant's rules: control thread, off the packet path. */
    public PolicySnapshot(final long generation, final FirewallConfig config, final String receivingPort)
    {
        this.generation = generation;
        this.config = config;
        this.tenants = new TenantMap(config.tenants(), receivingPort);
        this.policies = new TenantPolicy[config.tenants().size() + 1];
        for (final TenantConfig tenant : config.tenants())
        {
            policies[tenant.id()] = new TenantPolicy(tenant);
        }
    }

    public long generation()
    {
        return generation;
    }

    public FirewallConfig config()
    {
        return config;
    }

    public TenantMap tenants()
    {
        return tenants;
    }

    /** The policy of tenant {@code id}, or null for {@link TenantMap#NO_TENANT}. */
    public TenantPolicy tenant(final int id)
    {
        return policies[id];
    }

    public int tenantCount()
    {
        return policies.length - 1;
    }
}
