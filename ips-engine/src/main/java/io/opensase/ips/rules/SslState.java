package io.opensase.ips.rules;

/**
 * {@code ssl_state:[!]state[|[!]state...]} (or comma-separated): holds when any listed state was seen (or,
 * for a negated one, not seen).
 *
 * @param states  bits of the states named without {@code !}.
 * @param negated bits of the states named with {@code !}.
 */
public record SslState(int states, int negated) implements Condition
{
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int CLIENT_KEYX = 4;
    public static final int SERVER_KEYX = 8;
    /** A handshake message of another type. */
    public static final int UNKNOWN = 16;
}
