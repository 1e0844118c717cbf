package io.opensase.core.ips;

import io.opensase.ips.rules.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counting of {@link HostTags} on its own, against Suricata's detect-engine-tag.c and detect-tag.c: the alerting
 * packet counts first and is not logged, then a host's packets count until the count passes (its unit test
 * DetectTagTestPacket01: tag:host,4,packets,dst ends with 4 packets counted); a packets count is cut to 256
 * (DETECT_TAG_MAX_PKTS); the same rule alerting again restarts its count at most 9 times (DETECT_TAG_MATCH_LIMIT 10);
 * a host keeps at most 50 tags (DETECT_TAG_MAX_TAGS); a tag whose host is quiet past 600 s ends
 * (TAG_MAX_LAST_TIME_SEEN). Addresses are IPv4 10.0.0.n (0x0A00_0000 + n in the low word) unless said otherwise.
 */
class HostTagsTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void hostCountsItsPacketsAsSourceOrDestinationAndOtherHostsNone()
    {
        final HostTags tags = new HostTags();
        assertTrue(tags.add(4, 0, v4(1), 1, 7, packets(4), 0));
        // The alerting packet, 10.0.0.1 -> 10.0.0.2: counted for .1, not logged; .2 holds no tag.
        assertFalse(tags.tagged(4, 0, v4(1), 60, 0) | tags.tagged(4, 0, v4(2), 60, 0));
        assertTrue(tags.tagged(4, 0, v4(1), 60, 0), "2nd packet, .1 as source");
        assertFalse(tags.tagged(4, 0, v4(3), 60, 0), "another host");
        assertTrue(tags.tagged(4, 0, v4(1), 60, 0), "3rd packet, .1 as destination");
        assertTrue(tags.tagged(4, 0, v4(1), 60, 0), "4th packet");
        assertFalse(tags.tagged(4, 0, v4(1), 60, 0), "5th packet passes the count of 4");
        assertEquals(0, tags.live());
        assertFalse(tags.tagged(4, 0, v4(1), 60, 0));
    }

    @Test
    void ipv4AndIpv6AddressesWithTheSameBitsAreTwoHosts()
    {
        final HostTags tags = new HostTags();
        tags.add(6, 0, v4(1), 1, 7, packets(10), 0);
        assertFalse(tags.tagged(6, 0, v4(1), 60, 0));
        // 10.0.0.1 is not ::a00:1.
        assertFalse(tags.tagged(4, 0, v4(1), 60, 0));
        assertTrue(tags.tagged(6, 0, v4(1), 60, 0));
        // 2001:db8::1 and ::1: only the high word differs.
        tags.add(6, 0x2001_0DB8_0000_0000L, 1, 1, 8, packets(10), 0);
        tags.tagged(6, 0x2001_0DB8_0000_0000L, 1, 60, 0);
        assertFalse(tags.tagged(6, 0, 1, 60, 0));
        assertTrue(tags.tagged(6, 0x2001_0DB8_0000_0000L, 1, 60, 0));
    }

    @Test
    void packetsCountAbove256IsCutTo256()
    {
        final HostTags tags = new HostTags();
        tags.add(4, 0, v4(1), 1, 7, packets(1000), 0);
        int logged = 0;
        for (int p = 0; p < 400; p++)
        {
            logged += tags.tagged(4, 0, v4(1), 60, 0) ? 1 : 0;
        }
        assertEquals(255, logged);
    }

    @Test
    void bytesAddUpWholePacketsTheAlertingOneIncluded()
    {
        final HostTags tags = new HostTags();
        tags.add(4, 0, v4(1), 1, 7, new Tag(Tag.Scope.HOST, 150, Tag.Metric.BYTES, Tag.HostSide.SRC), 0);
        // DetectTagTestPacket03: packets of 47 bytes against 150: 47 (alert), 94, 141 logged, 188 ends the tag.
        assertFalse(tags.tagged(4, 0, v4(1), 47, 0));
        assertTrue(tags.tagged(4, 0, v4(1), 47, 0));
        assertTrue(tags.tagged(4, 0, v4(1), 47, 0));
        assertFalse(tags.tagged(4, 0, v4(1), 47, 0));
        assertEquals(0, tags.live());
    }

    @Test
    void sameRuleAlertingAgainRestartsItsCountAtMostNineTimes()
    {
        final HostTags tags = new HostTags();
        final Tag two = packets(2);
        tags.add(4, 0, v4(1), 1, 7, two, 0);
        assertFalse(tags.tagged(4, 0, v4(1), 60, 0));
        for (int again = 1; again <= 9; again++)
        {
            tags.add(4, 0, v4(1), 1, 7, two, again * SECOND);
            assertTrue(tags.tagged(4, 0, v4(1), 60, again * SECOND), "restart " + again);
        }
        assertEquals(1, tags.live());
        // The 10th alert leaves the count alone: the packet makes 2, the next 3 ends the tag.
        tags.add(4, 0, v4(1), 1, 7, two, 10 * SECOND);
        assertTrue(tags.tagged(4, 0, v4(1), 60, 10 * SECOND));
        assertFalse(tags.tagged(4, 0, v4(1), 60, 10 * SECOND));
    }

    @Test
    void aHostKeepsAtMost50TagsAndAWorkerAtMostItsEntries()
    {
        final HostTags tags = new HostTags();
        for (int sid = 1; sid <= 50; sid++)
        {
            assertTrue(tags.add(4, 0, v4(1), 1, sid, packets(5), 0));
        }
        assertFalse(tags.add(4, 0, v4(1), 1, 51, packets(5), 0));
        // Another gid is another rule, still one too many for the host; another host takes it.
        assertFalse(tags.add(4, 0, v4(1), 2, 1, packets(5), 0));
        int kept = 50;
        for (int host = 2; kept < HostTags.ENTRIES; host++)
        {
            assertTrue(tags.add(4, 0, v4(host), 1, 1, packets(5), 0), "host " + host);
            kept++;
        }
        assertEquals(HostTags.ENTRIES, tags.live());
        assertFalse(tags.add(4, 0, v4(9999), 1, 1, packets(5), 0));
        assertFalse(tags.add(4, 0, v4(9999), 1, 1, packets(5), 599 * SECOND), "none quiet past 600 s yet");
        // The same rule on a host that holds it restarts it: no new entry needed.
        assertTrue(tags.add(4, 0, v4(2), 1, 1, packets(5), 599 * SECOND));
    }

    @Test
    void aTagWhoseHostIsQuietPast600SecondsEndsAndAFullPoolLetsItGo()
    {
        final HostTags tags = new HostTags();
        tags.add(4, 0, v4(1), 1, 7, packets(5), 0);
        assertFalse(tags.tagged(4, 0, v4(1), 60, 0));
        assertTrue(tags.tagged(4, 0, v4(1), 60, 600 * SECOND), "600 s quiet: kept");
        assertFalse(tags.tagged(4, 0, v4(1), 60, 1201 * SECOND), "601 s quiet: ended");
        assertEquals(0, tags.live());

        for (int host = 1; host <= HostTags.ENTRIES; host++)
        {
            assertTrue(tags.add(4, 0, v4(host), 1, 1, packets(5), host <= 10 ? 0 : 500 * SECOND));
        }
        assertFalse(tags.add(4, 0, v4(9999), 1, 1, packets(5), 600 * SECOND));
        // At 601 s the ten tags set at 0 have been quiet too long: the refused add's sweep gives them back.
        for (int host = 0; host < 10; host++)
        {
            assertTrue(tags.add(4, 0, v4(10_000 + host), 1, 1, packets(5), 601 * SECOND), "host " + host);
        }
        assertFalse(tags.add(4, 0, v4(20_000), 1, 1, packets(5), 601 * SECOND));
        assertEquals(HostTags.ENTRIES, tags.live());
        assertFalse(tags.tagged(4, 0, v4(3), 60, 601 * SECOND), "its tag was swept: no packet counted");
        assertFalse(tags.tagged(4, 0, v4(11), 60, 601 * SECOND), "alerting packet of host .11: counted only");
        assertTrue(tags.tagged(4, 0, v4(11), 60, 601 * SECOND));
    }

    @Test
    void secondsCompareWholeSeconds()
    {
        final HostTags tags = new HostTags();
        tags.add(4, 0, v4(1), 1, 7, new Tag(Tag.Scope.HOST, 2, Tag.Metric.SECONDS, Tag.HostSide.DST),
            700_700_000_000L);
        assertFalse(tags.tagged(4, 0, v4(1), 60, 700_700_000_000L));
        assertTrue(tags.tagged(4, 0, v4(1), 60, 702_999_000_000L), "second 702 is 2 past 700");
        assertFalse(tags.tagged(4, 0, v4(1), 60, 703_000_000_000L));
        assertEquals(0, tags.live());
    }

    private static Tag packets(final long count)
    {
        return new Tag(Tag.Scope.HOST, count, Tag.Metric.PACKETS, Tag.HostSide.DST);
    }

    private static long v4(final int n)
    {
        return 0x0A00_0000L + n;
    }
}
