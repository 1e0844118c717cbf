package io.opensase.core.firewall;

/**
 * What one worker's firewall stage counted over every policy generation: packets by outcome, invalid packets
 * by reason, connection-limit refusals by tenant (per-rule counts are per generation, in {@link RuleCounters}).
 * Written by the worker only; summed by the control thread.
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
    /** Connection-limit refusals, by tenant id (ids stay with their tenant across policy generations). */
    private final long[] connectionsRefused = new long[PolicySnapshot.MAX_TENANT_ID + 1];

    void count(final int outcome)
    {
        outcomes[outcome]++;
    }

    void invalid(final int reason)
    {
        outcomes[INVALID]++;
        invalid[reason]++;
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
        for (int t = 0; t < connectionsRefused.length; t++)
        {
            connectionsRefused[t] += other.connectionsRefused[t];
        }
    }
}
