package io.opensase.core.firewall;

/**
 * What a firewall rule, or a tenant's default, does with a new flow's packets.
 */
public enum RuleAction
{
    ALLOW("allow"),
    DENY("deny"),
    /** Drop, and answer with a TCP RST or an ICMP unreachable out of the ingress port. */
    REJECT("reject"),
    /** Count and go on to the next rule: the only non-terminal action. */
    LOG("log");

    private final String configName;

    RuleAction(final String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }
}
