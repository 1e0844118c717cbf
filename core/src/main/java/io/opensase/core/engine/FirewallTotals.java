package io.opensase.core.engine;

import io.opensase.core.firewall.FirewallCounters;
import io.opensase.core.firewall.PolicySnapshot;

/**
 * The firewall's counts summed over the workers, with the policy they were counted under (tenant and rule
 * names for the report).
 */
public record FirewallTotals(PolicySnapshot policy, FirewallCounters counters)
{
}
