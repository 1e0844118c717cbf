package io.opensase.core.firewall;

import io.opensase.classifiers.acl.IpPrefix;

import java.util.List;

/**
 * One tenant: how its packets are recognised, which prefixes are inside, its ordered rules, what happens
 * when none matches, and how many connections it may hold per worker.
 *
 * @param id             1-based position in the configuration; 0 is "no tenant".
 * @param maxConnections tracked connections per worker at most; 0 for no limit.
 */
public record TenantConfig(
    String name,
    int id,
    List<TenantSelector> selectors,
    List<IpPrefix> inside,
    List<RuleConfig> rules,
    RuleAction defaultAction,
    int maxConnections)
{
    public TenantConfig
    {
        selectors = List.copyOf(selectors);
        inside = List.copyOf(inside);
        rules = List.copyOf(rules);
    }

    /**
     * Whether {@code other} configures the same tenant the same way: every field but the id and the line
     * numbers its rules were read from.
     */
    public boolean samePolicyAs(final TenantConfig other)
    {
        if (!name.equals(other.name) || !selectors.equals(other.selectors) || !inside.equals(other.inside)
            || defaultAction != other.defaultAction || maxConnections != other.maxConnections
            || rules.size() != other.rules.size())
        {
            return false;
        }
        for (int r = 0; r < rules.size(); r++)
        {
            if (!rules.get(r).withLine(0).equals(other.rules.get(r).withLine(0)))
            {
                return false;
            }
        }
        return true;
    }
}
