package io.opensase.ips.rules;

/**
 * {@code flow:...}: the flow's state, the packet's direction in it, and whether payload keywords inspect the
 * reassembled stream, single packets, or both.
 */
public record FlowCondition(State state, Side side, Mode mode)
{
    /** A rule without {@code flow}. */
    public static final FlowCondition ANY = new FlowCondition(State.ANY, Side.ANY, Mode.ANY);

    /** Connection state. */
    public enum State
    {
        ANY,
        /** TCP handshake completed (UDP: traffic seen both ways). */
        ESTABLISHED,
        NOT_ESTABLISHED,
        /** Packets not tracked in a flow. */
        STATELESS
    }

    /** Direction. */
    public enum Side
    {
        ANY,
        /** {@code to_server} / {@code from_client}. */
        TO_SERVER,
        /** {@code to_client} / {@code from_server}. */
        TO_CLIENT
    }

    /** Stream or packet inspection. */
    public enum Mode
    {
        ANY,
        /** {@code only_stream}: only reassembled stream data. */
        ONLY_STREAM,
        /** {@code no_stream}: only single packets. */
        NO_STREAM
    }
}
