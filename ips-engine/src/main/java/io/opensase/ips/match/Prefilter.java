package io.opensase.ips.match;

/**
 * A compiled set of literal groups: immutable and shared by every thread once built. Each thread scans
 * through its own {@link PrefilterScanner}. Built off the packet path ({@link Prefilters#compile}).
 * <p>
 * A group is a set of literals searched together, one per buffer kind in the rule matcher (and one for the
 * payload literals of packet rules, see {@link RuleMatcher#PACKET_PAYLOAD_GROUP}). Literal ids are unique in a
 * group, so that a match names its literal alone; a literal may be in several groups with the same id.
 */
public interface Prefilter extends AutoCloseable
{
    /** {@link PrefilterEngine#HYPERSCAN} or {@link PrefilterEngine#JAVA}; never {@code AUTO}. */
    PrefilterEngine engine();

    /**
     * One line naming the engine, its version and the pattern set, and, when {@code AUTO} did not get
     * Hyperscan, why: what the engine reports at start-up.
     */
    String description();

    /** Number of groups, including empty ones. */
    int groupCount();

    /** Literals in {@code group}. */
    int literalCount(int group);

    /** One plus the largest literal id. */
    int idLimit();

    /**
     * True when each literal is reported at most once per scan, at one of its end offsets (Hyperscan's
     * {@code HS_FLAG_SINGLEMATCH}), false when every end offset is reported.
     */
    boolean singleMatch();

    /** A scanner for the calling thread; close it when the thread is done. */
    PrefilterScanner newScanner();

    /** Frees native memory; no scanner may be used afterwards. */
    @Override
    void close();
}
