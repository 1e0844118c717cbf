package io.opensase.core.ips;

import io.opensase.ips.rules.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counting of {@link SessionTags} on its own, against Suricata's detect-tag.c and detect-engine-tag.c: a
 * packets count is cut to 256 (DETECT_TAG_MAX_PKTS), the same rule alerting again restarts its count up to 9
 * times (DETECT_TAG_MATCH_LIMIT 10), and a flow keeps at most 50 tags (DETECT_TAG_MAX_TAGS).
 */
class SessionTagsTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void packetsCountAbove256IsCutTo256()
    {
        final SessionTags tags = new SessionTags(4);
        assertTrue(tags.add(1, 1, 7, new Tag(Tag.Scope.SESSION, 1000, Tag.Metric.PACKETS, Tag.HostSide.NONE), 0));
        assertFalse(tags.tagged(1, 60, 0));
        int logged = 0;
        for (int p = 0; p < 400; p++)
        {
            logged += tags.tagged(1, 60, p) ? 1 : 0;
        }
        assertEquals(255, logged);
        assertFalse(tags.tagged(2, 60, 0));
    }

    @Test
    void sameRuleAlertingAgainRestartsItsCountAndLogsItsPacket()
    {
        final SessionTags tags = new SessionTags(2);
        final Tag three = new Tag(Tag.Scope.SESSION, 3, Tag.Metric.PACKETS, Tag.HostSide.NONE);
        tags.add(0, 1, 7, three, 0);
        assertFalse(tags.tagged(0, 60, 0));
        assertTrue(tags.tagged(0, 60, 0));
        tags.add(0, 1, 7, three, 0);
        // Counted afresh from the re-alerting packet, which is logged: 3 packets in all.
        assertTrue(tags.tagged(0, 60, 0));
        assertTrue(tags.tagged(0, 60, 0));
        assertTrue(tags.tagged(0, 60, 0));
        assertFalse(tags.tagged(0, 60, 0));
        assertFalse(tags.tagged(0, 60, 0));
    }

    @Test
    void restartsStopAfterNine()
    {
        final SessionTags tags = new SessionTags(1);
        final Tag two = new Tag(Tag.Scope.SESSION, 2, Tag.Metric.PACKETS, Tag.HostSide.NONE);
        tags.add(0, 1, 7, two, 0);
        assertFalse(tags.tagged(0, 60, 0));
        for (int again = 1; again <= 9; again++)
        {
            tags.add(0, 1, 7, two, again * SECOND);
            assertTrue(tags.tagged(0, 60, 0), "restart " + again);
        }
        // The 10th alert leaves the count alone: the packet makes 2, the next 3 ends the tag.
        tags.add(0, 1, 7, two, 10 * SECOND);
        assertTrue(tags.tagged(0, 60, 0));
        assertFalse(tags.tagged(0, 60, 0));
    }

    @Test
    void aFlowKeepsAtMost50TagsAndAnEndedFlowGivesThemBack()
    {
        final SessionTags tags = new SessionTags(SessionTags.ENTRIES);
        final Tag tag = new Tag(Tag.Scope.SESSION, 5, Tag.Metric.SECONDS, Tag.HostSide.NONE);
        for (int sid = 1; sid <= 50; sid++)
        {
            assertTrue(tags.add(0, 1, sid, tag, 0));
        }
        assertFalse(tags.add(0, 1, 51, tag, 0));
        // Another gid is another rule, still one too many for the flow.
        assertFalse(tags.add(0, 2, 1, tag, 0));
        tags.clear(0);
        int kept = 0;
        for (int slot = 0; slot < SessionTags.ENTRIES; slot++)
        {
            kept += tags.add(slot, 1, 1, tag, 0) ? 1 : 0;
        }
        assertEquals(SessionTags.ENTRIES, kept);
        assertFalse(tags.add(0, 1, 2, tag, 0));
    }
}
