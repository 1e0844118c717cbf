package io.opensase.core.firewall;

/**
 * The policy snapshot workers read, swapped whole by the control thread. Workers read it once per burst,
 * so a new snapshot takes effect at a burst boundary.
 */
public final class PolicyRef
{
    private volatile PolicySnapshot current;

    public PolicyRef(final PolicySnapshot initial)
    {
        this.current = initial;
    }

    public PolicySnapshot current()
    {
        return current;
    }

    /** Control thread: publishes a new snapshot. */
    public void publish(final PolicySnapshot snapshot)
    {
        current = snapshot;
    }
}
