package io.opensase.core.bench;

import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.IpPrefix;
import io.opensase.core.firewall.FirewallConfig;
import io.opensase.core.firewall.RuleAction;
import io.opensase.core.firewall.RuleConfig;
import io.opensase.core.firewall.TenantConfig;
import io.opensase.core.firewall.TenantSelector;

import java.util.ArrayList;
import java.util.List;

/**
 * The firewall {@code opensase bench --rules} loads: one tenant taking every packet (selected by the prefix
 * 0.0.0.0/0), whose ordered rules are the ClassBench rules, each allowing, with deny as the default. Nothing is
 * inside, so every packet is inbound; the rules name no direction.
 */
final class BenchFirewall
{
    private static final long SECOND_NS = 1_000_000_000L;

    private BenchFirewall()
    {
    }

    static FirewallConfig of(final List<AclRule> rules)
    {
        final List<RuleConfig> configured = new ArrayList<>(rules.size());
        for (int r = 0; r < rules.size(); r++)
        {
            final AclRule rule = rules.get(r);
            final int protocol = 0 == rule.protocolMask() ? -1 : rule.protocol();
            if (0 != rule.protocolMask() && 0xFF != rule.protocolMask())
            {
                throw new IllegalArgumentException("rule " + r + ": protocol mask " + rule.protocolMask()
                    + "; the firewall names one protocol or any (masks 0xFF or 0x00)");
            }
            configured.add(new RuleConfig("rule-" + r, r + 1, RuleAction.ALLOW, rule.direction(), protocol,
                List.of(rule.source()), List.of(rule.destination()), List.of(rule.sourcePorts()),
                List.of(rule.destinationPorts()), rule.icmpType(), rule.icmpCode(), rule.tcpFlags(),
                rule.tcpFlagsMask()));
        }
        final TenantConfig tenant = new TenantConfig("bench", 1,
            List.of(new TenantSelector(null, -1, -1, -1, IpPrefix.ANY_V4)), List.of(), configured, RuleAction.DENY, 0);
        return new FirewallConfig(List.of(tenant), RuleAction.DENY, RuleAction.DENY, true, false, 60 * SECOND_NS,
            120 * SECOND_NS, 10 * SECOND_NS, 30 * SECOND_NS);
    }
}
