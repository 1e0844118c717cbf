package io.opensase.core.config;

/**
 * What the engine does with a packet the parser found malformed (it is counted either way).
 */
public enum MalformedAction
{
    FORWARD("forward"),
    DROP("drop");

    private final String configName;

    MalformedAction(final String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }
}
