package io.opensase.core.ips;

/**
 * The IPS policy workers run, swapped whole by the control thread; each IPS stage reads it once per burst, so
 * a new rule set takes effect at a burst boundary and per-flow verdicts (a dropped flow stays dropped) carry
 * over.
 */
public final class IpsPolicyRef
{
    private volatile IpsPolicy current;

    public IpsPolicyRef(final IpsPolicy initial)
    {
        this.current = initial;
    }

    public IpsPolicy current()
    {
        return current;
    }

    /** Control thread: publishes a new policy and returns the one it replaces. */
    public IpsPolicy publish(final IpsPolicy next)
    {
        final IpsPolicy previous = current;
        current = next;
        return previous;
    }
}
