package io.opensase.ips.match;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * State kept per host, host pair or rule and shared by every worker of a matcher: {@code xbits} with
 * {@code track ip_src/ip_dst/ip_pair}, and the counters of {@code threshold} and {@code detection_filter}.
 * A fixed-size open-addressing table in one {@code long[]}, lock-free: each entry is eight longs (64 bytes)
 * holding a tag (what the entry is: kind, rule or bit), up to two 128-bit addresses, and one state word that
 * workers change only by compare-and-set.
 * <p>
 * <b>Claiming an entry.</b> A worker that finds an empty tag claims it by CAS to {@link #BUSY}, writes the
 * addresses, then publishes the tag with a release store; a worker that meets {@link #BUSY} spins the few
 * nanoseconds until the tag is published (so two workers never claim two entries for one key). Keys never
 * change once published, so a reader that saw the tag (acquire) reads them plainly. Entries are not
 * removed: their state expires in place, and a policy reload starts a new table. When the
 * {@value #MAX_PROBES} entries after a key's hash are all taken by other keys, {@link #entry} returns -1 and
 * the caller counts it ({@code RuleMatcher.Worker.hostTableFull()}).
 * <p>
 * <b>Time.</b> States hold packet times as milliseconds since {@link #base()}, the first packet time the table
 * saw less one hour (so slightly older packets still count), in 40 bits: 34 years.
 */
final class HostTable
{
    /** Longs per entry: tag, 4 address words, state, 2 unused to fill a 64-byte line. */
    static final int ENTRY_LONGS = 8;
    /** Entries tried after a key's hash before giving up. */
    static final int MAX_PROBES = 64;
    /** Tag of an entry being claimed. */
    static final long BUSY = -1;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle BASE;
    private static final long MARGIN_MS = 3_600_000L;

    static
    {
        try
        {
            BASE = MethodHandles.lookup().findVarHandle(HostTable.class, "baseMs", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] table;
    private final int mask;
    @SuppressWarnings("unused") // through BASE
    private volatile long baseMs = Long.MIN_VALUE;

    /** @param entries capacity, rounded up to a power of two. */
    HostTable(final int entries)
    {
        if (entries < 1 || entries > 1 << 26)
        {
            throw new IllegalArgumentException("host table entries " + entries + " not in 1.." + (1 << 26));
        }
        final int size = Integer.highestOneBit(Math.max(MAX_PROBES, entries - 1) << 1);
        table = new long[size * ENTRY_LONGS];
        mask = size - 1;
    }

    int capacity()
    {
        return mask + 1;
    }

    /**
     * Packet time {@code timeNs} in milliseconds since the base (0 for anything before it). A time of 0 is an
     * input without time: it reads as 0 and never sets the base, which would put real times out of range.
     */
    long millis(final long timeNs)
    {
        final long ms = Math.floorDiv(timeNs, 1_000_000L);
        long base = (long)BASE.getAcquire(this);
        if (Long.MIN_VALUE == base)
        {
            if (0 == timeNs)
            {
                return 0;
            }
            BASE.compareAndSet(this, Long.MIN_VALUE, ms - MARGIN_MS);
            base = (long)BASE.getAcquire(this);
        }
        return Math.max(0, ms - base);
    }

    /** The base in milliseconds since the epoch, or {@code Long.MIN_VALUE} before the first packet. */
    long base()
    {
        return (long)BASE.getAcquire(this);
    }

    /**
     * The entry of the key, claimed if new.
     *
     * @param tag positive: what the entry is (see {@link PostMatch}).
     * @return the index of its state word, or -1 when the table has no room near the key's hash.
     */
    int entry(final long tag, final long a0, final long a1, final long a2, final long a3)
    {
        int slot = (int)hash(tag, a0, a1, a2, a3) & mask;
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            final int at = slot * ENTRY_LONGS;
            long t = (long)LONGS.getAcquire(table, at);
            if (0 == t)
            {
                if (LONGS.compareAndSet(table, at, 0L, BUSY))
                {
                    table[at + 1] = a0;
                    table[at + 2] = a1;
                    table[at + 3] = a2;
                    table[at + 4] = a3;
                    LONGS.setRelease(table, at, tag);
                    return at + 5;
                }
                t = (long)LONGS.getAcquire(table, at);
            }
            while (BUSY == t)
            {
                Thread.onSpinWait();
                t = (long)LONGS.getAcquire(table, at);
            }
            if (t == tag && table[at + 1] == a0 && table[at + 2] == a1 && table[at + 3] == a2 && table[at + 4] == a3)
            {
                return at + 5;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** The entry of the key if it has one, without claiming: the index of its state word, or -1. */
    int find(final long tag, final long a0, final long a1, final long a2, final long a3)
    {
        int slot = (int)hash(tag, a0, a1, a2, a3) & mask;
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            final int at = slot * ENTRY_LONGS;
            long t = (long)LONGS.getAcquire(table, at);
            while (BUSY == t)
            {
                Thread.onSpinWait();
                t = (long)LONGS.getAcquire(table, at);
            }
            if (0 == t)
            {
                return -1;
            }
            if (t == tag && table[at + 1] == a0 && table[at + 2] == a1 && table[at + 3] == a2 && table[at + 4] == a3)
            {
                return at + 5;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** The state word at {@code index} (volatile read). */
    long state(final int index)
    {
        return (long)LONGS.getVolatile(table, index);
    }

    /** Replaces the state word at {@code index} when it still is {@code expected}. */
    boolean compareAndSet(final int index, final long expected, final long update)
    {
        return LONGS.compareAndSet(table, index, expected, update);
    }

    private static long hash(final long tag, final long a0, final long a1, final long a2, final long a3)
    {
        long h = mix(tag);
        h = mix(h ^ a0);
        h = mix(h ^ a1);
        h = mix(h ^ a2);
        return mix(h ^ a3);
    }

    /** The finaliser of SplitMix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number generators", 2014). */
    private static long mix(final long x)
    {
        long z = x + 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
