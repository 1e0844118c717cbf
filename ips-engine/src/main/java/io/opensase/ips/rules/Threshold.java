package io.opensase.ips.rules;

/**
 * {@code threshold:type T, track K, count C, seconds S}: {@code limit} alerts on the first C matches per
 * period of S seconds; {@code threshold} on every C-th match in the period; {@code both} once per period,
 * at the C-th match.
 */
public record Threshold(Type type, Track track, long count, long seconds)
{
    /** The kinds. */
    public enum Type
    {
        LIMIT,
        THRESHOLD,
        BOTH
    }

    /** What the counts are kept per. */
    public enum Track
    {
        BY_SRC,
        BY_DST,
        /** One count for the rule. */
        BY_RULE,
        /** Per source and destination pair. */
        BY_BOTH
    }
}
