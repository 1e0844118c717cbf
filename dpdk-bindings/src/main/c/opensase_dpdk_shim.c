/*
 * Native shim for io.opensase.dpdk: see opensase_dpdk_shim.h. Built by build.sh against pkg-config libdpdk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>
#include <rte_thread.h>
#include <rte_version.h>

#include "opensase_dpdk_shim.h"

uint16_t
opensase_rx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	return rte_eth_rx_burst(port_id, queue_id, rx_pkts, nb_pkts);
}

uint16_t
opensase_tx_burst(uint16_t port_id, uint16_t queue_id, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	return rte_eth_tx_burst(port_id, queue_id, tx_pkts, nb_pkts);
}

int
opensase_pktmbuf_alloc_bulk(struct rte_mempool *pool, struct rte_mbuf **mbufs, uint32_t count)
{
	return rte_pktmbuf_alloc_bulk(pool, mbufs, count);
}

void
opensase_pktmbuf_free_bulk(struct rte_mbuf **mbufs, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		rte_pktmbuf_free(mbufs[i]);
}

uint32_t
opensase_ring_sp_enqueue_burst(struct rte_ring *ring, void *const *objs, uint32_t count)
{
	return rte_ring_sp_enqueue_burst(ring, objs, count, NULL);
}

uint32_t
opensase_ring_sc_dequeue_burst(struct rte_ring *ring, void **objs, uint32_t count)
{
	return rte_ring_sc_dequeue_burst(ring, objs, count, NULL);
}

uint32_t
opensase_ring_count(const struct rte_ring *ring)
{
	return rte_ring_count(ring);
}

uint32_t
opensase_lcore_id(void)
{
	return rte_lcore_id();
}

int
opensase_errno(void)
{
	return rte_errno;
}

int
opensase_current_cpu(void)
{
	const int cpu = sched_getcpu();

	return cpu >= 0 ? cpu : -errno;
}

int
opensase_thread_pin(uint32_t cpu)
{
	rte_cpuset_t set;

	if (cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return rte_thread_set_affinity(&set) == 0 ? 0 : -EINVAL;
}

int
opensase_dynfield_register(const char *name, uint32_t size, uint32_t align, uint32_t offset)
{
	struct rte_mbuf_dynfield params;
	int rc;

	memset(&params, 0, sizeof(params));
	if (strlen(name) >= sizeof(params.name))
		return -ENAMETOOLONG;
	strcpy(params.name, name);
	params.size = size;
	params.align = align;
	rc = rte_mbuf_dynfield_register_offset(&params, offset);
	return rc >= 0 ? rc : -rte_errno;
}

/* The log tee: every write goes to stderr and into a ring of the last LOG_RING bytes. The stream is never
 * closed, so a thread that is still writing to it when another reads the ring cannot touch freed memory. */
#define LOG_RING 65536

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_ring[LOG_RING];
static uint64_t log_written;
static FILE *log_stream;

static ssize_t
log_tee_write(void *cookie, const char *text, size_t length)
{
	size_t i;
	ssize_t ignored;

	pthread_mutex_lock(&log_lock);
	for (i = 0; i < length; i++)
		log_ring[(log_written + i) % LOG_RING] = text[i];
	log_written += length;
	pthread_mutex_unlock(&log_lock);
	ignored = write(STDERR_FILENO, text, length);
	(void)ignored;
	return (ssize_t)length;
}

int
opensase_log_tee_install(void)
{
	static const cookie_io_functions_t functions = { .write = log_tee_write };
	int rc = 0;

	pthread_mutex_lock(&log_lock);
	if (log_stream == NULL) {
		log_stream = fopencookie(NULL, "w", functions);
		if (log_stream == NULL)
			rc = -errno;
		else
			setvbuf(log_stream, NULL, _IOLBF, 0);
	}
	pthread_mutex_unlock(&log_lock);
	if (rc == 0)
		rc = rte_openlog_stream(log_stream);
	return rc;
}

uint64_t
opensase_log_position(void)
{
	uint64_t position;

	pthread_mutex_lock(&log_lock);
	position = log_written;
	pthread_mutex_unlock(&log_lock);
	return position;
}

uint32_t
opensase_log_read(uint64_t from, char *buf, uint32_t size)
{
	uint64_t start;
	uint32_t length;
	uint32_t i;

	if (size == 0)
		return 0;
	if (log_stream != NULL)
		fflush(log_stream);
	pthread_mutex_lock(&log_lock);
	start = from < log_written ? from : log_written;
	if (log_written - start > LOG_RING)
		start = log_written - LOG_RING;
	if (log_written - start > size - 1)
		start = log_written - (size - 1);
	length = (uint32_t)(log_written - start);
	for (i = 0; i < length; i++)
		buf[i] = log_ring[(start + i) % LOG_RING];
	buf[length] = '\0';
	pthread_mutex_unlock(&log_lock);
	return length;
}

#define STRUCT_ROW(type) { #type, 0, sizeof(struct type) }
#define MEMBER_ROW(type, member) \
	{ #type "." #member, offsetof(struct type, member), sizeof(((struct type *)0)->member) }

static struct opensase_layout_entry layout_rows[] = {
	STRUCT_ROW(rte_mbuf),
	MEMBER_ROW(rte_mbuf, buf_addr),
	MEMBER_ROW(rte_mbuf, buf_iova),
	MEMBER_ROW(rte_mbuf, data_off),
	MEMBER_ROW(rte_mbuf, refcnt),
	MEMBER_ROW(rte_mbuf, nb_segs),
	MEMBER_ROW(rte_mbuf, port),
	MEMBER_ROW(rte_mbuf, ol_flags),
	MEMBER_ROW(rte_mbuf, packet_type),
	MEMBER_ROW(rte_mbuf, pkt_len),
	MEMBER_ROW(rte_mbuf, data_len),
	MEMBER_ROW(rte_mbuf, vlan_tci),
	MEMBER_ROW(rte_mbuf, hash),
	MEMBER_ROW(rte_mbuf, vlan_tci_outer),
	MEMBER_ROW(rte_mbuf, buf_len),
	MEMBER_ROW(rte_mbuf, pool),
	MEMBER_ROW(rte_mbuf, next),
	MEMBER_ROW(rte_mbuf, tx_offload),
	MEMBER_ROW(rte_mbuf, shinfo),
	MEMBER_ROW(rte_mbuf, priv_size),
	MEMBER_ROW(rte_mbuf, timesync),
	MEMBER_ROW(rte_mbuf, dynfield1),

	STRUCT_ROW(rte_eth_conf),
	MEMBER_ROW(rte_eth_conf, link_speeds),
	MEMBER_ROW(rte_eth_conf, rxmode),
	MEMBER_ROW(rte_eth_conf, rxmode.mq_mode),
	MEMBER_ROW(rte_eth_conf, rxmode.mtu),
	MEMBER_ROW(rte_eth_conf, rxmode.max_lro_pkt_size),
	MEMBER_ROW(rte_eth_conf, rxmode.offloads),
	MEMBER_ROW(rte_eth_conf, txmode),
	MEMBER_ROW(rte_eth_conf, txmode.mq_mode),
	MEMBER_ROW(rte_eth_conf, txmode.offloads),
	MEMBER_ROW(rte_eth_conf, lpbk_mode),
	MEMBER_ROW(rte_eth_conf, rx_adv_conf),
	MEMBER_ROW(rte_eth_conf, rx_adv_conf.rss_conf),
	MEMBER_ROW(rte_eth_conf, rx_adv_conf.rss_conf.rss_key),
	MEMBER_ROW(rte_eth_conf, rx_adv_conf.rss_conf.rss_key_len),
	MEMBER_ROW(rte_eth_conf, rx_adv_conf.rss_conf.rss_hf),

	STRUCT_ROW(rte_eth_rss_conf),
	MEMBER_ROW(rte_eth_rss_conf, rss_key),
	MEMBER_ROW(rte_eth_rss_conf, rss_key_len),
	MEMBER_ROW(rte_eth_rss_conf, rss_hf),

	STRUCT_ROW(rte_eth_dev_info),
	MEMBER_ROW(rte_eth_dev_info, device),
	MEMBER_ROW(rte_eth_dev_info, driver_name),
	MEMBER_ROW(rte_eth_dev_info, if_index),
	MEMBER_ROW(rte_eth_dev_info, min_mtu),
	MEMBER_ROW(rte_eth_dev_info, max_mtu),
	MEMBER_ROW(rte_eth_dev_info, min_rx_bufsize),
	MEMBER_ROW(rte_eth_dev_info, max_rx_pktlen),
	MEMBER_ROW(rte_eth_dev_info, max_rx_queues),
	MEMBER_ROW(rte_eth_dev_info, max_tx_queues),
	MEMBER_ROW(rte_eth_dev_info, max_mac_addrs),
	MEMBER_ROW(rte_eth_dev_info, rx_offload_capa),
	MEMBER_ROW(rte_eth_dev_info, tx_offload_capa),
	MEMBER_ROW(rte_eth_dev_info, reta_size),
	MEMBER_ROW(rte_eth_dev_info, hash_key_size),
	MEMBER_ROW(rte_eth_dev_info, flow_type_rss_offloads),
	MEMBER_ROW(rte_eth_dev_info, nb_rx_queues),
	MEMBER_ROW(rte_eth_dev_info, nb_tx_queues),

	STRUCT_ROW(rte_eth_link),
	MEMBER_ROW(rte_eth_link, link_speed),

	STRUCT_ROW(rte_eth_stats),
	MEMBER_ROW(rte_eth_stats, ipackets),
	MEMBER_ROW(rte_eth_stats, opackets),
	MEMBER_ROW(rte_eth_stats, ibytes),
	MEMBER_ROW(rte_eth_stats, obytes),
	MEMBER_ROW(rte_eth_stats, imissed),
	MEMBER_ROW(rte_eth_stats, ierrors),
	MEMBER_ROW(rte_eth_stats, oerrors),
	MEMBER_ROW(rte_eth_stats, rx_nombuf),
	MEMBER_ROW(rte_eth_stats, q_ipackets),
	MEMBER_ROW(rte_eth_stats, q_opackets),
	MEMBER_ROW(rte_eth_stats, q_ibytes),
	MEMBER_ROW(rte_eth_stats, q_obytes),
	MEMBER_ROW(rte_eth_stats, q_errors),

	STRUCT_ROW(rte_eth_xstat),
	MEMBER_ROW(rte_eth_xstat, id),
	MEMBER_ROW(rte_eth_xstat, value),

	STRUCT_ROW(rte_eth_xstat_name),
	MEMBER_ROW(rte_eth_xstat_name, name),

	STRUCT_ROW(rte_ether_addr),
	MEMBER_ROW(rte_ether_addr, addr_bytes),

	/* Bit-fields: filled in by fill_link_bits() on the first call. */
	{ "rte_eth_link.link_duplex#bit", 0, 1 },
	{ "rte_eth_link.link_autoneg#bit", 0, 1 },
	{ "rte_eth_link.link_status#bit", 0, 1 },
};

#define LAYOUT_ROWS (sizeof(layout_rows) / sizeof(layout_rows[0]))

static uint32_t
first_bit_set(const struct rte_eth_link *link)
{
	const uint8_t *bytes = (const uint8_t *)link;
	uint32_t bit;

	for (bit = 0; bit < 8 * sizeof(*link); bit++)
		if ((bytes[bit / 8] >> (bit % 8)) & 1)
			return bit;
	return UINT32_MAX;
}

static void
fill_link_bits(void)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	link.link_duplex = 1;
	layout_rows[LAYOUT_ROWS - 3].offset = first_bit_set(&link);
	memset(&link, 0, sizeof(link));
	link.link_autoneg = 1;
	layout_rows[LAYOUT_ROWS - 2].offset = first_bit_set(&link);
	memset(&link, 0, sizeof(link));
	link.link_status = 1;
	layout_rows[LAYOUT_ROWS - 1].offset = first_bit_set(&link);
}

const struct opensase_layout_entry *
opensase_layout(uint32_t *count)
{
	fill_link_bits();
	*count = LAYOUT_ROWS;
	return layout_rows;
}

const char *
opensase_compiled_version(void)
{
	return RTE_STR(RTE_VER_YEAR) "." RTE_STR(RTE_VER_MONTH) "." RTE_STR(RTE_VER_MINOR);
}
