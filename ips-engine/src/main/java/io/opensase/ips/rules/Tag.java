package io.opensase.ips.rules;

/**
 * {@code tag:session|host[,count,packets|bytes|seconds[,src|dst]]}: after a match, the engine logs the
 * next {@code count} units of the session or host (default 256 packets; host default the destination).
 */
public record Tag(Scope scope, long count, Metric metric, HostSide hostSide)
{
    /** What is tagged. */
    public enum Scope
    {
        SESSION,
        HOST
    }

    /** The unit of {@code count}. */
    public enum Metric
    {
        PACKETS,
        BYTES,
        SECONDS
    }

    /** Which host of the alert's packet a host tag follows; {@link #NONE} for session tags. */
    public enum HostSide
    {
        NONE,
        SRC,
        DST
    }
}
