package io.opensase.core.metrics;

/**
 * One value in the stats file: its stable name and whether it is a gauge (a level, such as flows active)
 * rather than a counter (a count that only grows while the engine runs, so that a rate means something).
 */
public record StatsCounter(String name, boolean gauge)
{
    /** Longest name a record holds: 62 bytes of {@code a-z 0-9 _ .}. */
    public static final int MAX_NAME_LENGTH = 62;

    public StatsCounter
    {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.matches("[a-z0-9_.]+"))
        {
            throw new IllegalArgumentException("stats counter name '" + name + "': 1.." + MAX_NAME_LENGTH
                + " characters of a-z, 0-9, '_' and '.'");
        }
    }
}
