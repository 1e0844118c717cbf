package io.opensase.core.bench;

/**
 * What the benchmarked worker does with each packet.
 */
public enum BenchMode
{
    /** Receive and transmit, nothing else: the engine's floor cost against testpmd's io forwarding. */
    PASSTHROUGH("passthrough"),
    /** Parse, look up or insert the flow, count: with addresses rewritten on every pass of the capture. */
    FLOW("flow");

    private final String cliName;

    BenchMode(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }
}
