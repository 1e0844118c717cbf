package io.opensase.core.firewall;

/**
 * A packet's direction relative to its tenant: outbound when its source is one of the tenant's inside
 * prefixes, inbound otherwise.
 */
public enum Direction
{
    ANY("any"),
    INBOUND("inbound"),
    OUTBOUND("outbound");

    private final String configName;

    Direction(final String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }
}
