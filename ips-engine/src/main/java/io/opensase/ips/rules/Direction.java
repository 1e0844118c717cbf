package io.opensase.ips.rules;

/** The arrow between source and destination in a rule header. */
public enum Direction
{
    /** {@code ->}: source and destination as written. */
    FORWARD("->"),
    /** {@code <>}: either way round. */
    BOTH("<>");

    private final String arrow;

    Direction(final String arrow)
    {
        this.arrow = arrow;
    }

    public String arrow()
    {
        return arrow;
    }
}
