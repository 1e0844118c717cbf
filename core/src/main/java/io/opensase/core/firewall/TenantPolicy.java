package io.opensase.core.firewall;

import io.opensase.classifiers.acl.Direction;

import java.util.List;

/**
 * One tenant's compiled policy: its inside prefixes (which decide direction), its terminal rules and its log
 * rules as classifiers, the configured rules (for names and actions) and its default action. Immutable.
 */
public final class TenantPolicy
{
    private final TenantConfig config;
    private final PrefixLookup inside;
    private final CompiledRules terminal;
    private final CompiledRules log;
    private final RuleAction[] actions;

    TenantPolicy(final TenantConfig config)
    {
        this.config = config;
        this.inside = new PrefixLookup(config.inside(), config.inside().stream().map(p -> 1).toList(), true, false);
        this.terminal = CompiledRules.compile(config.rules(), true);
        this.log = CompiledRules.compile(config.rules(), false);
        this.actions = config.rules().stream().map(RuleConfig::action).toArray(RuleAction[]::new);
    }

    public TenantConfig config()
    {
        return config;
    }

    public int id()
    {
        return config.id();
    }

    /** Outbound when the source is one of the tenant's inside prefixes. */
    public Direction direction(final boolean ipv6, final long srcHi, final long srcLo)
    {
        return PrefixLookup.NONE == inside.lookup(ipv6, srcHi, srcLo, 0, 0) ? Direction.INBOUND : Direction.OUTBOUND;
    }

    public CompiledRules terminal()
    {
        return terminal;
    }

    public CompiledRules log()
    {
        return log;
    }

    /** Action of configured rule {@code index}. */
    public RuleAction action(final int index)
    {
        return actions[index];
    }

    public RuleAction defaultAction()
    {
        return config.defaultAction();
    }

    public int maxConnections()
    {
        return config.maxConnections();
    }

    public List<RuleConfig> rules()
    {
        return config.rules();
    }
}
