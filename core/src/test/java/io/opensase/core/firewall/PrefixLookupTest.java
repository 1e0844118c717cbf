package io.opensase.core.firewall;

import io.opensase.classifiers.acl.IpPrefix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrefixLookupTest
{
    private static long v4(final String address)
    {
        return IpPrefix.parse(address).lo();
    }

    /** The same answers whether the IPv4 prefixes are few enough to scan or need the table. */
    @Test
    void shouldFindTheLongestSourcePrefixThenTheLongestDestinationPrefix()
    {
        for (final int padding : new int[] {0, PrefixLookup.SCAN_LIMIT})
        {
            final List<IpPrefix> prefixes = new ArrayList<>(List.of(IpPrefix.parse("10.0.0.0/8"),
                IpPrefix.parse("10.9.0.0/16"), IpPrefix.parse("10.9.8.0/24"), IpPrefix.parse("2001:db8::/32")));
            final List<Integer> values = new ArrayList<>(List.of(1, 2, 3, 4));
            for (int p = 0; p < padding; p++)
            {
                prefixes.add(IpPrefix.parse("172.16." + p + ".0/24"));
                values.add(100 + p);
            }
            final PrefixLookup lookup = new PrefixLookup(prefixes, values, true, true);
            final String where = padding + " extra prefixes";
            assertEquals(3, lookup.lookup(false, 0, v4("10.9.8.7"), 0, v4("192.0.2.1")), where);
            assertEquals(2, lookup.lookup(false, 0, v4("10.9.9.1"), 0, v4("10.9.8.1")), "source first: " + where);
            assertEquals(1, lookup.lookup(false, 0, v4("10.200.0.1"), 0, v4("10.9.8.1")), where);
            assertEquals(3, lookup.lookup(false, 0, v4("192.0.2.1"), 0, v4("10.9.8.1")), "then destination: " + where);
            assertEquals(PrefixLookup.NONE, lookup.lookup(false, 0, v4("192.0.2.1"), 0, v4("198.51.100.1")), where);
            final IpPrefix inside6 = IpPrefix.parse("2001:db8::1/128");
            final IpPrefix outside6 = IpPrefix.parse("2001:db9::1/128");
            assertEquals(4, lookup.lookup(true, outside6.hi(), outside6.lo(), inside6.hi(), inside6.lo()), where);
            assertEquals(PrefixLookup.NONE, lookup.lookup(true, outside6.hi(), outside6.lo(), outside6.hi(),
                outside6.lo()), where);
            if (padding > 0)
            {
                assertEquals(105, lookup.lookup(false, 0, v4("172.16.5.9"), 0, 0), where);
            }
        }
    }

    @Test
    void shouldIgnoreTheDestinationWhenOnlySourcesCount()
    {
        final PrefixLookup lookup = new PrefixLookup(List.of(IpPrefix.parse("10.9.0.0/16")), List.of(1), true, false);
        assertEquals(1, lookup.lookup(false, 0, v4("10.9.0.1"), 0, 0));
        assertEquals(PrefixLookup.NONE, lookup.lookup(false, 0, v4("192.0.2.1"), 0, v4("10.9.0.1")));
    }

    @Test
    void shouldMatchEverythingWithTheDefaultPrefix()
    {
        final PrefixLookup lookup = new PrefixLookup(List.of(IpPrefix.ANY_V4), List.of(7), true, true);
        assertEquals(7, lookup.lookup(false, 0, v4("255.255.255.255"), 0, 0));
        assertEquals(7, lookup.lookup(false, 0, 0, 0, 0));
    }
}
