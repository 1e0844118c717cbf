package io.opensase.classifiers.frag;

/**
 * Which bytes a datagram keeps where a fragment overlaps bytes already held for it. Bytes that are the same
 * either way (a retransmitted or duplicated fragment) are always accepted, whatever the policy; only a
 * conflicting overlap, different bytes for the same offsets, tells the policies apart.
 * <p>
 * The names follow the target-based reassembly policies of Novak and Sturges ("Target-Based TCP Stream
 * Reassembly" and "Target-Based Fragmentation Reassembly", 2005), as Snort's frag3 names them: a sensor that
 * inspects the datagram a host will see must resolve overlaps the way that host does.
 */
public enum OverlapPolicy
{
    /** Bytes received first win: a later fragment only fills gaps (Windows-like). */
    FIRST,
    /** Bytes received last win: a later fragment overwrites what it overlaps (Cisco IOS-like). */
    LAST,
    /**
     * Bytes from the fragment that starts at the lower offset win; between fragments that start at the same
     * offset, the one received first (BSD). This is also what Wireshark's reassembly yields.
     */
    BSD,
    /**
     * A conflicting overlap drops the whole datagram, counted as {@link FragmentDrop#OVERLAP}: nothing is
     * delivered that two hosts could read differently (RFC 5722 and RFC 8200 section 4.5 ask this for IPv6).
     */
    DROP
}
