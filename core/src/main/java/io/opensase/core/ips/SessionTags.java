package io.opensase.core.ips;

import io.opensase.ips.rules.Tag;

import java.util.Arrays;

/**
 * The session tags ({@code tag:session[,count,metric]}) of one worker's flows, kept as Suricata keeps them:
 * a rule that alerts on a flow tags it; every later packet of the flow, either way, is logged as tagged until
 * the tag's count is used up, counted as {@link TagEntries} says (so {@code tag:session,5,packets} logs the next
 * 4 packets; {@code bytes} count whole packets, link header included). The same rule alerting again on a tagged
 * flow starts its count afresh (its alerting packet is then logged too); a flow keeps at most 50 tags.
 * <p>
 * Owned by one worker; nothing is allocated after construction. Entries come from a fixed pool shared by
 * the worker's flows, linked per flow slot; a tag that finds the pool empty is refused and counted.
 */
final class SessionTags
{
    /** Tags one flow keeps at once. */
    static final int MAX_PER_FLOW = 50;
    /** Tag entries per worker: a tag lasts a few packets, so few flows hold one at once. */
    static final int ENTRIES = 4096;

    private static final int NONE = TagEntries.NONE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Per flow slot: its first entry, or {@link #NONE}. */
    private final int[] first;
    private final TagEntries entries = new TagEntries(ENTRIES);
    /** The entries' links: within a flow's list, or the free list. */
    private final int[] next = entries.next;

    SessionTags(final int slots)
    {
        first = new int[slots];
        Arrays.fill(first, NONE);
    }

    /**
     * Rule {@code gid:sid} alerted on the flow in {@code slot} with session tag {@code tag} (host tags are not
     * taken), on a packet of time {@code timeNs}; call {@link #tagged} for that packet afterwards. False when
     * the tag is refused: the pool is empty, or the flow holds {@link #MAX_PER_FLOW} tags already.
     */
    boolean add(final int slot, final long gid, final long sid, final Tag tag, final long timeNs)
    {
        final long key = gid << 32 | sid;
        final long second = timeNs / NANOS_PER_SECOND;
        int held = 0;
        for (int e = first[slot]; NONE != e; e = next[e])
        {
            if (entries.of(e, key))
            {
                entries.restart(e, second);
                return true;
            }
            held++;
        }
        if (held >= MAX_PER_FLOW)
        {
            return false;
        }
        final int e = entries.take(key, tag, second);
        if (NONE == e)
        {
            return false;
        }
        next[e] = first[slot];
        first[slot] = e;
        return true;
    }

    /**
     * Counts a packet of {@code length} bytes at {@code timeNs} of the flow in {@code slot} against its tags,
     * after the packet's own alerts were added, and lets go the tags it used up. True when the packet is to be
     * logged as tagged.
     */
    boolean tagged(final int slot, final int length, final long timeNs)
    {
        int e = first[slot];
        if (NONE == e)
        {
            return false;
        }
        final long second = timeNs / NANOS_PER_SECOND;
        boolean tagged = false;
        int before = NONE;
        while (NONE != e)
        {
            final int after = next[e];
            final int counted = entries.count(e, length, second);
            if (TagEntries.ENDED == counted)
            {
                if (NONE == before)
                {
                    first[slot] = after;
                }
                else
                {
                    next[before] = after;
                }
                entries.release(e);
            }
            else
            {
                tagged |= TagEntries.LOGGED == counted;
                before = e;
            }
            e = after;
        }
        return tagged;
    }

    /** The flow in {@code slot} ended: its tags go back to the pool. */
    void clear(final int slot)
    {
        int e = first[slot];
        first[slot] = NONE;
        while (NONE != e)
        {
            final int after = next[e];
            entries.release(e);
            e = after;
        }
    }
}
