package io.opensase.classifiers.flow;

/**
 * Idle timeouts per protocol class, in nanoseconds of packet time.
 */
public record FlowTimeouts(long tcpNs, long udpNs, long icmpNs, long otherNs)
{
    public static final FlowTimeouts DEFAULT = new FlowTimeouts(
        3_600_000_000_000L, 60_000_000_000L, 30_000_000_000L, 60_000_000_000L);

    public FlowTimeouts
    {
        if (tcpNs <= 0 || udpNs <= 0 || icmpNs <= 0 || otherNs <= 0)
        {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}
