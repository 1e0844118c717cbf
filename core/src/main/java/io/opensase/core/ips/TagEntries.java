package io.opensase.core.ips;

import io.opensase.ips.rules.Tag;

/**
 * A fixed pool of tag entries, session or host ({@link SessionTags}, {@link HostTags}), each counted as Suricata's
 * {@code detect-engine-tag.c} counts a tag: the alerting packet counts towards {@code count} but is not logged
 * (its alert carries it); {@code bytes} counts whole packets, the alerting one too, and a packet that would pass
 * the count ends the tag unlogged; {@code seconds} logs while the packet's second, less the alert's, is at most
 * the count. A packets count above {@value #MAX_PACKETS} is cut to it; the same rule alerting again restarts
 * its tag's count, at most {@value #MAX_RESTARTS} times.
 * <p>
 * Entries are linked through {@link #next}: into their owner's lists while taken, into the free list
 * otherwise. Nothing is allocated after construction; owned by one worker.
 */
final class TagEntries
{
    /** Suricata's cap on a packets count. */
    static final int MAX_PACKETS = 256;
    /** Suricata's DETECT_TAG_MATCH_LIMIT less the first alert: times one rule may restart its tag. */
    static final int MAX_RESTARTS = 9;
    static final int NONE = -1;

    /** {@link #count}: the alerting packet went by, counted and not logged. */
    static final int ALERTING = 0;
    /** {@link #count}: the packet is logged as tagged. */
    static final int LOGGED = 1;
    /** {@link #count}: the tag ended on this packet, which is not logged; release the entry. */
    static final int ENDED = 2;

    private static final byte PACKETS = 0;
    private static final byte BYTES = 1;
    private static final byte SECONDS = 2;

    /** Per entry: the next of its owner's list, or the next free one. */
    final int[] next;
    /** Per entry: the rule, as {@code gid << 32 | sid}. */
    private final long[] rule;
    private final byte[] metric;
    private final long[] count;
    /** Packets or bytes counted so far, the alerting packet included. */
    private final long[] used;
    /** The alerting packet's second. */
    private final long[] firstSecond;
    private final byte[] restarts;
    /** False until the alerting packet went by. */
    private final boolean[] pastAlert;
    private int free;

    TagEntries(final int entries)
    {
        next = new int[entries];
        rule = new long[entries];
        metric = new byte[entries];
        count = new long[entries];
        used = new long[entries];
        firstSecond = new long[entries];
        restarts = new byte[entries];
        pastAlert = new boolean[entries];
        for (int e = 0; e < entries; e++)
        {
            next[e] = e + 1 < entries ? e + 1 : NONE;
        }
        free = 0;
    }

    /** True when no entry is free. */
    boolean exhausted()
    {
        return NONE == free;
    }

    /**
     * Takes a free entry for rule {@code gid << 32 | sid}'s {@code tag}, set at packet second {@code second}; the
     * caller links it through {@link #next}. {@link #NONE} when none is free.
     */
    int take(final long ruleKey, final Tag tag, final long second)
    {
        final int e = free;
        if (NONE == e)
        {
            return NONE;
        }
        free = next[e];
        rule[e] = ruleKey;
        metric[e] = switch (tag.metric())
        {
            case PACKETS -> PACKETS;
            case BYTES -> BYTES;
            case SECONDS -> SECONDS;
        };
        count[e] = tag.metric() == Tag.Metric.PACKETS ? Math.min(tag.count(), MAX_PACKETS) : tag.count();
        used[e] = 0;
        firstSecond[e] = second;
        restarts[e] = 0;
        pastAlert[e] = false;
        return e;
    }

    /** True when entry {@code e} is rule {@code gid << 32 | sid}'s. */
    boolean of(final int e, final long ruleKey)
    {
        return rule[e] == ruleKey;
    }

    /**
     * Entry {@code e}'s rule alerted again at packet second {@code second}: its count starts afresh, unless it
     * restarted {@link #MAX_RESTARTS} times already. True when it restarted.
     */
    boolean restart(final int e, final long second)
    {
        if (restarts[e] >= MAX_RESTARTS)
        {
            return false;
        }
        restarts[e]++;
        used[e] = 0;
        firstSecond[e] = second;
        return true;
    }

    /** Counts a packet of {@code length} bytes at second {@code second} against entry {@code e}. */
    int count(final int e, final int length, final long second)
    {
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
            return ALERTING;
        }
        return (SECONDS == metric[e] ? second - firstSecond[e] > count[e] : used[e] > count[e]) ? ENDED : LOGGED;
    }

    /** True when entry {@code e} counts seconds and second {@code second} is past them. */
    boolean secondsPassed(final int e, final long second)
    {
        return SECONDS == metric[e] && second - firstSecond[e] > count[e];
    }

    /** Gives entry {@code e}, taken off its owner's list, back to the pool. */
    void release(final int e)
    {
        next[e] = free;
        free = e;
    }
}
