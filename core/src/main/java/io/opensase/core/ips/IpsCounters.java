package io.opensase.core.ips;

/** What one worker's IPS stage did; written by that worker, read after it stopped. */
public final class IpsCounters
{
    long packets;
    long alerts;
    long drops;
    long flowDrops;
    long passed;

    /** Adds {@code other}'s counts to these. */
    public void add(final IpsCounters other)
    {
        packets += other.packets;
        alerts += other.alerts;
        drops += other.drops;
        flowDrops += other.flowDrops;
        passed += other.passed;
    }

    public long packets()
    {
        return packets;
    }

    public long alerts()
    {
        return alerts;
    }

    /** Packets dropped because a drop or reject rule matched them. */
    public long drops()
    {
        return drops;
    }

    /** Later packets dropped because their flow was dropped. */
    public long flowDrops()
    {
        return flowDrops;
    }

    /** Packets on which a pass rule ended their flow's inspection. */
    public long passed()
    {
        return passed;
    }
}
