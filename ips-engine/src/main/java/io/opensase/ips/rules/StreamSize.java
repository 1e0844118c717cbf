package io.opensase.ips.rules;

/**
 * {@code stream_size:side,op,N}: compares the bytes of the reassembled TCP stream seen so far (next
 * sequence number minus initial, per side) with N.
 */
public record StreamSize(Side side, IntMatch match) implements Condition
{
    /** Which stream, or how to combine the two. */
    public enum Side
    {
        /** Data sent by the server. */
        SERVER,
        /** Data sent by the client. */
        CLIENT,
        /** Both sides must pass. */
        BOTH,
        /** Either side passes. */
        EITHER
    }
}
