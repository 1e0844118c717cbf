package io.opensase.classifiers.acl;

/**
 * Direction of a packet relative to its tenant, as a rule requires it. Immutable; any thread.
 * <p>
 * A packet's direction is passed to the classifier as {@link #code()}: {@code 1} inbound, {@code 2} outbound,
 * {@code 0} when unknown (then only rules with {@link #ANY} match).
 */
public enum Direction
{
    /** The rule matches packets in either direction, and packets whose direction is unknown. */
    ANY(0),
    /** The rule matches inbound packets only (source outside the tenant). */
    INBOUND(1),
    /** The rule matches outbound packets only (source inside the tenant). */
    OUTBOUND(2);

    private final int code;

    Direction(final int code)
    {
        this.code = code;
    }

    /** The packet-side code: 0 unknown or any, 1 inbound, 2 outbound. */
    public int code()
    {
        return code;
    }
}
