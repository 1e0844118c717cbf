package io.opensase.ips.rules;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A resolved address list of a rule header: sorted, disjoint, inclusive ranges per address family, with
 * variables, groups and negations already applied. Immutable; the arrays are copied out.
 * <p>
 * IPv4 ranges are pairs {@code start, end} of unsigned 32-bit values in longs; IPv6 ranges are quadruples
 * {@code startHigh, startLow, endHigh, endLow} of the address's two 64-bit halves (compare unsigned).
 * A family with no range matches no address of that family: negating an IPv4-only list yields IPv4 only,
 * as Suricata does.
 */
public final class AddressSet
{
    static final BigInteger V4_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    static final BigInteger V6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final BigInteger LOW64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** Every IPv4 and IPv6 address. */
    public static final AddressSet ANY = new AddressSet(
        Collections.singletonList(new BigInteger[] {BigInteger.ZERO, V4_MAX}),
        Collections.singletonList(new BigInteger[] {BigInteger.ZERO, V6_MAX}));

    private final long[] v4;
    private final long[] v6;

    AddressSet(final List<BigInteger[]> v4Ranges, final List<BigInteger[]> v6Ranges)
    {
        final List<BigInteger[]> a = normalise(v4Ranges);
        final List<BigInteger[]> b = normalise(v6Ranges);
        v4 = new long[a.size() * 2];
        for (int i = 0; i < a.size(); i++)
        {
            v4[2 * i] = a.get(i)[0].longValue();
            v4[2 * i + 1] = a.get(i)[1].longValue();
        }
        v6 = new long[b.size() * 4];
        for (int i = 0; i < b.size(); i++)
        {
            v6[4 * i] = a(b.get(i)[0], true);
            v6[4 * i + 1] = a(b.get(i)[0], false);
            v6[4 * i + 2] = a(b.get(i)[1], true);
            v6[4 * i + 3] = a(b.get(i)[1], false);
        }
    }

    private static long a(final BigInteger value, final boolean high)
    {
        return (high ? value.shiftRight(64) : value.and(LOW64)).longValue();
    }

    /** IPv4 ranges as {@code start, end} pairs (unsigned 32-bit values). */
    public long[] ipv4Ranges()
    {
        return v4.clone();
    }

    /** IPv6 ranges as {@code startHigh, startLow, endHigh, endLow} quadruples (unsigned halves). */
    public long[] ipv6Ranges()
    {
        return v6.clone();
    }

    /** True when every address of both families is in the set. */
    public boolean isAny()
    {
        return v4.length == 2 && v4[0] == 0 && v4[1] == 0xFFFF_FFFFL
            && v6.length == 4 && v6[0] == 0 && v6[1] == 0 && v6[2] == -1L && v6[3] == -1L;
    }

    public boolean isEmpty()
    {
        return v4.length == 0 && v6.length == 0;
    }

    /** @param address an IPv4 address as an int (network order read as big-endian). */
    public boolean containsIpv4(final int address)
    {
        final long a = address & 0xFFFF_FFFFL;
        for (int i = 0; i < v4.length; i += 2)
        {
            if (a >= v4[i] && a <= v4[i + 1])
            {
                return true;
            }
        }
        return false;
    }

    /** @param high the first 8 bytes of the IPv6 address, big-endian; {@code low} the last 8. */
    public boolean containsIpv6(final long high, final long low)
    {
        for (int i = 0; i < v6.length; i += 4)
        {
            if (compare(high, low, v6[i], v6[i + 1]) >= 0 && compare(high, low, v6[i + 2], v6[i + 3]) <= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static int compare(final long h1, final long l1, final long h2, final long l2)
    {
        final int c = Long.compareUnsigned(h1, h2);
        return 0 != c ? c : Long.compareUnsigned(l1, l2);
    }

    /** Sorts and merges overlapping or adjacent ranges. */
    static List<BigInteger[]> normalise(final List<BigInteger[]> ranges)
    {
        final List<BigInteger[]> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing((BigInteger[] r) -> r[0]));
        final List<BigInteger[]> out = new ArrayList<>();
        for (final BigInteger[] r : sorted)
        {
            final BigInteger[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (null != last && r[0].compareTo(last[1].add(BigInteger.ONE)) <= 0)
            {
                if (r[1].compareTo(last[1]) > 0)
                {
                    out.set(out.size() - 1, new BigInteger[] {last[0], r[1]});
                }
            }
            else
            {
                out.add(r);
            }
        }
        return out;
    }

    /** {@code ranges} without {@code minus}; both normalised. */
    static List<BigInteger[]> subtract(final List<BigInteger[]> ranges, final List<BigInteger[]> minus)
    {
        List<BigInteger[]> current = normalise(ranges);
        for (final BigInteger[] m : normalise(minus))
        {
            final List<BigInteger[]> next = new ArrayList<>();
            for (final BigInteger[] r : current)
            {
                if (m[1].compareTo(r[0]) < 0 || m[0].compareTo(r[1]) > 0)
                {
                    next.add(r);
                    continue;
                }
                if (m[0].compareTo(r[0]) > 0)
                {
                    next.add(new BigInteger[] {r[0], m[0].subtract(BigInteger.ONE)});
                }
                if (m[1].compareTo(r[1]) < 0)
                {
                    next.add(new BigInteger[] {m[1].add(BigInteger.ONE), r[1]});
                }
            }
            current = next;
        }
        return current;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof AddressSet other && Arrays.equals(v4, other.v4) && Arrays.equals(v6, other.v6);
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(v4) + Arrays.hashCode(v6);
    }

    @Override
    public String toString()
    {
        if (isAny())
        {
            return "any";
        }
        final StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v4.length; i += 2)
        {
            sb.append(sb.length() > 1 ? "," : "").append(ipv4(v4[i])).append('-').append(ipv4(v4[i + 1]));
        }
        for (int i = 0; i < v6.length; i += 4)
        {
            sb.append(sb.length() > 1 ? "," : "")
                .append(ipv6(v6[i], v6[i + 1])).append('-').append(ipv6(v6[i + 2], v6[i + 3]));
        }
        return sb.append(']').toString();
    }

    static String ipv4(final long a)
    {
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    static String ipv6(final long high, final long low)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++)
        {
            final long half = i < 4 ? high : low;
            sb.append(i > 0 ? ":" : "").append(Long.toHexString((half >>> (48 - 16 * (i % 4))) & 0xFFFF));
        }
        return sb.toString();
    }
}
