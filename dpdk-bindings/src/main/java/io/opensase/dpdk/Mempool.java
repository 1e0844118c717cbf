package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A pool of packet mbufs ({@code rte_pktmbuf_pool_create}): the control thread creates and closes it; any lcore
 * allocates from it and frees into it (each lcore through its own cache).
 * <p>
 * An mbuf holds {@link Mbuf#HEADROOM} bytes of headroom and then {@code frameCapacity} bytes of data room. A
 * driver hands frames longer than the data room over as chains of mbufs ({@link Mbuf#next}); size the pool with
 * {@link #JUMBO_FRAME_CAPACITY} to receive 9,216-byte frames whole.
 */
public final class Mempool implements AutoCloseable
{
    /** DPDK's default data room, {@code RTE_MBUF_DEFAULT_DATAROOM}: a 1,518-byte frame fits, a jumbo does not. */
    public static final int DEFAULT_FRAME_CAPACITY = opensase_dpdk_h.RTE_MBUF_DEFAULT_DATAROOM;
    /** A data room that holds a 9,216-byte jumbo frame in one mbuf. */
    public static final int JUMBO_FRAME_CAPACITY = 9216;
    /** The largest per-lcore cache DPDK allows. */
    public static final int MAX_CACHE_SIZE = opensase_dpdk_h.RTE_MEMPOOL_CACHE_MAX_SIZE;

    private static final int MAX_DATA_ROOM = 0xFFFF;

    private final Arena arena = Arena.ofShared();
    private final String name;
    private final int capacity;
    private final int frameCapacity;
    /** The pool, global scope: passing an arena-scoped segment would cost every call a shared-session acquire. */
    private final MemorySegment pool;
    private boolean closed;

    private Mempool(final String name, final int capacity, final int frameCapacity, final MemorySegment created)
    {
        this.name = name;
        this.capacity = capacity;
        this.frameCapacity = frameCapacity;
        this.pool = MemorySegment.ofAddress(created.address());
        created.reinterpret(arena, opensase_dpdk_h::rte_mempool_free);
    }

    /**
     * Creates a pool of {@code mbufs} packet buffers on any NUMA socket.
     *
     * @param name          process-wide unique, at most {@code RTE_MEMPOOL_NAMESIZE - 1} (25) characters.
     * @param mbufs         how many mbufs; a port queue holds up to its descriptor count of them.
     * @param cacheSize     mbufs each lcore keeps for itself, 0 to {@link #MAX_CACHE_SIZE} and at most
     *                      {@code mbufs / 1.5}; 0 when only non-EAL threads use the pool.
     * @param frameCapacity data room after the headroom, e.g. {@link #DEFAULT_FRAME_CAPACITY} or
     *                      {@link #JUMBO_FRAME_CAPACITY}.
     * @throws DpdkException when DPDK refuses, saying what to change.
     */
    public static Mempool create(final String name, final int mbufs, final int cacheSize, final int frameCapacity)
    {
        Eal.current();
        final int dataRoom = Mbuf.HEADROOM + frameCapacity;
        if (frameCapacity < 0 || dataRoom > MAX_DATA_ROOM)
        {
            throw new IllegalArgumentException("frameCapacity " + frameCapacity + " must be 0 to " +
                (MAX_DATA_ROOM - Mbuf.HEADROOM) + ": headroom plus data room is a uint16_t");
        }
        final long logPosition = Dpdk.logPosition();
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment pool = opensase_dpdk_h.rte_pktmbuf_pool_create(call.allocateFrom(name), mbufs,
                cacheSize, (short)0, (short)dataRoom, opensase_dpdk_h.SOCKET_ID_ANY);
            if (MemorySegment.NULL.equals(pool))
            {
                final int errno = opensase_dpdk_h.opensase_errno();
                throw Dpdk.failure("rte_pktmbuf_pool_create(\"" + name + "\", " + mbufs + " mbufs, cache " +
                    cacheSize + ", data room " + dataRoom + ")", errno, logPosition, fix(errno, mbufs, dataRoom));
            }
            return new Mempool(name, mbufs, frameCapacity, pool);
        }
    }

    /**
     * {@code rte_pktmbuf_free} on each of {@code count} mbufs (whole chains, honouring reference counts; null
     * entries are skipped), back into the pools they came from. Any thread; one native call.
     */
    public static void freeBulk(final MemorySegment mbufs, final int count)
    {
        checkArray(mbufs, count);
        opensase_dpdk_h.opensase_pktmbuf_free_bulk(mbufs, count);
    }

    /**
     * {@code rte_pktmbuf_alloc_bulk}: fills {@code mbufs[0..count)} with reset mbufs, all or none. Any thread; one
     * native call.
     *
     * @return 0, or a negative errno ({@code -ENOBUFS} in DPDK 22.11) when the pool cannot supply {@code count}
     * mbufs; then none are taken.
     */
    public int allocBulk(final MemorySegment mbufs, final int count)
    {
        checkArray(mbufs, count);
        return opensase_dpdk_h.opensase_pktmbuf_alloc_bulk(pool, mbufs, count);
    }

    /** {@code rte_mempool_in_use_count}: mbufs allocated and not freed, counting those in lcore caches as free. */
    public int inUseCount()
    {
        return opensase_dpdk_h.rte_mempool_in_use_count(pool);
    }

    /** {@code rte_mempool_avail_count}: mbufs free, in the pool or in lcore caches. */
    public int availableCount()
    {
        return opensase_dpdk_h.rte_mempool_avail_count(pool);
    }

    public String name()
    {
        return name;
    }

    /** How many mbufs the pool holds. */
    public int capacity()
    {
        return capacity;
    }

    /** The longest frame one mbuf holds. */
    public int frameCapacity()
    {
        return frameCapacity;
    }

    /** The {@code struct rte_mempool *}, for raw calls. Valid until {@link #close()}. */
    public MemorySegment handle()
    {
        return pool;
    }

    /**
     * {@code rte_mempool_free}. Close every port queue that uses the pool first, and free every mbuf: DPDK does
     * not check, and an mbuf used after its pool is freed corrupts memory.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            arena.close();
        }
    }

    @Override
    public String toString()
    {
        return "Mempool[" + name + ", " + capacity + " mbufs of " + frameCapacity + " bytes]";
    }

    static void checkArray(final MemorySegment mbufs, final int count)
    {
        if (count < 0 || count > mbufs.byteSize() / ValueLayout.ADDRESS.byteSize())
        {
            throw new IndexOutOfBoundsException("count " + count + " outside an array of " +
                mbufs.byteSize() / ValueLayout.ADDRESS.byteSize() + " pointers");
        }
    }

    private static String fix(final int errno, final int mbufs, final int dataRoom)
    {
        return switch (errno)
        {
            case Errno.EEXIST -> "a mempool or memzone with that name exists: names are process-wide, so pick " +
                "another or close the other pool";
            case Errno.ENAMETOOLONG -> "shorten the name to at most " + (opensase_dpdk_h.RTE_MEMPOOL_NAMESIZE - 1) +
                " characters";
            case Errno.ENOMEM, Errno.ENOSPC -> "not enough free hugepage memory for " + mbufs + " mbufs of about " +
                (dataRoom + Mbuf.HEADER_SIZE) + " bytes (" + Eal.EalFailures.hugepages() + "): make the pool " +
                "smaller or reserve more hugepages";
            case Errno.EINVAL -> "the cache size must be at most " + MAX_CACHE_SIZE + " and at most mbufs / 1.5, " +
                "and the pool must have at least one mbuf";
            default -> "see DPDK's log above";
        };
    }
}
