package io.opensase.core.firewall;

/**
 * Per tenant and rule of one policy generation: packets, bytes and last hit, as one worker counted them.
 * Each {@link PolicySnapshot} holds one per worker, made with it on the control thread, so a worker never
 * allocates when a new policy arrives and rule indexes always mean the rules of the snapshot they count for.
 * Written by its worker only; read (summed) by the control thread, racily while the worker runs.
 */
public final class RuleCounters
{
    /** Indexed by tenant id, then rule index; each tenant's last entry is its default action. */
    private final long[][] packets;
    private final long[][] bytes;
    private final long[][] lastHitNs;

    /**
     * @param rulesPerTenant rule count of each tenant, indexed by tenant id; -1 for an id no tenant has.
     */
    public RuleCounters(final int[] rulesPerTenant)
    {
        packets = new long[rulesPerTenant.length][];
        bytes = new long[rulesPerTenant.length][];
        lastHitNs = new long[rulesPerTenant.length][];
        for (int t = 0; t < rulesPerTenant.length; t++)
        {
            final int entries = rulesPerTenant[t] + 1;
            packets[t] = new long[entries];
            bytes[t] = new long[entries];
            lastHitNs[t] = new long[entries];
        }
    }

    /** A packet decided by rule {@code rule} of tenant {@code tenant}, or by its default when rule is -1. */
    void hit(final int tenant, final int rule, final int length, final long nowNs)
    {
        final int slot = rule < 0 ? packets[tenant].length - 1 : rule;
        packets[tenant][slot]++;
        bytes[tenant][slot] += length;
        lastHitNs[tenant][slot] = nowNs;
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

    /** Adds another worker's counts of the same snapshot into these. */
    public void addAll(final RuleCounters other)
    {
        for (int t = 0; t < packets.length; t++)
        {
            for (int r = 0; r < packets[t].length; r++)
            {
                packets[t][r] += other.packets[t][r];
                bytes[t][r] += other.bytes[t][r];
                lastHitNs[t][r] = Math.max(lastHitNs[t][r], other.lastHitNs[t][r]);
            }
        }
    }
}
