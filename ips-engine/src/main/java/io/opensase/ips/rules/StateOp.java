package io.opensase.ips.rules;

import java.util.List;

/**
 * {@code flowbits} and {@code xbits}. The tests ({@code isset}, {@code isnotset}) are conditions of the rule;
 * the updates ({@code set}, {@code unset}, {@code toggle}) happen only when the whole rule matched (even with
 * {@code noalert}).
 */
public sealed interface StateOp permits StateOp.Flowbit, StateOp.Xbit
{
    /** The operations. */
    enum Command
    {
        SET,
        UNSET,
        TOGGLE,
        ISSET,
        ISNOTSET;

        /** True for tests, false for updates. */
        public boolean isTest()
        {
            return this == ISSET || this == ISNOTSET;
        }
    }

    Command command();

    /**
     * {@code flowbits:cmd,name[|name...]}: a bit of the flow. Several names (with {@code |}, tests only)
     * hold when any of them does.
     */
    record Flowbit(Command command, List<String> names) implements StateOp
    {
        public Flowbit
        {
            names = List.copyOf(names);
        }
    }

    /**
     * {@code xbits:cmd,name,track ip_src|ip_dst|ip_pair[,expire S]}: a bit of a host or host pair, shared by
     * every flow and worker, expiring {@code expireSeconds} after it was set ({@value #DEFAULT_EXPIRE_SECONDS}
     * when not given, as in Suricata). {@code ip_src} and {@code ip_dst} name the same bits of a host: set on
     * the destination of a request, tested on the source of the response.
     */
    record Xbit(Command command, String name, Track track, long expireSeconds) implements StateOp
    {
        /** Suricata's expiry of an xbit set without {@code expire}. */
        public static final long DEFAULT_EXPIRE_SECONDS = 30;
    }

    /** Whose bit an {@link Xbit} is. */
    enum Track
    {
        IP_SRC,
        IP_DST,
        IP_PAIR
    }
}
