package io.opensase.classifiers.stream;

/**
 * Which bytes a TCP stream keeps where segments overlap with different bytes; a constant, for any thread.
 * <p>
 * The policies differ only for bytes that are held out of order and not yet delivered. Bytes already delivered
 * to the {@link StreamSink} are final under both: a later segment that carries other bytes for them is counted
 * ({@link StreamCounters#conflicts()}) and its bytes are dropped, as the receiving host, which has already
 * passed them up, drops them too. Identical bytes (a retransmission) are accepted under both and counted as a
 * retransmission or an overlap, never as a conflict. Hosts resolve conflicts differently, which is what
 * overlap evasion plays on: choose the policy of the protected hosts.
 */
public enum OverlapPolicy
{
    /** Bytes received first win: a later segment only fills holes (Windows, BSD and Linux for in-order data). */
    FIRST,
    /** Bytes received last win: a later segment overwrites the buffered, undelivered bytes it overlaps. */
    LAST
}
