/*
 * Prints the layout of every DPDK struct member and the value of every constant the Java bindings use, as the
 * installed headers define them. Compiled and run by LayoutTest; written independently of the shim's own table
 * (it includes the shim's header only for the shim's struct).
 *
 * Output, one per line:
 *   <struct>[.<member>] <offset> <size>       offsetof / sizeof
 *   <struct>.<member>#bit <bit> 1             bit number of a one-bit field from the start of the struct
 *   define <NAME> <value>                     a macro or enum constant
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_ring.h>

#include "opensase_dpdk_shim.h"

#define S(type) printf("%s 0 %zu\n", #type, sizeof(struct type))
#define M(type, member) \
	printf("%s.%s %zu %zu\n", #type, #member, offsetof(struct type, member), \
		sizeof(((struct type *)0)->member))
#define D(name) printf("define %s %" PRIu64 "\n", #name, (uint64_t)(name))
#define DS(name) printf("define %s %" PRId64 "\n", #name, (int64_t)(name))

static void
bit(const char *name, const void *object, size_t size)
{
	const uint8_t *bytes = object;
	size_t i;

	for (i = 0; i < 8 * size; i++) {
		if ((bytes[i / 8] >> (i % 8)) & 1) {
			printf("%s#bit %zu 1\n", name, i);
			return;
		}
	}
}

static void
link_bits(void)
{
	struct rte_eth_link link;

	memset(&link, 0, sizeof(link));
	link.link_duplex = 1;
	bit("rte_eth_link.link_duplex", &link, sizeof(link));
	memset(&link, 0, sizeof(link));
	link.link_autoneg = 1;
	bit("rte_eth_link.link_autoneg", &link, sizeof(link));
	memset(&link, 0, sizeof(link));
	link.link_status = 1;
	bit("rte_eth_link.link_status", &link, sizeof(link));
}

int
main(void)
{
	S(rte_mbuf);
	M(rte_mbuf, buf_addr);
	M(rte_mbuf, buf_iova);
	M(rte_mbuf, data_off);
	M(rte_mbuf, refcnt);
	M(rte_mbuf, nb_segs);
	M(rte_mbuf, port);
	M(rte_mbuf, ol_flags);
	M(rte_mbuf, packet_type);
	M(rte_mbuf, pkt_len);
	M(rte_mbuf, data_len);
	M(rte_mbuf, vlan_tci);
	M(rte_mbuf, hash);
	M(rte_mbuf, vlan_tci_outer);
	M(rte_mbuf, buf_len);
	M(rte_mbuf, pool);
	M(rte_mbuf, next);
	M(rte_mbuf, tx_offload);
	M(rte_mbuf, shinfo);
	M(rte_mbuf, priv_size);
	M(rte_mbuf, timesync);
	M(rte_mbuf, dynfield1);

	S(rte_eth_conf);
	M(rte_eth_conf, link_speeds);
	M(rte_eth_conf, rxmode);
	M(rte_eth_conf, rxmode.mq_mode);
	M(rte_eth_conf, rxmode.mtu);
	M(rte_eth_conf, rxmode.max_lro_pkt_size);
	M(rte_eth_conf, rxmode.offloads);
	M(rte_eth_conf, rxmode.reserved_64s);
	M(rte_eth_conf, rxmode.reserved_ptrs);
	M(rte_eth_conf, txmode);
	M(rte_eth_conf, txmode.mq_mode);
	M(rte_eth_conf, txmode.offloads);
	M(rte_eth_conf, lpbk_mode);
	M(rte_eth_conf, rx_adv_conf);
	M(rte_eth_conf, rx_adv_conf.rss_conf);
	M(rte_eth_conf, rx_adv_conf.rss_conf.rss_key);
	M(rte_eth_conf, rx_adv_conf.rss_conf.rss_key_len);
	M(rte_eth_conf, rx_adv_conf.rss_conf.rss_hf);
	M(rte_eth_conf, tx_adv_conf);
	M(rte_eth_conf, dcb_capability_en);
	M(rte_eth_conf, intr_conf);

	S(rte_eth_rss_conf);
	M(rte_eth_rss_conf, rss_key);
	M(rte_eth_rss_conf, rss_key_len);
	M(rte_eth_rss_conf, rss_hf);

	S(rte_eth_dev_info);
	M(rte_eth_dev_info, device);
	M(rte_eth_dev_info, driver_name);
	M(rte_eth_dev_info, if_index);
	M(rte_eth_dev_info, min_mtu);
	M(rte_eth_dev_info, max_mtu);
	M(rte_eth_dev_info, dev_flags);
	M(rte_eth_dev_info, min_rx_bufsize);
	M(rte_eth_dev_info, max_rx_pktlen);
	M(rte_eth_dev_info, max_lro_pkt_size);
	M(rte_eth_dev_info, max_rx_queues);
	M(rte_eth_dev_info, max_tx_queues);
	M(rte_eth_dev_info, max_mac_addrs);
	M(rte_eth_dev_info, max_hash_mac_addrs);
	M(rte_eth_dev_info, max_vfs);
	M(rte_eth_dev_info, max_vmdq_pools);
	M(rte_eth_dev_info, rx_seg_capa);
	M(rte_eth_dev_info, rx_offload_capa);
	M(rte_eth_dev_info, tx_offload_capa);
	M(rte_eth_dev_info, rx_queue_offload_capa);
	M(rte_eth_dev_info, tx_queue_offload_capa);
	M(rte_eth_dev_info, reta_size);
	M(rte_eth_dev_info, hash_key_size);
	M(rte_eth_dev_info, flow_type_rss_offloads);
	M(rte_eth_dev_info, default_rxconf);
	M(rte_eth_dev_info, nb_rx_queues);
	M(rte_eth_dev_info, nb_tx_queues);

	S(rte_eth_link);
	M(rte_eth_link, link_speed);
	link_bits();

	S(rte_eth_stats);
	M(rte_eth_stats, ipackets);
	M(rte_eth_stats, opackets);
	M(rte_eth_stats, ibytes);
	M(rte_eth_stats, obytes);
	M(rte_eth_stats, imissed);
	M(rte_eth_stats, ierrors);
	M(rte_eth_stats, oerrors);
	M(rte_eth_stats, rx_nombuf);
	M(rte_eth_stats, q_ipackets);
	M(rte_eth_stats, q_opackets);
	M(rte_eth_stats, q_ibytes);
	M(rte_eth_stats, q_obytes);
	M(rte_eth_stats, q_errors);

	S(rte_eth_xstat);
	M(rte_eth_xstat, id);
	M(rte_eth_xstat, value);

	S(rte_eth_xstat_name);
	M(rte_eth_xstat_name, name);

	S(rte_ether_addr);
	M(rte_ether_addr, addr_bytes);

	S(opensase_layout_entry);
	M(opensase_layout_entry, name);
	M(opensase_layout_entry, offset);
	M(opensase_layout_entry, size);

	D(RTE_MAX_LCORE);
	D(RTE_MAX_ETHPORTS);
	D(LCORE_ID_ANY);
	DS(SOCKET_ID_ANY);
	D(RTE_PKTMBUF_HEADROOM);
	D(RTE_MBUF_DEFAULT_DATAROOM);
	D(RTE_ETHDEV_QUEUE_STAT_CNTRS);
	D(RTE_ETH_XSTATS_NAME_SIZE);
	D(RTE_ETH_NAME_MAX_LEN);
	D(RTE_ETHER_ADDR_LEN);
	D(RTE_MEMPOOL_NAMESIZE);
	D(RTE_RING_NAMESIZE);
	D(RTE_MEMPOOL_CACHE_MAX_SIZE);
	D(RING_F_SP_ENQ);
	D(RING_F_SC_DEQ);
	D(RING_F_EXACT_SZ);
	D(RTE_ETH_MQ_RX_NONE);
	D(RTE_ETH_MQ_RX_RSS);
	D(RTE_ETH_MQ_TX_NONE);
	D(RTE_ETH_RSS_IP);
	D(RTE_ETH_RSS_TCP);
	D(RTE_ETH_RSS_UDP);
	D(RTE_ETH_RSS_PROTO_MASK);
	D(RTE_ETH_LINK_UP);
	D(RTE_ETH_LINK_FULL_DUPLEX);
	D(RTE_ETH_LINK_AUTONEG);
	return 0;
}
