package io.opensase.core.engine;

import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.firewall.PolicySnapshot;
import io.opensase.core.firewall.RuleCounters;

/**
 * The firewall's counts summed over the workers: outcomes over the whole run, and rule hits under the policy
 * running at the end (which names the tenants and rules).
 */
public record FirewallTotals(PolicySnapshot policy, FirewallCounters counters, RuleCounters rules)
{
}
