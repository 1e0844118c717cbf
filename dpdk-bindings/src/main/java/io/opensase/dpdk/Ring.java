package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A single-producer, single-consumer {@code rte_ring} of pointers (mbufs, usually): one thread enqueues, one
 * thread dequeues; the control thread creates it and closes it once both have stopped.
 * <p>
 * Bursts move as many pointers as fit or as are there ({@code rte_ring_sp_enqueue_burst},
 * {@code rte_ring_sc_dequeue_burst}) in one native call and return how many moved.
 */
public final class Ring implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    private final String name;
    private final int capacity;
    /** The ring, global scope: passing an arena-scoped segment would cost every call a shared-session acquire. */
    private final MemorySegment ring;
    private boolean closed;

    private Ring(final String name, final int capacity, final MemorySegment created)
    {
        this.name = name;
        this.capacity = capacity;
        this.ring = MemorySegment.ofAddress(created.address());
        created.reinterpret(arena, opensase_dpdk_h::rte_ring_free);
    }

    /**
     * Creates a ring that holds exactly {@code capacity} pointers ({@code RING_F_EXACT_SZ}), with single-producer
     * enqueue and single-consumer dequeue, on any NUMA socket.
     *
     * @param name process-wide unique, at most {@code RTE_RING_NAMESIZE - 1} (28) characters.
     * @throws DpdkException when DPDK refuses, saying what to change.
     */
    public static Ring createSpsc(final String name, final int capacity)
    {
        Eal.current();
        final long logPosition = Dpdk.logPosition();
        try (Arena call = Arena.ofConfined())
        {
            final MemorySegment ring = opensase_dpdk_h.rte_ring_create(call.allocateFrom(name), capacity,
                opensase_dpdk_h.SOCKET_ID_ANY,
                opensase_dpdk_h.RING_F_SP_ENQ | opensase_dpdk_h.RING_F_SC_DEQ | opensase_dpdk_h.RING_F_EXACT_SZ);
            if (MemorySegment.NULL.equals(ring))
            {
                final int errno = opensase_dpdk_h.opensase_errno();
                throw Dpdk.failure("rte_ring_create(\"" + name + "\", " + capacity + ")", errno, logPosition,
                    switch (errno)
                    {
                        case Errno.EEXIST -> "a ring or memzone with that name exists: names are process-wide";
                        case Errno.ENAMETOOLONG -> "shorten the name to at most " +
                            (opensase_dpdk_h.RTE_RING_NAMESIZE - 1) + " characters";
                        case Errno.EINVAL -> "the capacity must be 1 to 2^31 - 1";
                        case Errno.ENOMEM, Errno.ENOSPC -> "not enough free hugepage memory (" +
                            Eal.EalFailures.hugepages() + ")";
                        default -> "see DPDK's log above";
                    });
            }
            return new Ring(name, capacity, ring);
        }
    }

    /** Producer thread: enqueues up to {@code count} pointers from {@code objects}; returns how many fitted. */
    public int enqueueBurst(final MemorySegment objects, final int count)
    {
        Mempool.checkArray(objects, count);
        return opensase_dpdk_h.opensase_ring_sp_enqueue_burst(ring, objects, count);
    }

    /** Consumer thread: dequeues up to {@code count} pointers into {@code objects}; returns how many came. */
    public int dequeueBurst(final MemorySegment objects, final int count)
    {
        Mempool.checkArray(objects, count);
        return opensase_dpdk_h.opensase_ring_sc_dequeue_burst(ring, objects, count);
    }

    /** How many pointers the ring holds now; exact only when neither side is moving. */
    public int count()
    {
        return opensase_dpdk_h.opensase_ring_count(ring);
    }

    public int capacity()
    {
        return capacity;
    }

    public String name()
    {
        return name;
    }

    /** The {@code struct rte_ring *}, for raw calls. Valid until {@link #close()}. */
    public MemorySegment handle()
    {
        return ring;
    }

    /** {@code rte_ring_free}; whatever pointers the ring still holds are dropped, not freed. */
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
        return "Ring[" + name + ", capacity " + capacity + "]";
    }
}
