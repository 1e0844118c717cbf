package io.opensase.core.firewall;

import java.util.List;

/**
 * One tenant's compiled policy: its inside prefixes (which decide direction), its terminal rules and its log
 * rules as classifiers, the configured rules (for names and actions) and its default action. Immutable.
 */
public final class TenantPolicy
{
    private final TenantConfig config;
    private final IpPrefix[] inside;
    private final RuleMatcher terminal;
    private final RuleMatcher log;
    private final RuleAction[] actions;

    TenantPolicy(final TenantConfig config, final RuleMatcher terminal, final RuleMatcher log)
    {
        this.config = config;
        this.inside = config.inside().toArray(IpPrefix[]::new);
        this.terminal = terminal;
        this.log = log;
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
    public Direction direction(final int version, final long srcHi, final long srcLo)
    {
        for (final IpPrefix prefix : inside)
        {
            if (prefix.contains(version, srcHi, srcLo))
            {
                return Direction.OUTBOUND;
            }
        }
        return Direction.INBOUND;
    }

    public RuleMatcher terminal()
    {
        return terminal;
    }

    public RuleMatcher log()
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
