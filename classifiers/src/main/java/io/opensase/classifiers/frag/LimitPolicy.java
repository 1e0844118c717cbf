package io.opensase.classifiers.frag;

/**
 * What the reassembler does when a fragment needs a slot or memory its limits do not leave; a constant, for any
 * thread.
 * <p>
 * Timed-out datagrams are always dropped first; the policy decides what happens when that is not enough.
 */
public enum LimitPolicy
{
    /** Drop the oldest incomplete datagram, repeatedly, until there is room (counted as evicted). */
    DROP_OLDEST,
    /** Refuse the new fragment and keep what is held (counted as refused). */
    REFUSE_NEW
}
