package io.opensase.classifiers.lpm;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Ipv4LpmTest
{
    private static int ip(final int a, final int b, final int c, final int d)
    {
        return a << 24 | b << 16 | c << 8 | d;
    }

    @Test
    void shouldPickTheLongestPrefixOnEveryLevel()
    {
        final Ipv4Lpm lpm = Ipv4Lpm.build(List.of(
            new Ipv4Lpm.Prefix(ip(10, 0, 0, 0), 8, 1),
            new Ipv4Lpm.Prefix(ip(10, 1, 0, 0), 16, 2),
            new Ipv4Lpm.Prefix(ip(10, 1, 2, 0), 23, 3),
            new Ipv4Lpm.Prefix(ip(10, 1, 2, 128), 25, 4),
            new Ipv4Lpm.Prefix(ip(10, 1, 2, 200), 32, 5)));
        assertEquals(1, lpm.lookup(ip(10, 200, 0, 1)));
        assertEquals(2, lpm.lookup(ip(10, 1, 255, 255)));
        assertEquals(3, lpm.lookup(ip(10, 1, 3, 7)), "10.1.2.0/23 holds 10.1.3.7");
        assertEquals(3, lpm.lookup(ip(10, 1, 2, 127)));
        assertEquals(4, lpm.lookup(ip(10, 1, 2, 128)));
        assertEquals(4, lpm.lookup(ip(10, 1, 2, 199)));
        assertEquals(5, lpm.lookup(ip(10, 1, 2, 200)));
        assertEquals(4, lpm.lookup(ip(10, 1, 2, 201)));
        assertEquals(Ipv4Lpm.NONE, lpm.lookup(ip(11, 0, 0, 0)));
        assertEquals(Ipv4Lpm.NONE, lpm.lookup(ip(9, 255, 255, 255)));
    }

    @Test
    void shouldCoverEverythingWithTheDefaultRouteAndTheEdgesOfTheAddressSpace()
    {
        final Ipv4Lpm lpm = Ipv4Lpm.build(List.of(
            new Ipv4Lpm.Prefix(0, 0, 7),
            new Ipv4Lpm.Prefix(ip(255, 255, 255, 255), 32, 8),
            new Ipv4Lpm.Prefix(0, 32, 9)));
        assertEquals(9, lpm.lookup(0));
        assertEquals(7, lpm.lookup(1));
        assertEquals(7, lpm.lookup(ip(128, 0, 0, 0)));
        assertEquals(7, lpm.lookup(ip(255, 255, 255, 254)));
        assertEquals(8, lpm.lookup(-1));
    }

    @Test
    void shouldLetTheEarlierOfTwoEqualPrefixesWinAndIgnoreHostBits()
    {
        final Ipv4Lpm lpm = Ipv4Lpm.build(List.of(
            new Ipv4Lpm.Prefix(ip(192, 0, 2, 0), 24, 1),
            new Ipv4Lpm.Prefix(ip(192, 0, 2, 99), 24, 2)));
        assertEquals(1, lpm.lookup(ip(192, 0, 2, 1)));
    }

    @Test
    void shouldBeEmptyWithoutPrefixes()
    {
        assertEquals(Ipv4Lpm.NONE, Ipv4Lpm.build(List.of()).lookup(ip(1, 2, 3, 4)));
    }

    @Test
    void shouldRefuseBadPrefixes()
    {
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Lpm.Prefix(0, 33, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Lpm.Prefix(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Lpm.Prefix(0, 8, -1));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Lpm.Prefix(0, 8, Ipv4Lpm.MAX_VALUE + 1));
    }

    /** Against a linear scan of the longest holding prefix (earliest among equals), on random nested sets. */
    @Test
    void shouldAgreeWithALinearScan()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 40; round++)
        {
            final List<Ipv4Lpm.Prefix> prefixes = new ArrayList<>();
            final int base = random.nextInt();
            final int count = 1 + random.nextInt(300);
            for (int p = 0; p < count; p++)
            {
                // Addresses near one base, so that prefixes nest and share chunks.
                final int address = base ^ (random.nextInt() >>> random.nextInt(32));
                prefixes.add(new Ipv4Lpm.Prefix(address, random.nextInt(33), random.nextInt(1000)));
            }
            final Ipv4Lpm lpm = Ipv4Lpm.build(prefixes);
            for (int probe = 0; probe < 3000; probe++)
            {
                final int address = base ^ (random.nextInt() >>> random.nextInt(33 - 1));
                assertEquals(linearScan(prefixes, address), lpm.lookup(address),
                    "round " + round + ", address " + Integer.toUnsignedString(address));
            }
        }
    }

    private static int linearScan(final List<Ipv4Lpm.Prefix> prefixes, final int address)
    {
        int best = -1;
        int bestLength = -1;
        for (final Ipv4Lpm.Prefix prefix : prefixes)
        {
            final long mask = 0 == prefix.length() ? 0 : 0xFFFF_FFFFL << (32 - prefix.length()) & 0xFFFF_FFFFL;
            if (((address ^ prefix.address()) & mask) == 0 && prefix.length() > bestLength)
            {
                best = prefix.value();
                bestLength = prefix.length();
            }
        }
        return best;
    }
}
