package io.opensase.core.ips;

import io.opensase.ips.rules.Tag;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The host tags ({@code tag:host[,count,metric[,src|dst]]}) of one worker, kept as Suricata keeps them
 * (detect-engine-tag.c: TagHashAddTag, TagHandlePacket, TagHandlePacketHost, TagTimeoutCheck): a rule that alerts
 * tags the source or the destination address of its packet (the destination unless the tag says {@code src});
 * every later packet with that address as its source or its destination, in any flow and either way, counts
 * against the tag and is logged as tagged until the count passes, counted as {@link TagEntries} says (as session
 * tags are); the same rule alerting again on the host restarts its count, and a host keeps at most 50 tags. A packet counts against the tags of its source and of
 * its destination, each once. A tag whose host has sent or received nothing for 600 seconds ends, as Suricata's
 * host timeout ends it. A host is an IP address, IPv4 and IPv6 apart, as in Suricata's host table: not the tenant,
 * VLAN or tunnel.
 * <p>
 * Owned by one worker; nothing is allocated after construction. Tags and hosts come from two fixed pools of
 * {@link #ENTRIES}: a host holds at least one tag, or it goes back. Hosts are found through a chained hash with a
 * seed of its own, so that chosen addresses cannot pile into one chain. A tag that finds the pool empty, after the
 * tags that ended by time were let go (at most once per second of packet time), is refused.
 */
final class HostTags
{
    /** Tag entries per worker, as {@link SessionTags#ENTRIES}. */
    static final int ENTRIES = 4096;
    /** Suricata's DETECT_TAG_MAX_TAGS, per host. */
    static final int MAX_PER_HOST = 50;
    /** Suricata's TAG_MAX_LAST_TIME_SEEN: a tag whose host is quiet this long ends. */
    static final long IDLE_SECONDS = 600;

    private static final int BUCKETS = 2 * ENTRIES;
    private static final int NONE = TagEntries.NONE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long seed = ThreadLocalRandom.current().nextLong() | 1;

    /** Per bucket: its first host, or {@link #NONE}. */
    private final int[] bucket = new int[BUCKETS];
    /** Per host: the next of its bucket, or the next free host. */
    private final int[] hostNext = new int[ENTRIES];
    private final byte[] hostVersion = new byte[ENTRIES];
    private final long[] hostHi = new long[ENTRIES];
    private final long[] hostLo = new long[ENTRIES];
    /** Per host: its first tag. */
    private final int[] hostFirst = new int[ENTRIES];
    private int freeHost;

    private final TagEntries tags = new TagEntries(ENTRIES);
    /** Per tag: the next of its host, or the next free one. */
    private final int[] next = tags.next;
    /** Per tag: the second of the host's latest packet. */
    private final long[] lastSecond = new long[ENTRIES];
    private int live;
    /** The packet second of the last sweep for ended tags. */
    private long sweptSecond = Long.MIN_VALUE;

    HostTags()
    {
        Arrays.fill(bucket, NONE);
        for (int h = 0; h < ENTRIES; h++)
        {
            hostNext[h] = h + 1 < ENTRIES ? h + 1 : NONE;
        }
        freeHost = 0;
    }

    /** Tags held now. */
    int live()
    {
        return live;
    }

    /**
     * Rule {@code gid:sid} alerted with host tag {@code tag} on a packet of time {@code timeNs}, whose tagged
     * address (the source or the destination, as the tag says) is {@code hi:lo} of IP version {@code version};
     * call {@link #tagged} for that packet afterwards. False when the tag is refused: no entry is free, or the
     * host holds {@link #MAX_PER_HOST} tags already.
     */
    boolean add(final int version, final long hi, final long lo, final long gid, final long sid, final Tag tag,
        final long timeNs)
    {
        final long key = gid << 32 | sid;
        final long second = timeNs / NANOS_PER_SECOND;
        int host = find(version, hi, lo);
        if (NONE != host)
        {
            int held = 0;
            for (int e = hostFirst[host]; NONE != e; e = next[e])
            {
                if (tags.of(e, key))
                {
                    if (tags.restart(e, second))
                    {
                        lastSecond[e] = second;
                    }
                    return true;
                }
                held++;
            }
            if (held >= MAX_PER_HOST)
            {
                return false;
            }
        }
        if (tags.exhausted())
        {
            sweep(second);
            if (tags.exhausted())
            {
                return false;
            }
            // The sweep may have let the host go with its last tag.
            host = find(version, hi, lo);
        }
        if (NONE == host)
        {
            // A host holds a tag, so with a tag free a host is free too.
            host = freeHost;
            freeHost = hostNext[host];
            hostVersion[host] = (byte)version;
            hostHi[host] = hi;
            hostLo[host] = lo;
            hostFirst[host] = NONE;
            final int b = bucketOf(version, hi, lo);
            hostNext[host] = bucket[b];
            bucket[b] = host;
        }
        final int e = tags.take(key, tag, second);
        next[e] = hostFirst[host];
        hostFirst[host] = e;
        lastSecond[e] = second;
        live++;
        return true;
    }

    /**
     * Counts a packet of {@code length} bytes at {@code timeNs} against the tags of host {@code hi:lo} of IP
     * version {@code version} (call it for the packet's source and for its destination), after the packet's own
     * alerts were added, and lets go the tags it ends. True when the packet is to be logged as tagged.
     */
    boolean tagged(final int version, final long hi, final long lo, final int length, final long timeNs)
    {
        if (0 == live)
        {
            return false;
        }
        final int host = find(version, hi, lo);
        if (NONE == host)
        {
            return false;
        }
        final long second = timeNs / NANOS_PER_SECOND;
        boolean tagged = false;
        int before = NONE;
        int e = hostFirst[host];
        while (NONE != e)
        {
            final int after = next[e];
            if (second - lastSecond[e] > IDLE_SECONDS)
            {
                // Suricata's host timeout would have ended it before this packet.
                unlink(host, before, e);
                e = after;
                continue;
            }
            lastSecond[e] = second;
            final int counted = tags.count(e, length, second);
            if (TagEntries.ENDED == counted)
            {
                unlink(host, before, e);
            }
            else
            {
                tagged |= TagEntries.LOGGED == counted;
                before = e;
            }
            e = after;
        }
        if (NONE == hostFirst[host])
        {
            releaseHost(host);
        }
        return tagged;
    }

    /**
     * Lets go the tags that ended by time at packet second {@code second}: their host quiet past
     * {@link #IDLE_SECONDS}, or a {@code seconds} count passed (the next packet would end it unlogged). At most
     * once per second: a full pool of live tags is not walked for every refused one.
     */
    private void sweep(final long second)
    {
        if (second == sweptSecond)
        {
            return;
        }
        sweptSecond = second;
        for (int b = 0; b < BUCKETS; b++)
        {
            int host = bucket[b];
            while (NONE != host)
            {
                final int nextHost = hostNext[host];
                int before = NONE;
                int e = hostFirst[host];
                while (NONE != e)
                {
                    final int after = next[e];
                    if (second - lastSecond[e] > IDLE_SECONDS || tags.secondsPassed(e, second))
                    {
                        unlink(host, before, e);
                    }
                    else
                    {
                        before = e;
                    }
                    e = after;
                }
                if (NONE == hostFirst[host])
                {
                    releaseHost(host);
                }
                host = nextHost;
            }
        }
    }

    private int find(final int version, final long hi, final long lo)
    {
        int host = bucket[bucketOf(version, hi, lo)];
        while (NONE != host && (hostLo[host] != lo || hostHi[host] != hi || hostVersion[host] != version))
        {
            host = hostNext[host];
        }
        return host;
    }

    private int bucketOf(final int version, final long hi, final long lo)
    {
        long x = (hi * 0x9E37_79B9_7F4A_7C15L ^ lo ^ (long)version << 56) * seed;
        x ^= x >>> 29;
        x *= 0xBF58_476D_1CE4_E5B9L;
        x ^= x >>> 32;
        return (int)x & (BUCKETS - 1);
    }

    /** Takes tag {@code e}, which follows {@code before} (or heads the list), off its host and frees it. */
    private void unlink(final int host, final int before, final int e)
    {
        if (NONE == before)
        {
            hostFirst[host] = next[e];
        }
        else
        {
            next[before] = next[e];
        }
        tags.release(e);
        live--;
    }

    /** Takes host {@code host}, which holds no tag any more, out of its bucket and frees it. */
    private void releaseHost(final int host)
    {
        final int b = bucketOf(hostVersion[host], hostHi[host], hostLo[host]);
        if (bucket[b] == host)
        {
            bucket[b] = hostNext[host];
        }
        else
        {
            int h = bucket[b];
            while (hostNext[h] != host)
            {
                h = hostNext[h];
            }
            hostNext[h] = hostNext[host];
        }
        hostNext[host] = freeHost;
        freeHost = host;
    }
}
