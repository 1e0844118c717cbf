/**
 * DPDK from Java 25 through FFM: EAL ({@link io.opensase.dpdk.Eal}), hot-plugged devices
 * ({@link io.opensase.dpdk.HotplugDevice}), ethdev ports ({@link io.opensase.dpdk.EthPort}), packet mbuf pools
 * ({@link io.opensase.dpdk.Mempool}), SP/SC rings ({@link io.opensase.dpdk.Ring}), lcores
 * ({@link io.opensase.dpdk.Lcore}) and mbuf field access ({@link io.opensase.dpdk.Mbuf}).
 * <p>
 * Conventions: every wrapper owns its native resources and releases them in {@code close()}; its Javadoc says
 * which thread owns it. Bursts cross into native code once per burst through the shim, return counts and never
 * throw for a DPDK condition; control calls throw {@link io.opensase.dpdk.DpdkException} with DPDK's own words
 * and what to do. Checked against DPDK 22.11 on x86_64 ({@code internal.opensase_dpdk_h.CHECKED_AGAINST}).
 * Run with {@code --enable-native-access=ALL-UNNAMED}.
 */
package io.opensase.dpdk;
