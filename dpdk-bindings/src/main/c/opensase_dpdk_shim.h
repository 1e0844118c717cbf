/*
 * Exported entry points for what DPDK 22.11 has only as static inline functions, macros or thread-locals,
 * so that Java can reach them through FFM. One native call per burst, never one per packet.
 *
 * Conventions are DPDK's: bursts return how many objects they handled; control calls return 0 or a
 * negative errno. io.opensase.dpdk.internal.opensase_dpdk_h binds every function declared here.
 */
#ifndef OPENSASE_DPDK_SHIM_H
#define OPENSASE_DPDK_SHIM_H

#include <stdint.h>

struct rte_mbuf;
struct rte_mempool;
struct rte_ring;

/* One row of the layout table: a struct ("rte_mbuf"), a member ("rte_mbuf.pkt_len") or a bit-field
 * ("rte_eth_link.link_status#bit", offset = bit number from the start of the struct, size = width). */
struct opensase_layout_entry {
	const char *name;
	uint32_t offset;
	uint32_t size;
};

/* rte_eth_rx_burst: how many mbufs were written to rx_pkts. */
uint16_t opensase_rx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **rx_pkts, uint16_t nb_pkts);

/* rte_eth_tx_burst: how many mbufs the driver took; the caller still owns tx_pkts[result..nb_pkts). */
uint16_t opensase_tx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **tx_pkts, uint16_t nb_pkts);

/* rte_pktmbuf_alloc_bulk: 0 when all count mbufs were allocated and reset; a negative errno (-ENOBUFS in 22.11)
 * when the pool could not supply them all, and then none was taken. */
int opensase_pktmbuf_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, uint32_t count);

/* rte_pktmbuf_free on each of count mbufs: whole chains, honouring refcnt; NULL entries are skipped. */
void opensase_pktmbuf_free_bulk(struct rte_mbuf **mbufs, uint32_t count);

/* rte_ring_sp_enqueue_burst / rte_ring_sc_dequeue_burst / rte_ring_count. */
uint32_t opensase_ring_sp_enqueue_burst(struct rte_ring *ring, void *const *objs, uint32_t count);
uint32_t opensase_ring_sc_dequeue_burst(struct rte_ring *ring, void **objs, uint32_t count);
uint32_t opensase_ring_count(const struct rte_ring *ring);

/* rte_lcore_id() of the calling thread: LCORE_ID_ANY (UINT32_MAX) on a thread EAL does not know. */
uint32_t opensase_lcore_id(void);

/* rte_errno of the calling thread. Meaningful only right after a call that failed. */
int opensase_errno(void);

/* The CPU the calling thread runs on now (sched_getcpu), or -errno. */
int opensase_current_cpu(void);

/* Pins the calling thread to one CPU through rte_thread_set_affinity: 0 or -errno. */
int opensase_thread_pin(uint32_t cpu);

/* rte_mbuf_dynfield_register_offset: the offset, or -rte_errno (EBUSY: taken, EEXIST: name differs). */
int opensase_dynfield_register(const char *name, uint32_t size, uint32_t align, uint32_t offset);

/* Installs (once per process) a DPDK log stream that writes to stderr, as DPDK's default stream writes to
 * stdout, and also keeps the last 64 KiB in memory so that a failed call can quote what DPDK said: 0 or -errno. */
int opensase_log_tee_install(void);

/* How many bytes of log text were written since the tee was installed. */
uint64_t opensase_log_position(void);

/* Copies the log text written since position `from` (at most the last 64 KiB and size - 1 bytes, the most
 * recent ones) to buf as a C string; returns its length. */
uint32_t opensase_log_read(uint64_t from, char *buf, uint32_t size);

/* The layout of the DPDK structs Java reads and builds, as this library was compiled. */
const struct opensase_layout_entry *opensase_layout(uint32_t *count);

/* Version of the DPDK headers this library was compiled against, as "year.month.minor" ("22.11.11"). */
const char *opensase_compiled_version(void);

#endif
