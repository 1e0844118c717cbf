package io.opensase.ips.match;

/**
 * Receives the matches of one prefilter scan, on the scanning thread, in the order the engine finds them
 * (not necessarily by end offset). Must not throw: a Hyperscan scan calls it from native code.
 */
@FunctionalInterface
public interface MatchSink
{
    /**
     * @param literalId the {@link Literal#id()} found.
     * @param end       offset just past the literal's last byte, from the start of the scanned data.
     */
    void onMatch(int literalId, int end);
}
