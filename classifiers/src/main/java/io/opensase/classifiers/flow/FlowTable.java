package io.opensase.classifiers.flow;

import java.util.Arrays;

/**
 * The project's one flow table: one per worker, owned by that worker's thread, sized once and never grown.
 * <p>
 * Entries live in slots, numbered from 0 to {@code capacity - 1}; a slot number stays the same for the life
 * of a flow, so later stages keep per-flow state in arrays indexed by it and reset that state when
 * {@link #lookupOrCreate} reports {@link #NEW}. Keys are found through an open-addressing index with linear
 * probing (each bucket holds the key's hash beside its slot, so most misses never touch an entry) and
 * backward-shift deletion, so no tombstones build up.
 * <p>
 * Each flow's state (key, times, list links, counters) fills one 128-byte stride of one array, so that a
 * lookup reads one cache line and an update or eviction the line next to it.
 * <p>
 * Every flow sits on one least-recently-seen list per timeout class (TCP, UDP, ICMP, other). With time
 * taken from packets and never moving backwards, each list is ordered by last-seen time, so expiry only
 * looks at list heads, and "the flow idle the longest" is the oldest of the heads. All times are packet
 * time: capture timestamps for captures, a monotonic clock for live ports.
 */
public final class FlowTable
{
    /** Set in a lookup result when the flow was created by this packet. */
    public static final int NEW = 1 << 30;
    /** Set in a lookup result when the packet went from the second stored endpoint to the first. */
    public static final int REVERSE = 1 << 29;
    public static final int SLOT_MASK = REVERSE - 1;
    /** Lookup result when the table is full, nothing can be evicted, and the policy refuses new flows. */
    public static final int REFUSED = -1;
    /**
     * Largest capacity: slot numbers must fit under {@link #REVERSE}, and the entries, 16 longs per slot, in one
     * Java array (at most {@code Integer.MAX_VALUE - 16} elements).
     */
    public static final int MAX_CAPACITY = (Integer.MAX_VALUE - 16) / 16;

    /**
     * Longs per slot: a flow's whole state in 128 bytes, two cache lines. The first holds what a lookup reads
     * (key and last-seen time); the second what an update or an eviction touches.
     */
    private static final int STRIDE = 16;
    private static final int LAST_SEEN = FlowKey.WORDS;
    private static final int CREATED = 8;
    /** The creation time of a slot holding no flow. */
    private static final long FREE = Long.MIN_VALUE;
    /** Hash in the low 32 bits, timeout class above it. */
    private static final int HASH_CLASS = 9;
    /** Least-recently-seen list links: the older neighbour in the high 32 bits, the newer in the low. */
    private static final int LINKS = 10;
    private static final int PACKETS = 11;
    private static final int BYTES = 13;
    private static final int NONE = -1;
    /** The timeout classes every table has; new flows start in the one of their protocol. */
    public static final int CLASS_TCP = 0;
    public static final int CLASS_UDP = 1;
    public static final int CLASS_ICMP = 2;
    public static final int CLASS_OTHER = 3;
    public static final int BASE_CLASSES = 4;
    /** Returned by {@link #find} when the key has no live flow. */
    public static final int NOT_FOUND = -1;
    /** Flows expired on the side when a new flow finds the table full, before evicting anything. */
    private static final int EXPIRE_WHEN_FULL = 8;

    private final int capacity;
    private final FullTablePolicy whenFull;
    private final long[] timeoutNs;
    private final int classes;
    private FlowRemovalListener removalListener = FlowRemovalListener.NONE;
    /** Why the flow being removed goes: one of {@link FlowRemovalListener}'s causes. */
    private int removalCause;

    private final long[] entries;
    private final int[] oldest;
    private final int[] newest;

    /** hash in the high 32 bits, slot + 1 in the low; 0 is an empty bucket. */
    private final long[] buckets;
    private final int bucketMask;

    private final int[] freeSlots;
    private int freeCount;

    private long created;
    private long expired;
    private long evicted;
    private long refused;

    public FlowTable(final int capacity, final FlowTimeouts timeouts, final FullTablePolicy whenFull)
    {
        this(capacity, new long[] {timeouts.tcpNs(), timeouts.udpNs(), timeouts.icmpNs(), timeouts.otherNs()},
            whenFull);
    }

    /**
     * @param classTimeoutsNs idle timeout of each timeout class: the first {@link #BASE_CLASSES} are TCP, UDP,
     *                        ICMP and other; more classes (connection-tracking states) may follow, and flows
     *                        are moved into them with {@link #setTimeoutClass}.
     */
    public FlowTable(final int capacity, final long[] classTimeoutsNs, final FullTablePolicy whenFull)
    {
        if (capacity < 1 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("flow table capacity must be 1.." + MAX_CAPACITY + ": " + capacity);
        }
        if (classTimeoutsNs.length < BASE_CLASSES || classTimeoutsNs.length > 255)
        {
            throw new IllegalArgumentException("timeout classes must be " + BASE_CLASSES + "..255");
        }
        for (final long timeout : classTimeoutsNs)
        {
            if (timeout <= 0)
            {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
        this.capacity = capacity;
        this.whenFull = whenFull;
        this.timeoutNs = classTimeoutsNs.clone();
        this.classes = classTimeoutsNs.length;
        this.oldest = new int[classes];
        this.newest = new int[classes];

        entries = new long[capacity * STRIDE];
        Arrays.fill(oldest, NONE);
        Arrays.fill(newest, NONE);

        final int bucketCount = bucketCount(capacity);
        buckets = new long[bucketCount];
        bucketMask = bucketCount - 1;

        freeSlots = new int[capacity];
        for (int s = 0; s < capacity; s++)
        {
            freeSlots[s] = capacity - 1 - s;
            entries[s * STRIDE + CREATED] = FREE;
        }
        freeCount = capacity;
    }

    /** What {@link #visitFlows} shows of each flow. */
    @FunctionalInterface
    public interface FlowVisitor
    {
        /**
         * @param key     the flow's key words, as {@link FlowKey} lays them out (valid during the call only).
         * @param packets packets seen in the key's order (0) and the other way (1), likewise {@code bytes}.
         */
        void flow(int slot, long[] key, long packets0, long packets1, long bytes0, long bytes1, long createdNs,
            long lastSeenNs);
    }

    /**
     * Any thread, for monitoring: shows every slot holding a flow. It reads while the owner may write, so a flow
     * can be shown half-updated or just after it ended; nothing is locked and the owner never waits.
     */
    public void visitFlows(final FlowVisitor visitor)
    {
        final long[] key = new long[FlowKey.WORDS];
        for (int slot = 0; slot < capacity; slot++)
        {
            final int at = slot * STRIDE;
            final long createdNs = entries[at + CREATED];
            if (FREE != createdNs)
            {
                System.arraycopy(entries, at, key, 0, FlowKey.WORDS);
                visitor.flow(slot, key, entries[at + PACKETS], entries[at + PACKETS + 1], entries[at + BYTES],
                    entries[at + BYTES + 1], createdNs, entries[at + LAST_SEEN]);
            }
        }
    }

    /** Java heap a table of {@code capacity} flows takes: the entries and the index, free-slot stack aside. */
    public static long heapBytes(final int capacity)
    {
        return (long)capacity * STRIDE * Long.BYTES + (long)bucketCount(capacity) * Long.BYTES
            + (long)capacity * Integer.BYTES;
    }

    /** Index buckets: a power of two at least twice the capacity, so probe runs stay short. */
    private static int bucketCount(final int capacity)
    {
        return Integer.highestOneBit(Math.max(capacity, 2) * 2 - 1) << 1;
    }

    /**
     * Finds the packet's flow, or creates it, and accounts the packet to it.
     *
     * @param nowNs packet time; never earlier than the time given to the previous call.
     * @return the slot, with {@link #NEW} and {@link #REVERSE} set as they apply, or {@link #REFUSED}.
     */
    public int lookupOrCreate(final FlowKey key, final long nowNs, final int packetBytes)
    {
        final int hash = key.hash();
        final long[] words = key.words;
        int slot = find(hash, words);
        int result = key.isReverse() ? REVERSE : 0;
        if (NONE != slot && nowNs - entries[slot * STRIDE + LAST_SEEN] > timeoutNs[timeoutClass(slot)])
        {
            remove(slot, FlowRemovalListener.EXPIRED);
            expired++;
            slot = NONE;
        }
        if (NONE == slot)
        {
            slot = create(hash, words, classOf(key.ipProtocol()), nowNs);
            if (NONE == slot)
            {
                refused++;
                return REFUSED;
            }
            result |= NEW;
        }
        else
        {
            touch(slot, nowNs);
        }
        final int at = slot * STRIDE + (key.isReverse() ? 1 : 0);
        entries[at + PACKETS]++;
        entries[at + BYTES] += packetBytes;
        return result | slot;
    }

    /**
     * Removes up to {@code budget} flows that have been idle longer than their timeout at {@code nowNs}.
     *
     * @return how many were removed.
     */
    public int expire(final long nowNs, final int budget)
    {
        int removed = 0;
        for (int c = 0; c < classes; c++)
        {
            int slot = oldest[c];
            while (removed < budget && NONE != slot && nowNs - entries[slot * STRIDE + LAST_SEEN] > timeoutNs[c])
            {
                remove(slot, FlowRemovalListener.EXPIRED);
                expired++;
                removed++;
                slot = oldest[c];
            }
        }
        return removed;
    }

    /**
     * The live flow of {@code key} at {@code nowNs}, without creating one or counting a packet.
     *
     * @return its slot, or {@link #NOT_FOUND} when there is none or it has timed out.
     */
    public int find(final FlowKey key, final long nowNs)
    {
        final int slot = find(key.hash(), key.words);
        if (NONE == slot || nowNs - entries[slot * STRIDE + LAST_SEEN] > timeoutNs[timeoutClass(slot)])
        {
            return NOT_FOUND;
        }
        return slot;
    }

    /**
     * Moves a flow to another timeout class (a connection-tracking state with a timeout of its own); it keeps
     * its last-seen time, and joins the new class's list as its youngest.
     */
    public void setTimeoutClass(final int slot, final int flowClass)
    {
        final int current = timeoutClass(slot);
        if (current != flowClass)
        {
            unlink(slot, current);
            final int at = slot * STRIDE + HASH_CLASS;
            entries[at] = (long)flowClass << 32 | (entries[at] & 0xFFFF_FFFFL);
            append(slot, flowClass);
        }
    }

    public int timeoutClassOf(final int slot)
    {
        return timeoutClass(slot);
    }

    /** Removes a flow its owner no longer wants tracked (not counted as expired or evicted). */
    public void release(final int slot)
    {
        remove(slot, FlowRemovalListener.RELEASED);
    }

    /** Told of every flow removed: expired, evicted or released. Replaces any listener; the owner's thread calls it. */
    public void setRemovalListener(final FlowRemovalListener listener)
    {
        removalListener = listener;
    }

    /** Adds a listener after those already set: each is told of every removal, in the order they were added. */
    public void addRemovalListener(final FlowRemovalListener listener)
    {
        final FlowRemovalListener first = removalListener;
        removalListener = FlowRemovalListener.NONE == first ? listener : slot ->
        {
            first.onFlowRemoved(slot);
            listener.onFlowRemoved(slot);
        };
    }

    /**
     * During a removal listener's call: why the flow goes, {@link FlowRemovalListener#EXPIRED},
     * {@link FlowRemovalListener#EVICTED} or {@link FlowRemovalListener#RELEASED}.
     */
    public int removalCause()
    {
        return removalCause;
    }

    /** Copies a flow's key words, as {@link FlowKey} lays them out, into {@code into[offset..]}. */
    public void copyKey(final int slot, final long[] into, final int offset)
    {
        System.arraycopy(entries, slot * STRIDE, into, offset, FlowKey.WORDS);
    }

    /** The tenant id in a flow's key ({@link FlowKey#tenantOf}), read in place: 0 for traffic of no tenant. */
    public int tenantOf(final int slot)
    {
        return (int)(entries[slot * STRIDE] >>> 32);
    }

    public int capacity()
    {
        return capacity;
    }

    public int active()
    {
        return capacity - freeCount;
    }

    public long created()
    {
        return created;
    }

    public long expired()
    {
        return expired;
    }

    public long evicted()
    {
        return evicted;
    }

    public long refused()
    {
        return refused;
    }

    /** Packets seen on a flow in one direction: 0 from the first stored endpoint, 1 towards it. */
    public long packets(final int slot, final int direction)
    {
        return entries[slot * STRIDE + PACKETS + direction];
    }

    public long bytes(final int slot, final int direction)
    {
        return entries[slot * STRIDE + BYTES + direction];
    }

    public long createdNs(final int slot)
    {
        return entries[slot * STRIDE + CREATED];
    }

    public long lastSeenNs(final int slot)
    {
        return entries[slot * STRIDE + LAST_SEEN];
    }

    private static int classOf(final int ipProtocol)
    {
        return switch (ipProtocol)
        {
            case 6 -> CLASS_TCP;
            case 17 -> CLASS_UDP;
            case 1, 58 -> CLASS_ICMP;
            default -> CLASS_OTHER;
        };
    }

    private int timeoutClass(final int slot)
    {
        return (int)(entries[slot * STRIDE + HASH_CLASS] >>> 32);
    }

    private int hashOf(final int slot)
    {
        return (int)entries[slot * STRIDE + HASH_CLASS];
    }

    private int older(final int slot)
    {
        return (int)(entries[slot * STRIDE + LINKS] >> 32);
    }

    private int newer(final int slot)
    {
        return (int)entries[slot * STRIDE + LINKS];
    }

    private void setLinks(final int slot, final int olderSlot, final int newerSlot)
    {
        entries[slot * STRIDE + LINKS] = (long)olderSlot << 32 | (newerSlot & 0xFFFF_FFFFL);
    }

    private void setOlder(final int slot, final int olderSlot)
    {
        setLinks(slot, olderSlot, newer(slot));
    }

    private void setNewer(final int slot, final int newerSlot)
    {
        setLinks(slot, older(slot), newerSlot);
    }

    private int find(final int hash, final long[] words)
    {
        int b = hash & bucketMask;
        while (true)
        {
            final long bucket = buckets[b];
            if (0 == bucket)
            {
                return NONE;
            }
            if ((int)(bucket >>> 32) == hash)
            {
                final int slot = (int)bucket - 1;
                if (sameKey(slot, words))
                {
                    return slot;
                }
            }
            b = (b + 1) & bucketMask;
        }
    }

    private boolean sameKey(final int slot, final long[] words)
    {
        final int at = slot * STRIDE;
        return entries[at] == words[0] && entries[at + 1] == words[1] && entries[at + 2] == words[2]
            && entries[at + 3] == words[3] && entries[at + 4] == words[4] && entries[at + 5] == words[5]
            && entries[at + 6] == words[6];
    }

    private int create(final int hash, final long[] words, final int flowClass, final long nowNs)
    {
        if (0 == freeCount && !makeRoom(nowNs))
        {
            return NONE;
        }
        final int slot = freeSlots[--freeCount];
        final int at = slot * STRIDE;
        System.arraycopy(words, 0, entries, at, FlowKey.WORDS);
        entries[at + LAST_SEEN] = nowNs;
        entries[at + CREATED] = nowNs;
        entries[at + HASH_CLASS] = (long)flowClass << 32 | (hash & 0xFFFF_FFFFL);
        entries[at + PACKETS] = 0;
        entries[at + PACKETS + 1] = 0;
        entries[at + BYTES] = 0;
        entries[at + BYTES + 1] = 0;
        append(slot, flowClass);

        int b = hash & bucketMask;
        while (0 != buckets[b])
        {
            b = (b + 1) & bucketMask;
        }
        buckets[b] = (long)hash << 32 | (slot + 1L);
        created++;
        return slot;
    }

    private boolean makeRoom(final long nowNs)
    {
        if (expire(nowNs, EXPIRE_WHEN_FULL) > 0)
        {
            return true;
        }
        if (FullTablePolicy.REFUSE == whenFull)
        {
            return false;
        }
        int victim = NONE;
        for (int c = 0; c < classes; c++)
        {
            final int head = oldest[c];
            if (NONE != head && (NONE == victim || lastSeenNs(head) < lastSeenNs(victim)))
            {
                victim = head;
            }
        }
        remove(victim, FlowRemovalListener.EVICTED);
        evicted++;
        return true;
    }

    private void touch(final int slot, final long nowNs)
    {
        entries[slot * STRIDE + LAST_SEEN] = nowNs;
        final int flowClass = timeoutClass(slot);
        if (newest[flowClass] != slot)
        {
            unlink(slot, flowClass);
            append(slot, flowClass);
        }
    }

    private void append(final int slot, final int flowClass)
    {
        final int tail = newest[flowClass];
        setLinks(slot, tail, NONE);
        if (NONE == tail)
        {
            oldest[flowClass] = slot;
        }
        else
        {
            setNewer(tail, slot);
        }
        newest[flowClass] = slot;
    }

    private void unlink(final int slot, final int flowClass)
    {
        final int before = older(slot);
        final int after = newer(slot);
        if (NONE == before)
        {
            oldest[flowClass] = after;
        }
        else
        {
            setNewer(before, after);
        }
        if (NONE == after)
        {
            newest[flowClass] = before;
        }
        else
        {
            setOlder(after, before);
        }
    }

    /** The listeners still read the flow's key, times and counters: the slot is freed after them. */
    private void remove(final int slot, final int cause)
    {
        unlink(slot, timeoutClass(slot));
        removeFromIndex(slot);
        removalCause = cause;
        removalListener.onFlowRemoved(slot);
        entries[slot * STRIDE + CREATED] = FREE;
        freeSlots[freeCount++] = slot;
    }

    private void removeFromIndex(final int slot)
    {
        ProbedBuckets.deleteAt(buckets, bucketMask, bucketIndexOf(slot));
    }

    private int bucketIndexOf(final int slot)
    {
        final long wanted = slot + 1L;
        int b = hashOf(slot) & bucketMask;
        while ((buckets[b] & 0xFFFF_FFFFL) != wanted)
        {
            b = (b + 1) & bucketMask;
        }
        return b;
    }
}
