package io.opensase.classifiers.frag;

/**
 * Which bytes a datagram keeps where a fragment overlaps bytes already held for it; a constant, for any thread.
 * <p>
 * Bytes that are the same either way (a retransmitted or duplicated fragment) are always accepted, whatever the
 * policy; only a conflicting overlap, different bytes for the same offsets, tells the policies apart. Hosts
 * resolve conflicts differently, which is what fragment evasion plays on: a sensor must resolve them the way
 * the protected hosts do, or drop such datagrams. The first three policies are among the target-based
 * policies of Judy Novak's "Target-Based Fragmentation Reassembly" (2005), which Snort's frag3 preprocessor
 * names first, last and bsd.
 */
public enum OverlapPolicy
{
    /** Bytes received first win: a later fragment only fills gaps. */
    FIRST,
    /** Bytes received last win: a later fragment overwrites what it overlaps. */
    LAST,
    /**
     * Bytes from the fragment that starts at the lower offset win; between fragments that start at the same
     * offset, the one received first (the BSD stacks). Wireshark's reassembly yields the same bytes.
     */
    BSD,
    /**
     * A conflicting overlap drops the whole datagram, counted as {@link FragmentDrop#OVERLAP}: nothing is
     * delivered that two hosts could read differently (RFC 5722 and RFC 8200 section 4.5 ask this for IPv6,
     * for any overlap that is not a duplicate).
     */
    DROP
}
