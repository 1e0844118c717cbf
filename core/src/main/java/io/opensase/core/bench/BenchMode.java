package io.opensase.core.bench;

/**
 * What the benchmarked worker does with each packet.
 */
public enum BenchMode
{
    /** Receive and transmit, nothing else: the engine's floor cost against testpmd's io forwarding. */
    PASSTHROUGH("passthrough"),
    /** Parse, look up or insert the flow, count: with addresses rewritten on every pass of the capture. */
    FLOW("flow"),
    /** Parse, look up the flow, count: the capture as it is, so after the first pass every packet's flow exists. */
    ESTABLISHED("established"),
    /** Only the address rewrite that flow mode adds: its own cost, to subtract from flow mode's. */
    REWRITE("rewrite"),
    /**
     * Flow mode and then the IPS stage with the rules given: stream reassembly, application parsers, prefilter
     * and verification on every pass's new flows.
     */
    IPS("ips");

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
