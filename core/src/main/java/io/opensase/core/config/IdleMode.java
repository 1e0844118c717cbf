package io.opensase.core.config;

/**
 * What a poll loop does when a pass found no work.
 */
public enum IdleMode
{
    /** Spin without yielding the core: lowest latency, one full core per loop (production on dedicated cores). */
    BUSY_SPIN("busy_spin"),
    /** Spin, then yield, then park for growing intervals up to 1 ms: shares cores politely (tests, laptops). */
    BACKOFF("backoff"),
    /** Park 1 ms after every empty pass. */
    SLEEP("sleep");

    private final String configName;

    IdleMode(final String configName)
    {
        this.configName = configName;
    }

    public String configName()
    {
        return configName;
    }
}
