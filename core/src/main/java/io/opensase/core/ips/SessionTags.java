package io.opensase.core.ips;

import io.opensase.ips.rules.Tag;

import java.util.Arrays;

/**
 * The session tags ({@code tag:session[,count,metric]}) of one worker's flows, kept as Suricata keeps them:
 * a rule that alerts on a flow tags it; every later packet of the flow, either way, is logged as tagged until
 * the tag's count is used up. The alerting packet counts towards {@code count} but is not logged as tagged
 * (its alert carries it), so {@code tag:session,5,packets} logs the next 4 packets. {@code bytes} counts
 * whole packets (link header included), the alerting one too, and a packet that would pass the count is not
 * logged; {@code seconds} logs while the packet's second, less the alert's, is at most the count. A packets
 * count above 256 is cut to 256. The same rule alerting again on a tagged flow starts its count afresh (its
 * alerting packet is then logged too), at most 9 times; a flow keeps at most 50 tags.
 * <p>
 * Owned by one worker; nothing is allocated after construction. Entries come from a fixed pool shared by
 * the worker's flows, linked per flow slot; a tag that finds the pool empty is refused and counted.
 */
final class SessionTags
{
    /** Suricata's cap on a packets count. */
    static final int MAX_PACKETS = 256;
    /** Tags one flow keeps at once. */
    static final int MAX_PER_FLOW = 50;
    /** Times the same rule may restart its tag on one flow. */
    static final int MAX_RESTARTS = 9;
    /** Tag entries per worker: a tag lasts a few packets, so few flows hold one at once. */
    static final int ENTRIES = 4096;

    private static final int NONE = -1;
    private static final byte PACKETS = 0;
    private static final byte BYTES = 1;
    private static final byte SECONDS = 2;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Per flow slot: its first entry, or {@link #NONE}. */
    private final int[] first;
    /** Per entry: the next of its flow, or the next free one. */
    private final int[] next;
    /** Per entry: the rule, as {@code gid << 32 | sid}. */
    private final long[] rule;
    private final byte[] metric;
    private final long[] count;
    /** Packets or bytes counted so far, the alerting packet included. */
    private final long[] used;
    /** The alerting packet's second. */
    private final long[] firstSecond;
    private final byte[] restarts;
    /** False until the alerting packet went by: it is counted, not logged. */
    private final boolean[] pastAlert;
    private int free;

    SessionTags(final int slots)
    {
        first = new int[slots];
        Arrays.fill(first, NONE);
        next = new int[ENTRIES];
        rule = new long[ENTRIES];
        metric = new byte[ENTRIES];
        count = new long[ENTRIES];
        used = new long[ENTRIES];
        firstSecond = new long[ENTRIES];
        restarts = new byte[ENTRIES];
        pastAlert = new boolean[ENTRIES];
        for (int e = 0; e < ENTRIES; e++)
        {
            next[e] = e + 1 < ENTRIES ? e + 1 : NONE;
        }
        free = 0;
    }

    /**
     * Rule {@code gid:sid} alerted on the flow in {@code slot} with session tag {@code tag} (host tags are not
     * taken), on a packet of time {@code timeNs}; call {@link #tagged} for that packet afterwards. False when
     * the tag is refused: the pool is empty, or the flow holds {@link #MAX_PER_FLOW} tags already.
     */
    boolean add(final int slot, final long gid, final long sid, final Tag tag, final long timeNs)
    {
        final long key = gid << 32 | sid;
        int held = 0;
        for (int e = first[slot]; NONE != e; e = next[e])
        {
            if (rule[e] == key)
            {
                if (restarts[e] < MAX_RESTARTS)
                {
                    restarts[e]++;
                    used[e] = 0;
                    firstSecond[e] = timeNs / NANOS_PER_SECOND;
                }
                return true;
            }
            held++;
        }
        if (held >= MAX_PER_FLOW || NONE == free)
        {
            return false;
        }
        final int e = free;
        free = next[e];
        next[e] = first[slot];
        first[slot] = e;
        rule[e] = key;
        metric[e] = switch (tag.metric())
        {
            case PACKETS -> PACKETS;
            case BYTES -> BYTES;
            case SECONDS -> SECONDS;
        };
        count[e] = tag.metric() == Tag.Metric.PACKETS ? Math.min(tag.count(), MAX_PACKETS) : tag.count();
        used[e] = 0;
        firstSecond[e] = timeNs / NANOS_PER_SECOND;
        restarts[e] = 0;
        pastAlert[e] = false;
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
            if (PACKETS == metric[e])
            {
                used[e]++;
            }
            else if (BYTES == metric[e])
            {
                used[e] += length;
            }
            if (!pastAlert[e])
            {
                pastAlert[e] = true;
                before = e;
            }
            else if (SECONDS == metric[e] ? second - firstSecond[e] > count[e] : used[e] > count[e])
            {
                if (NONE == before)
                {
                    first[slot] = after;
                }
                else
                {
                    next[before] = after;
                }
                release(e);
            }
            else
            {
                tagged = true;
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
            release(e);
            e = after;
        }
    }

    private void release(final int e)
    {
        next[e] = free;
        free = e;
    }
}
