package io.opensase.classifiers.frag;

/**
 * What the reassembler does when a fragment needs a datagram slot or memory that its limits do not leave free,
 * after timed-out datagrams have been dropped.
 */
public enum LimitPolicy
{
    /** Drop the oldest incomplete datagram, repeatedly, until there is room (counted as evicted). */
    DROP_OLDEST,
    /** Refuse the new fragment and keep what is held (counted as refused). */
    REFUSE_NEW
}
