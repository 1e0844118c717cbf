package io.opensase.dpdk.internal;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * Raw bindings, laid out the way jextract lays out a header class: the C types, the constants, and for each
 * function a {@code $descriptor}, a {@code $handle} and a static method that calls it. Stateless; any thread.
 * <p>
 * Written by hand because jextract is not available here, for DPDK {@value #CHECKED_AGAINST} (x86_64, Debian's
 * build), the shim in {@code src/main/c/opensase_dpdk_shim.h} and one libc function. Every constant is checked
 * against the installed headers by {@code LayoutTest}. Names and types are C's: {@code uint16_t} is a Java
 * {@code short} and {@code unsigned int} an {@code int}, to be read unsigned. Only the short calls (bursts,
 * bulk alloc and free, ring operations, thread-locals) are linked {@code critical}: they hold off GC while they
 * run and must not call back into Java. They also accept heap segments ({@code MemorySegment.ofArray(long[])}),
 * so that a pipeline receives into, transmits from and frees from its own {@code long[]} burst arrays with no
 * copy.
 * <p>
 * A symbol that cannot be found yields a handle that throws {@link UnsatisfiedLinkError} when called, so this
 * class loads on machines without DPDK; {@code Dpdk.ensureAvailability()} says what is missing.
 */
public final class opensase_dpdk_h
{
    /** The DPDK release these bindings were checked against; the run-time library must have the same year.month. */
    public static final String CHECKED_AGAINST = "22.11.11";

    public static final ValueLayout.OfByte C_CHAR = CTypes.C_CHAR;
    public static final ValueLayout.OfShort C_SHORT = CTypes.C_SHORT;
    public static final ValueLayout.OfInt C_INT = CTypes.C_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = CTypes.C_LONG_LONG;
    /** A pointer with an unbounded target, so that the C strings functions return can be read. */
    public static final AddressLayout C_POINTER =
        CTypes.C_POINTER.withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, C_CHAR));

    public static final int RTE_MAX_LCORE = 128;
    public static final int RTE_MAX_ETHPORTS = 32;
    /** {@code UINT32_MAX}: the lcore id of a thread EAL does not know. */
    public static final int LCORE_ID_ANY = -1;
    public static final int SOCKET_ID_ANY = -1;
    public static final int RTE_PKTMBUF_HEADROOM = 128;
    public static final int RTE_MBUF_DEFAULT_DATAROOM = 2048;
    public static final int RTE_ETHDEV_QUEUE_STAT_CNTRS = 16;
    public static final int RTE_ETH_XSTATS_NAME_SIZE = 64;
    public static final int RTE_ETH_NAME_MAX_LEN = 64;
    public static final int RTE_ETHER_ADDR_LEN = 6;
    public static final int RTE_MEMPOOL_NAMESIZE = 26;
    public static final int RTE_RING_NAMESIZE = 29;
    public static final int RTE_MEMPOOL_CACHE_MAX_SIZE = 512;
    public static final int RING_F_SP_ENQ = 0x1;
    public static final int RING_F_SC_DEQ = 0x2;
    public static final int RING_F_EXACT_SZ = 0x4;
    public static final int RTE_ETH_MQ_RX_NONE = 0;
    public static final int RTE_ETH_MQ_RX_RSS = 1;
    public static final int RTE_ETH_MQ_TX_NONE = 0;
    public static final long RTE_ETH_RSS_IP = 0xa38cL;
    public static final long RTE_ETH_RSS_TCP = 0x10410L;
    public static final long RTE_ETH_RSS_UDP = 0x20820L;
    public static final long RTE_ETH_RSS_PROTO_MASK = 0x2003ffffcL;
    public static final int RTE_ETH_LINK_UP = 1;
    public static final int RTE_ETH_LINK_FULL_DUPLEX = 1;
    public static final int RTE_ETH_LINK_AUTONEG = 1;

    /** {@code typedef int (lcore_function_t)(void *)}: what {@code rte_eal_remote_launch} runs. */
    public static final FunctionDescriptor lcore_function_t$descriptor = FunctionDescriptor.of(C_INT, C_POINTER);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CRITICAL = Linker.Option.critical(true);

    private opensase_dpdk_h()
    {
    }

    // -------------------- librte_eal ----------------------------------------------------------------------

    /** {@code int rte_eal_init(int argc, char **argv)} */
    public static final FunctionDescriptor rte_eal_init$descriptor = FunctionDescriptor.of(C_INT, C_INT, C_POINTER);
    public static final MethodHandle rte_eal_init$handle = downcall("rte_eal_init", rte_eal_init$descriptor);

    public static int rte_eal_init(final int argc, final MemorySegment argv)
    {
        try
        {
            return (int)rte_eal_init$handle.invokeExact(argc, argv);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eal_cleanup(void)} */
    public static final FunctionDescriptor rte_eal_cleanup$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle rte_eal_cleanup$handle = downcall("rte_eal_cleanup", rte_eal_cleanup$descriptor);

    public static int rte_eal_cleanup()
    {
        try
        {
            return (int)rte_eal_cleanup$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code const char *rte_strerror(int errnum)} */
    public static final FunctionDescriptor rte_strerror$descriptor = FunctionDescriptor.of(C_POINTER, C_INT);
    public static final MethodHandle rte_strerror$handle = downcall("rte_strerror", rte_strerror$descriptor);

    public static MemorySegment rte_strerror(final int errnum)
    {
        try
        {
            return (MemorySegment)rte_strerror$handle.invokeExact(errnum);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code const char *rte_version(void)} */
    public static final FunctionDescriptor rte_version$descriptor = FunctionDescriptor.of(C_POINTER);
    public static final MethodHandle rte_version$handle = downcall("rte_version", rte_version$descriptor);

    public static MemorySegment rte_version()
    {
        try
        {
            return (MemorySegment)rte_version$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_dev_probe(const char *devargs)} */
    public static final FunctionDescriptor rte_dev_probe$descriptor = FunctionDescriptor.of(C_INT, C_POINTER);
    public static final MethodHandle rte_dev_probe$handle = downcall("rte_dev_probe", rte_dev_probe$descriptor);

    public static int rte_dev_probe(final MemorySegment devargs)
    {
        try
        {
            return (int)rte_dev_probe$handle.invokeExact(devargs);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_dev_remove(struct rte_device *dev)} */
    public static final FunctionDescriptor rte_dev_remove$descriptor = FunctionDescriptor.of(C_INT, C_POINTER);
    public static final MethodHandle rte_dev_remove$handle = downcall("rte_dev_remove", rte_dev_remove$descriptor);

    public static int rte_dev_remove(final MemorySegment dev)
    {
        try
        {
            return (int)rte_dev_remove$handle.invokeExact(dev);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eal_remote_launch(lcore_function_t *f, void *arg, unsigned int worker_id)} */
    public static final FunctionDescriptor rte_eal_remote_launch$descriptor =
        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT);
    public static final MethodHandle rte_eal_remote_launch$handle =
        downcall("rte_eal_remote_launch", rte_eal_remote_launch$descriptor);

    public static int rte_eal_remote_launch(final MemorySegment f, final MemorySegment arg, final int worker_id)
    {
        try
        {
            return (int)rte_eal_remote_launch$handle.invokeExact(f, arg, worker_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eal_wait_lcore(unsigned int worker_id)} */
    public static final FunctionDescriptor rte_eal_wait_lcore$descriptor = FunctionDescriptor.of(C_INT, C_INT);
    public static final MethodHandle rte_eal_wait_lcore$handle =
        downcall("rte_eal_wait_lcore", rte_eal_wait_lcore$descriptor);

    public static int rte_eal_wait_lcore(final int worker_id)
    {
        try
        {
            return (int)rte_eal_wait_lcore$handle.invokeExact(worker_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code unsigned int rte_get_main_lcore(void)} */
    public static final FunctionDescriptor rte_get_main_lcore$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle rte_get_main_lcore$handle =
        downcall("rte_get_main_lcore", rte_get_main_lcore$descriptor);

    public static int rte_get_main_lcore()
    {
        try
        {
            return (int)rte_get_main_lcore$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code unsigned int rte_lcore_count(void)} */
    public static final FunctionDescriptor rte_lcore_count$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle rte_lcore_count$handle = downcall("rte_lcore_count", rte_lcore_count$descriptor);

    public static int rte_lcore_count()
    {
        try
        {
            return (int)rte_lcore_count$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_lcore_is_enabled(unsigned int lcore_id)} */
    public static final FunctionDescriptor rte_lcore_is_enabled$descriptor = FunctionDescriptor.of(C_INT, C_INT);
    public static final MethodHandle rte_lcore_is_enabled$handle =
        downcall("rte_lcore_is_enabled", rte_lcore_is_enabled$descriptor);

    public static int rte_lcore_is_enabled(final int lcore_id)
    {
        try
        {
            return (int)rte_lcore_is_enabled$handle.invokeExact(lcore_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code unsigned int rte_get_next_lcore(unsigned int i, int skip_main, int wrap)} */
    public static final FunctionDescriptor rte_get_next_lcore$descriptor =
        FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT);
    public static final MethodHandle rte_get_next_lcore$handle =
        downcall("rte_get_next_lcore", rte_get_next_lcore$descriptor);

    public static int rte_get_next_lcore(final int i, final int skip_main, final int wrap)
    {
        try
        {
            return (int)rte_get_next_lcore$handle.invokeExact(i, skip_main, wrap);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_thread_register(void)} */
    public static final FunctionDescriptor rte_thread_register$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle rte_thread_register$handle =
        downcall("rte_thread_register", rte_thread_register$descriptor);

    public static int rte_thread_register()
    {
        try
        {
            return (int)rte_thread_register$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code void rte_thread_unregister(void)} */
    public static final FunctionDescriptor rte_thread_unregister$descriptor = FunctionDescriptor.ofVoid();
    public static final MethodHandle rte_thread_unregister$handle =
        downcall("rte_thread_unregister", rte_thread_unregister$descriptor);

    public static void rte_thread_unregister()
    {
        try
        {
            rte_thread_unregister$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    // -------------------- librte_mempool, librte_mbuf -----------------------------------------------------

    /**
     * {@code struct rte_mempool *rte_pktmbuf_pool_create(
     *     const char *name, unsigned int n, unsigned int cache_size, uint16_t priv_size, uint16_t data_room_size,
     *     int socket_id)}
     */
    public static final FunctionDescriptor rte_pktmbuf_pool_create$descriptor =
        FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT, C_INT, C_SHORT, C_SHORT, C_INT);
    public static final MethodHandle rte_pktmbuf_pool_create$handle =
        downcall("rte_pktmbuf_pool_create", rte_pktmbuf_pool_create$descriptor);

    public static MemorySegment rte_pktmbuf_pool_create(
        final MemorySegment name,
        final int n,
        final int cache_size,
        final short priv_size,
        final short data_room_size,
        final int socket_id)
    {
        try
        {
            return (MemorySegment)rte_pktmbuf_pool_create$handle.invokeExact(
                name, n, cache_size, priv_size, data_room_size, socket_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code void rte_mempool_free(struct rte_mempool *mp)} */
    public static final FunctionDescriptor rte_mempool_free$descriptor = FunctionDescriptor.ofVoid(C_POINTER);
    public static final MethodHandle rte_mempool_free$handle =
        downcall("rte_mempool_free", rte_mempool_free$descriptor);

    public static void rte_mempool_free(final MemorySegment mp)
    {
        try
        {
            rte_mempool_free$handle.invokeExact(mp);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code unsigned int rte_mempool_in_use_count(const struct rte_mempool *mp)} */
    public static final FunctionDescriptor rte_mempool_in_use_count$descriptor =
        FunctionDescriptor.of(C_INT, C_POINTER);
    public static final MethodHandle rte_mempool_in_use_count$handle =
        downcall("rte_mempool_in_use_count", rte_mempool_in_use_count$descriptor);

    public static int rte_mempool_in_use_count(final MemorySegment mp)
    {
        try
        {
            return (int)rte_mempool_in_use_count$handle.invokeExact(mp);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code unsigned int rte_mempool_avail_count(const struct rte_mempool *mp)} */
    public static final FunctionDescriptor rte_mempool_avail_count$descriptor = FunctionDescriptor.of(C_INT, C_POINTER);
    public static final MethodHandle rte_mempool_avail_count$handle =
        downcall("rte_mempool_avail_count", rte_mempool_avail_count$descriptor);

    public static int rte_mempool_avail_count(final MemorySegment mp)
    {
        try
        {
            return (int)rte_mempool_avail_count$handle.invokeExact(mp);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    // -------------------- librte_ring ---------------------------------------------------------------------

    /**
     * {@code struct rte_ring *rte_ring_create(
     *     const char *name, unsigned int count, int socket_id, unsigned int flags)}
     */
    public static final FunctionDescriptor rte_ring_create$descriptor =
        FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT, C_INT, C_INT);
    public static final MethodHandle rte_ring_create$handle = downcall("rte_ring_create", rte_ring_create$descriptor);

    public static MemorySegment rte_ring_create(
        final MemorySegment name, final int count, final int socket_id, final int flags)
    {
        try
        {
            return (MemorySegment)rte_ring_create$handle.invokeExact(name, count, socket_id, flags);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code void rte_ring_free(struct rte_ring *r)} */
    public static final FunctionDescriptor rte_ring_free$descriptor = FunctionDescriptor.ofVoid(C_POINTER);
    public static final MethodHandle rte_ring_free$handle = downcall("rte_ring_free", rte_ring_free$descriptor);

    public static void rte_ring_free(final MemorySegment r)
    {
        try
        {
            rte_ring_free$handle.invokeExact(r);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    // -------------------- librte_ethdev -------------------------------------------------------------------

    /** {@code uint16_t rte_eth_dev_count_avail(void)} */
    public static final FunctionDescriptor rte_eth_dev_count_avail$descriptor = FunctionDescriptor.of(C_SHORT);
    public static final MethodHandle rte_eth_dev_count_avail$handle =
        downcall("rte_eth_dev_count_avail", rte_eth_dev_count_avail$descriptor);

    public static short rte_eth_dev_count_avail()
    {
        try
        {
            return (short)rte_eth_dev_count_avail$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_get_port_by_name(const char *name, uint16_t *port_id)} */
    public static final FunctionDescriptor rte_eth_dev_get_port_by_name$descriptor =
        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER);
    public static final MethodHandle rte_eth_dev_get_port_by_name$handle =
        downcall("rte_eth_dev_get_port_by_name", rte_eth_dev_get_port_by_name$descriptor);

    public static int rte_eth_dev_get_port_by_name(final MemorySegment name, final MemorySegment port_id)
    {
        try
        {
            return (int)rte_eth_dev_get_port_by_name$handle.invokeExact(name, port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_get_name_by_port(uint16_t port_id, char *name)} */
    public static final FunctionDescriptor rte_eth_dev_get_name_by_port$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER);
    public static final MethodHandle rte_eth_dev_get_name_by_port$handle =
        downcall("rte_eth_dev_get_name_by_port", rte_eth_dev_get_name_by_port$descriptor);

    public static int rte_eth_dev_get_name_by_port(final short port_id, final MemorySegment name)
    {
        try
        {
            return (int)rte_eth_dev_get_name_by_port$handle.invokeExact(port_id, name);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_info_get(uint16_t port_id, struct rte_eth_dev_info *dev_info)} */
    public static final FunctionDescriptor rte_eth_dev_info_get$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER);
    public static final MethodHandle rte_eth_dev_info_get$handle =
        downcall("rte_eth_dev_info_get", rte_eth_dev_info_get$descriptor);

    public static int rte_eth_dev_info_get(final short port_id, final MemorySegment dev_info)
    {
        try
        {
            return (int)rte_eth_dev_info_get$handle.invokeExact(port_id, dev_info);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code int rte_eth_dev_configure(
     *     uint16_t port_id, uint16_t nb_rx_queue, uint16_t nb_tx_queue, const struct rte_eth_conf *eth_conf)}
     */
    public static final FunctionDescriptor rte_eth_dev_configure$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_SHORT, C_SHORT, C_POINTER);
    public static final MethodHandle rte_eth_dev_configure$handle =
        downcall("rte_eth_dev_configure", rte_eth_dev_configure$descriptor);

    public static int rte_eth_dev_configure(
        final short port_id, final short nb_rx_queue, final short nb_tx_queue, final MemorySegment eth_conf)
    {
        try
        {
            return (int)rte_eth_dev_configure$handle.invokeExact(port_id, nb_rx_queue, nb_tx_queue, eth_conf);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code int rte_eth_rx_queue_setup(
     *     uint16_t port_id, uint16_t rx_queue_id, uint16_t nb_rx_desc, unsigned int socket_id,
     *     const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mb_pool)}
     */
    public static final FunctionDescriptor rte_eth_rx_queue_setup$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_SHORT, C_SHORT, C_INT, C_POINTER, C_POINTER);
    public static final MethodHandle rte_eth_rx_queue_setup$handle =
        downcall("rte_eth_rx_queue_setup", rte_eth_rx_queue_setup$descriptor);

    public static int rte_eth_rx_queue_setup(
        final short port_id,
        final short rx_queue_id,
        final short nb_rx_desc,
        final int socket_id,
        final MemorySegment rx_conf,
        final MemorySegment mb_pool)
    {
        try
        {
            return (int)rte_eth_rx_queue_setup$handle.invokeExact(
                port_id, rx_queue_id, nb_rx_desc, socket_id, rx_conf, mb_pool);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code int rte_eth_tx_queue_setup(
     *     uint16_t port_id, uint16_t tx_queue_id, uint16_t nb_tx_desc, unsigned int socket_id,
     *     const struct rte_eth_txconf *tx_conf)}
     */
    public static final FunctionDescriptor rte_eth_tx_queue_setup$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_SHORT, C_SHORT, C_INT, C_POINTER);
    public static final MethodHandle rte_eth_tx_queue_setup$handle =
        downcall("rte_eth_tx_queue_setup", rte_eth_tx_queue_setup$descriptor);

    public static int rte_eth_tx_queue_setup(
        final short port_id,
        final short tx_queue_id,
        final short nb_tx_desc,
        final int socket_id,
        final MemorySegment tx_conf)
    {
        try
        {
            return (int)rte_eth_tx_queue_setup$handle.invokeExact(port_id, tx_queue_id, nb_tx_desc, socket_id, tx_conf);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_socket_id(uint16_t port_id)} */
    public static final FunctionDescriptor rte_eth_dev_socket_id$descriptor = FunctionDescriptor.of(C_INT, C_SHORT);
    public static final MethodHandle rte_eth_dev_socket_id$handle =
        downcall("rte_eth_dev_socket_id", rte_eth_dev_socket_id$descriptor);

    public static int rte_eth_dev_socket_id(final short port_id)
    {
        try
        {
            return (int)rte_eth_dev_socket_id$handle.invokeExact(port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_start(uint16_t port_id)} */
    public static final FunctionDescriptor rte_eth_dev_start$descriptor = FunctionDescriptor.of(C_INT, C_SHORT);
    public static final MethodHandle rte_eth_dev_start$handle =
        downcall("rte_eth_dev_start", rte_eth_dev_start$descriptor);

    public static int rte_eth_dev_start(final short port_id)
    {
        try
        {
            return (int)rte_eth_dev_start$handle.invokeExact(port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_stop(uint16_t port_id)} */
    public static final FunctionDescriptor rte_eth_dev_stop$descriptor = FunctionDescriptor.of(C_INT, C_SHORT);
    public static final MethodHandle rte_eth_dev_stop$handle =
        downcall("rte_eth_dev_stop", rte_eth_dev_stop$descriptor);

    public static int rte_eth_dev_stop(final short port_id)
    {
        try
        {
            return (int)rte_eth_dev_stop$handle.invokeExact(port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_close(uint16_t port_id)} */
    public static final FunctionDescriptor rte_eth_dev_close$descriptor = FunctionDescriptor.of(C_INT, C_SHORT);
    public static final MethodHandle rte_eth_dev_close$handle =
        downcall("rte_eth_dev_close", rte_eth_dev_close$descriptor);

    public static int rte_eth_dev_close(final short port_id)
    {
        try
        {
            return (int)rte_eth_dev_close$handle.invokeExact(port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_promiscuous_enable(uint16_t port_id)} */
    public static final FunctionDescriptor rte_eth_promiscuous_enable$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT);
    public static final MethodHandle rte_eth_promiscuous_enable$handle =
        downcall("rte_eth_promiscuous_enable", rte_eth_promiscuous_enable$descriptor);

    public static int rte_eth_promiscuous_enable(final short port_id)
    {
        try
        {
            return (int)rte_eth_promiscuous_enable$handle.invokeExact(port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_promiscuous_get(uint16_t port_id)} */
    public static final FunctionDescriptor rte_eth_promiscuous_get$descriptor = FunctionDescriptor.of(C_INT, C_SHORT);
    public static final MethodHandle rte_eth_promiscuous_get$handle =
        downcall("rte_eth_promiscuous_get", rte_eth_promiscuous_get$descriptor);

    public static int rte_eth_promiscuous_get(final short port_id)
    {
        try
        {
            return (int)rte_eth_promiscuous_get$handle.invokeExact(port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_macaddr_get(uint16_t port_id, struct rte_ether_addr *mac_addr)} */
    public static final FunctionDescriptor rte_eth_macaddr_get$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER);
    public static final MethodHandle rte_eth_macaddr_get$handle =
        downcall("rte_eth_macaddr_get", rte_eth_macaddr_get$descriptor);

    public static int rte_eth_macaddr_get(final short port_id, final MemorySegment mac_addr)
    {
        try
        {
            return (int)rte_eth_macaddr_get$handle.invokeExact(port_id, mac_addr);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_link_get_nowait(uint16_t port_id, struct rte_eth_link *link)} */
    public static final FunctionDescriptor rte_eth_link_get_nowait$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER);
    public static final MethodHandle rte_eth_link_get_nowait$handle =
        downcall("rte_eth_link_get_nowait", rte_eth_link_get_nowait$descriptor);

    public static int rte_eth_link_get_nowait(final short port_id, final MemorySegment link)
    {
        try
        {
            return (int)rte_eth_link_get_nowait$handle.invokeExact(port_id, link);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_stats_get(uint16_t port_id, struct rte_eth_stats *stats)} */
    public static final FunctionDescriptor rte_eth_stats_get$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER);
    public static final MethodHandle rte_eth_stats_get$handle =
        downcall("rte_eth_stats_get", rte_eth_stats_get$descriptor);

    public static int rte_eth_stats_get(final short port_id, final MemorySegment stats)
    {
        try
        {
            return (int)rte_eth_stats_get$handle.invokeExact(port_id, stats);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_stats_reset(uint16_t port_id)} */
    public static final FunctionDescriptor rte_eth_stats_reset$descriptor = FunctionDescriptor.of(C_INT, C_SHORT);
    public static final MethodHandle rte_eth_stats_reset$handle =
        downcall("rte_eth_stats_reset", rte_eth_stats_reset$descriptor);

    public static int rte_eth_stats_reset(final short port_id)
    {
        try
        {
            return (int)rte_eth_stats_reset$handle.invokeExact(port_id);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code int rte_eth_xstats_get_names(
     *     uint16_t port_id, struct rte_eth_xstat_name *xstats_names, unsigned int size)}
     */
    public static final FunctionDescriptor rte_eth_xstats_get_names$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER, C_INT);
    public static final MethodHandle rte_eth_xstats_get_names$handle =
        downcall("rte_eth_xstats_get_names", rte_eth_xstats_get_names$descriptor);

    public static int rte_eth_xstats_get_names(final short port_id, final MemorySegment xstats_names, final int size)
    {
        try
        {
            return (int)rte_eth_xstats_get_names$handle.invokeExact(port_id, xstats_names, size);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_xstats_get(uint16_t port_id, struct rte_eth_xstat *xstats, unsigned int n)} */
    public static final FunctionDescriptor rte_eth_xstats_get$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER, C_INT);
    public static final MethodHandle rte_eth_xstats_get$handle =
        downcall("rte_eth_xstats_get", rte_eth_xstats_get$descriptor);

    public static int rte_eth_xstats_get(final short port_id, final MemorySegment xstats, final int n)
    {
        try
        {
            return (int)rte_eth_xstats_get$handle.invokeExact(port_id, xstats, n);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int rte_eth_dev_rss_hash_conf_get(uint16_t port_id, struct rte_eth_rss_conf *rss_conf)} */
    public static final FunctionDescriptor rte_eth_dev_rss_hash_conf_get$descriptor =
        FunctionDescriptor.of(C_INT, C_SHORT, C_POINTER);
    public static final MethodHandle rte_eth_dev_rss_hash_conf_get$handle =
        downcall("rte_eth_dev_rss_hash_conf_get", rte_eth_dev_rss_hash_conf_get$descriptor);

    public static int rte_eth_dev_rss_hash_conf_get(final short port_id, final MemorySegment rss_conf)
    {
        try
        {
            return (int)rte_eth_dev_rss_hash_conf_get$handle.invokeExact(port_id, rss_conf);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    // -------------------- libopensase_dpdk (the shim: opensase_dpdk_shim.h) -------------------------------

    /**
     * {@code uint16_t opensase_rx_burst(
     *     uint16_t port_id, uint16_t queue_id, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)}
     */
    public static final FunctionDescriptor opensase_rx_burst$descriptor =
        FunctionDescriptor.of(C_SHORT, C_SHORT, C_SHORT, C_POINTER, C_SHORT);
    public static final MethodHandle opensase_rx_burst$handle =
        downcall("opensase_rx_burst", opensase_rx_burst$descriptor, CRITICAL);

    public static short opensase_rx_burst(
        final short port_id, final short queue_id, final MemorySegment rx_pkts, final short nb_pkts)
    {
        try
        {
            return (short)opensase_rx_burst$handle.invokeExact(port_id, queue_id, rx_pkts, nb_pkts);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /**
     * {@code uint16_t opensase_tx_burst(
     *     uint16_t port_id, uint16_t queue_id, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)}
     */
    public static final FunctionDescriptor opensase_tx_burst$descriptor =
        FunctionDescriptor.of(C_SHORT, C_SHORT, C_SHORT, C_POINTER, C_SHORT);
    public static final MethodHandle opensase_tx_burst$handle =
        downcall("opensase_tx_burst", opensase_tx_burst$descriptor, CRITICAL);

    public static short opensase_tx_burst(
        final short port_id, final short queue_id, final MemorySegment tx_pkts, final short nb_pkts)
    {
        try
        {
            return (short)opensase_tx_burst$handle.invokeExact(port_id, queue_id, tx_pkts, nb_pkts);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int opensase_pktmbuf_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, uint32_t count)} */
    public static final FunctionDescriptor opensase_pktmbuf_alloc_bulk$descriptor =
        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT);
    public static final MethodHandle opensase_pktmbuf_alloc_bulk$handle =
        downcall("opensase_pktmbuf_alloc_bulk", opensase_pktmbuf_alloc_bulk$descriptor, CRITICAL);

    public static int opensase_pktmbuf_alloc_bulk(final MemorySegment pool, final MemorySegment mbufs, final int count)
    {
        try
        {
            return (int)opensase_pktmbuf_alloc_bulk$handle.invokeExact(pool, mbufs, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code void opensase_pktmbuf_free_bulk(struct rte_mbuf **mbufs, uint32_t count)} */
    public static final FunctionDescriptor opensase_pktmbuf_free_bulk$descriptor =
        FunctionDescriptor.ofVoid(C_POINTER, C_INT);
    public static final MethodHandle opensase_pktmbuf_free_bulk$handle =
        downcall("opensase_pktmbuf_free_bulk", opensase_pktmbuf_free_bulk$descriptor, CRITICAL);

    public static void opensase_pktmbuf_free_bulk(final MemorySegment mbufs, final int count)
    {
        try
        {
            opensase_pktmbuf_free_bulk$handle.invokeExact(mbufs, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code uint32_t opensase_ring_sp_enqueue_burst(struct rte_ring *ring, void *const *objs, uint32_t count)} */
    public static final FunctionDescriptor opensase_ring_sp_enqueue_burst$descriptor =
        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT);
    public static final MethodHandle opensase_ring_sp_enqueue_burst$handle =
        downcall("opensase_ring_sp_enqueue_burst", opensase_ring_sp_enqueue_burst$descriptor, CRITICAL);

    public static int opensase_ring_sp_enqueue_burst(
        final MemorySegment ring, final MemorySegment objs, final int count)
    {
        try
        {
            return (int)opensase_ring_sp_enqueue_burst$handle.invokeExact(ring, objs, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code uint32_t opensase_ring_sc_dequeue_burst(struct rte_ring *ring, void **objs, uint32_t count)} */
    public static final FunctionDescriptor opensase_ring_sc_dequeue_burst$descriptor =
        FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT);
    public static final MethodHandle opensase_ring_sc_dequeue_burst$handle =
        downcall("opensase_ring_sc_dequeue_burst", opensase_ring_sc_dequeue_burst$descriptor, CRITICAL);

    public static int opensase_ring_sc_dequeue_burst(
        final MemorySegment ring, final MemorySegment objs, final int count)
    {
        try
        {
            return (int)opensase_ring_sc_dequeue_burst$handle.invokeExact(ring, objs, count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code uint32_t opensase_ring_count(const struct rte_ring *ring)} */
    public static final FunctionDescriptor opensase_ring_count$descriptor = FunctionDescriptor.of(C_INT, C_POINTER);
    public static final MethodHandle opensase_ring_count$handle =
        downcall("opensase_ring_count", opensase_ring_count$descriptor, CRITICAL);

    public static int opensase_ring_count(final MemorySegment ring)
    {
        try
        {
            return (int)opensase_ring_count$handle.invokeExact(ring);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code uint32_t opensase_lcore_id(void)} */
    public static final FunctionDescriptor opensase_lcore_id$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle opensase_lcore_id$handle =
        downcall("opensase_lcore_id", opensase_lcore_id$descriptor, CRITICAL);

    public static int opensase_lcore_id()
    {
        try
        {
            return (int)opensase_lcore_id$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int opensase_errno(void)} */
    public static final FunctionDescriptor opensase_errno$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle opensase_errno$handle =
        downcall("opensase_errno", opensase_errno$descriptor, CRITICAL);

    public static int opensase_errno()
    {
        try
        {
            return (int)opensase_errno$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int opensase_current_cpu(void)} */
    public static final FunctionDescriptor opensase_current_cpu$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle opensase_current_cpu$handle =
        downcall("opensase_current_cpu", opensase_current_cpu$descriptor, CRITICAL);

    public static int opensase_current_cpu()
    {
        try
        {
            return (int)opensase_current_cpu$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int opensase_thread_pin(uint32_t cpu)} */
    public static final FunctionDescriptor opensase_thread_pin$descriptor = FunctionDescriptor.of(C_INT, C_INT);
    public static final MethodHandle opensase_thread_pin$handle =
        downcall("opensase_thread_pin", opensase_thread_pin$descriptor);

    public static int opensase_thread_pin(final int cpu)
    {
        try
        {
            return (int)opensase_thread_pin$handle.invokeExact(cpu);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int opensase_dynfield_register(const char *name, uint32_t size, uint32_t align, uint32_t offset)} */
    public static final FunctionDescriptor opensase_dynfield_register$descriptor =
        FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT, C_INT);
    public static final MethodHandle opensase_dynfield_register$handle =
        downcall("opensase_dynfield_register", opensase_dynfield_register$descriptor);

    public static int opensase_dynfield_register(
        final MemorySegment name, final int size, final int align, final int offset)
    {
        try
        {
            return (int)opensase_dynfield_register$handle.invokeExact(name, size, align, offset);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code int opensase_log_tee_install(void)} */
    public static final FunctionDescriptor opensase_log_tee_install$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle opensase_log_tee_install$handle =
        downcall("opensase_log_tee_install", opensase_log_tee_install$descriptor);

    public static int opensase_log_tee_install()
    {
        try
        {
            return (int)opensase_log_tee_install$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code uint64_t opensase_log_position(void)} */
    public static final FunctionDescriptor opensase_log_position$descriptor = FunctionDescriptor.of(C_LONG_LONG);
    public static final MethodHandle opensase_log_position$handle =
        downcall("opensase_log_position", opensase_log_position$descriptor);

    public static long opensase_log_position()
    {
        try
        {
            return (long)opensase_log_position$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code uint32_t opensase_log_read(uint64_t from, char *buf, uint32_t size)} */
    public static final FunctionDescriptor opensase_log_read$descriptor =
        FunctionDescriptor.of(C_INT, C_LONG_LONG, C_POINTER, C_INT);
    public static final MethodHandle opensase_log_read$handle =
        downcall("opensase_log_read", opensase_log_read$descriptor);

    public static int opensase_log_read(final long from, final MemorySegment buf, final int size)
    {
        try
        {
            return (int)opensase_log_read$handle.invokeExact(from, buf, size);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code const struct opensase_layout_entry *opensase_layout(uint32_t *count)} */
    public static final FunctionDescriptor opensase_layout$descriptor = FunctionDescriptor.of(C_POINTER, C_POINTER);
    public static final MethodHandle opensase_layout$handle = downcall("opensase_layout", opensase_layout$descriptor);

    public static MemorySegment opensase_layout(final MemorySegment count)
    {
        try
        {
            return (MemorySegment)opensase_layout$handle.invokeExact(count);
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    /** {@code const char *opensase_compiled_version(void)} */
    public static final FunctionDescriptor opensase_compiled_version$descriptor = FunctionDescriptor.of(C_POINTER);
    public static final MethodHandle opensase_compiled_version$handle =
        downcall("opensase_compiled_version", opensase_compiled_version$descriptor);

    public static MemorySegment opensase_compiled_version()
    {
        try
        {
            return (MemorySegment)opensase_compiled_version$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }

    // -------------------- libc ----------------------------------------------------------------------------

    /** {@code uid_t geteuid(void)} */
    public static final FunctionDescriptor geteuid$descriptor = FunctionDescriptor.of(C_INT);
    public static final MethodHandle geteuid$handle = downcall("geteuid", geteuid$descriptor);

    public static int geteuid()
    {
        try
        {
            return (int)geteuid$handle.invokeExact();
        }
        catch (final Throwable t)
        {
            throw rethrow(t);
        }
    }
    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor,
        final Linker.Option... options)
    {
        return NativeLibraries.LOOKUP.find(name)
            .map(symbol -> LINKER.downcallHandle(symbol, descriptor, options))
            .orElseGet(() -> unavailable(name, descriptor));
    }

    private static MethodHandle unavailable(final String name, final FunctionDescriptor descriptor)
    {
        final UnsatisfiedLinkError error = new UnsatisfiedLinkError(
            name + " is not available: " + NativeLibraries.failureSummary());
        final MethodHandle thrower = MethodHandles.throwException(descriptor.toMethodType().returnType(),
            UnsatisfiedLinkError.class).bindTo(error);
        return MethodHandles.dropArguments(thrower, 0, descriptor.toMethodType().parameterList());
    }

    private static RuntimeException rethrow(final Throwable t)
    {
        if (t instanceof RuntimeException runtime)
        {
            return runtime;
        }
        if (t instanceof Error error)
        {
            throw error;
        }
        return new IllegalStateException("unexpected checked exception from a native call", t);
    }
}
