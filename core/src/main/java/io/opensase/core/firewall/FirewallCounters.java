package io.opensase.core.firewall;

/**
 * What one worker's firewall stage counted: packets by outcome, invalid packets by reason, and per tenant
 * and rule packets, bytes and last hit. Written by the worker only; summed once the workers have stopped.
 */
public final class FirewallCounters
{
    public static final int ALLOWED = 0;
    public static final int DENIED = 1;
    public static final int REJECTED = 2;
    public static final int INVALID = 3;
    public static final int GENERATED = 4;
    public static final int LOGGED = 5;
    public static final int RELATED = 6;
    private static final int OUTCOMES = 7;
    /** Invalid reasons, by {@code TcpTracker.INVALID_*} (1..4) and 5 for malformed IP packets. */
    public static final int INVALID_MALFORMED = 5;
    private static final int INVALID_REASONS = 6;

    private final long[] outcomes = new long[OUTCOMES];
    private final long[] invalid = new long[INVALID_REASONS];
    /** Per tenant: per rule index, then the default action, then the connection limit refusals. */
    private final long[][] packets;
    private final long[][] bytes;
    private final long[][] lastHitNs;
    private final long[] connectionsRefused;

    /**
     * @param rulesPerTenant rule count of each tenant, indexed by tenant id (entry 0, no tenant, is 0).
     */
    public FirewallCounters(final int[] rulesPerTenant)
    {
        packets = new long[rulesPerTenant.length][];
        bytes = new long[rulesPerTenant.length][];
        lastHitNs = new long[rulesPerTenant.length][];
        for (int t = 0; t < rulesPerTenant.length; t++)
        {
            packets[t] = new long[rulesPerTenant[t] + 1];
            bytes[t] = new long[rulesPerTenant[t] + 1];
            lastHitNs[t] = new long[rulesPerTenant[t] + 1];
        }
        connectionsRefused = new long[rulesPerTenant.length];
    }

    void count(final int outcome)
    {
        outcomes[outcome]++;
    }

    void invalid(final int reason)
    {
        outcomes[INVALID]++;
        invalid[reason]++;
    }

    /** A packet decided by rule {@code rule} of tenant {@code tenant}, or by its default when rule is -1. */
    void hit(final int tenant, final int rule, final int length, final long nowNs)
    {
        final int slot = rule < 0 ? packets[tenant].length - 1 : rule;
        packets[tenant][slot]++;
        bytes[tenant][slot] += length;
        lastHitNs[tenant][slot] = nowNs;
    }

    void connectionRefused(final int tenant)
    {
        connectionsRefused[tenant]++;
    }

    public long outcome(final int outcome)
    {
        return outcomes[outcome];
    }

    public long invalidReason(final int reason)
    {
        return invalid[reason];
    }

    /** Packets of tenant {@code tenant} decided by rule {@code rule}, or by the default for -1. */
    public long packets(final int tenant, final int rule)
    {
        return packets[tenant][rule < 0 ? packets[tenant].length - 1 : rule];
    }

    public long bytes(final int tenant, final int rule)
    {
        return bytes[tenant][rule < 0 ? bytes[tenant].length - 1 : rule];
    }

    /** Packet time of the rule's last hit, 0 when never hit. */
    public long lastHitNs(final int tenant, final int rule)
    {
        return lastHitNs[tenant][rule < 0 ? lastHitNs[tenant].length - 1 : rule];
    }

    public long connectionsRefused(final int tenant)
    {
        return connectionsRefused[tenant];
    }

    /** Adds another worker's counts into these. */
    public void addAll(final FirewallCounters other)
    {
        for (int o = 0; o < OUTCOMES; o++)
        {
            outcomes[o] += other.outcomes[o];
        }
        for (int r = 0; r < INVALID_REASONS; r++)
        {
            invalid[r] += other.invalid[r];
        }
        for (int t = 0; t < packets.length; t++)
        {
            for (int r = 0; r < packets[t].length; r++)
            {
                packets[t][r] += other.packets[t][r];
                bytes[t][r] += other.bytes[t][r];
                lastHitNs[t][r] = Math.max(lastHitNs[t][r], other.lastHitNs[t][r]);
            }
            connectionsRefused[t] += other.connectionsRefused[t];
        }
    }
}
