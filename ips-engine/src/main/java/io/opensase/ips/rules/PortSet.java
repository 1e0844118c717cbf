package io.opensase.ips.rules;

import java.util.Arrays;

/**
 * A resolved port list of a rule header: sorted, disjoint, inclusive {@code start, end} pairs within
 * 0..65535, with variables, groups and negations applied. Immutable.
 */
public final class PortSet
{
    /** Every port. */
    public static final PortSet ANY = new PortSet(new int[] {0, 65535});

    private final int[] ranges;

    PortSet(final int[] ranges)
    {
        this.ranges = ranges.clone();
    }

    /** The ranges as {@code start, end} pairs. */
    public int[] ranges()
    {
        return ranges.clone();
    }

    public boolean isAny()
    {
        return ranges.length == 2 && ranges[0] == 0 && ranges[1] == 65535;
    }

    public boolean contains(final int port)
    {
        for (int i = 0; i < ranges.length; i += 2)
        {
            if (port >= ranges[i] && port <= ranges[i + 1])
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof PortSet other && Arrays.equals(ranges, other.ranges);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString()
    {
        if (isAny())
        {
            return "any";
        }
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ranges.length; i += 2)
        {
            sb.append(i > 0 ? "," : "").append(ranges[i]);
            if (ranges[i + 1] != ranges[i])
            {
                sb.append(':').append(ranges[i + 1]);
            }
        }
        return sb.append(']').toString();
    }
}
