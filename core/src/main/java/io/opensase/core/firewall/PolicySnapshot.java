package io.opensase.core.firewall;

/**
 * The firewall policy workers apply: tenants compiled, stamped with a generation, with one set of rule
 * counters per worker. Built off the packet path and published whole; a flow's cached verdict carries the
 * generation it was decided under, so a new snapshot reaches existing flows on their next packet.
 * Immutable but for the counters; read by every worker.
 */
public final class PolicySnapshot
{
    /** Tenant ids are 1..MAX_TENANT_ID; 0 is "no tenant". */
    public static final int MAX_TENANT_ID = 65_535;

    private final long generation;
    private final FirewallConfig config;
    private final TenantMap tenants;
    /** Indexed by tenant id; null where no tenant has the id (0, and tenants removed by a reload). */
    private final TenantPolicy[] policies;
    private final RuleCounters[] ruleCounters;

    /**
     * Compiles every tenant's rules on the control thread, reusing the compiled policy of each tenant that
     * {@code previous} (may be null) holds unchanged.
     *
     * @param workers how many workers count rule hits.
     */
    public PolicySnapshot(final long generation, final FirewallConfig config, final String receivingPort,
        final int workers, final PolicySnapshot previous)
    {
        this.generation = generation;
        this.config = config;
        this.tenants = new TenantMap(config.tenants(), receivingPort);
        int maxId = 0;
        for (final TenantConfig tenant : config.tenants())
        {
            maxId = Math.max(maxId, tenant.id());
        }
        this.policies = new TenantPolicy[maxId + 1];
        final int[] rulesPerTenant = new int[maxId + 1];
        for (final TenantConfig tenant : config.tenants())
        {
            final TenantPolicy unchanged = null == previous ? null : previous.unchanged(tenant);
            policies[tenant.id()] = null != unchanged ? unchanged : new TenantPolicy(tenant);
            rulesPerTenant[tenant.id()] = tenant.rules().size();
        }
        this.ruleCounters = new RuleCounters[workers];
        for (int w = 0; w < workers; w++)
        {
            ruleCounters[w] = new RuleCounters(rulesPerTenant);
        }
    }

    private TenantPolicy unchanged(final TenantConfig tenant)
    {
        final TenantPolicy policy = tenant.id() < policies.length ? policies[tenant.id()] : null;
        return null != policy && policy.config().id() == tenant.id() && policy.config().samePolicyAs(tenant)
            ? policy : null;
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

    /** The policy of tenant {@code id}, or null when no tenant has that id. */
    public TenantPolicy tenant(final int id)
    {
        return id < policies.length ? policies[id] : null;
    }

    /** The rule counters worker {@code worker} writes while it runs this snapshot. */
    RuleCounters ruleCounters(final int worker)
    {
        return ruleCounters[worker];
    }

    /** Every worker's rule counts under this snapshot, summed (racy while workers run). */
    public RuleCounters ruleTotals()
    {
        final int[] rulesPerTenant = new int[policies.length];
        for (final TenantConfig tenant : config.tenants())
        {
            rulesPerTenant[tenant.id()] = tenant.rules().size();
        }
        final RuleCounters sum = new RuleCounters(rulesPerTenant);
        for (final RuleCounters worker : ruleCounters)
        {
            sum.addAll(worker);
        }
        return sum;
    }
}
