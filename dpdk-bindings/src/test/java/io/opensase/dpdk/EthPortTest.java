package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ethdev control and bursts on net_null devices added for each test (net_null makes 64-byte packets). */
@RequiresDpdk
class EthPortTest
{
    private static final int BURST = 32;
    private static final int NULL_PACKET_LENGTH = 64;
    private static final long NULL_SPEED_MBPS = 10_000;

    private Mempool pool;
    private HotplugDevice rxDevice;
    private HotplugDevice txDevice;

    @BeforeAll
    static void initialiseEal()
    {
        DpdkTestSupport.eal();
    }

    @BeforeEach
    void addDevices()
    {
        pool = Mempool.create(DpdkTestSupport.uniqueName("ethport_"), 4096, 64, Mempool.DEFAULT_FRAME_CAPACITY);
        rxDevice = HotplugDevice.probe(DpdkTestSupport.uniqueName("net_null"));
        txDevice = HotplugDevice.probe(DpdkTestSupport.uniqueName("net_null"));
    }

    @AfterEach
    void removeDevices()
    {
        txDevice.close();
        rxDevice.close();
        pool.close();
    }

    @Test
    void shouldDescribeTheDevice()
    {
        try (EthPort port = rxDevice.openPort())
        {
            final EthDeviceInfo info = port.info();

            assertEquals("net_null", info.driverName());
            assertTrue(info.maxRxQueues() >= 2 && info.maxTxQueues() >= 2, info.toString());
            assertEquals(opensase_dpdk_h.RTE_ETH_RSS_PROTO_MASK, info.rssHashFunctions(), "net_null hashes on all");
            assertEquals(rxDevice.name(), port.name());
        }
    }

    @Test
    void shouldConfigureQueuesWithRssAndReceiveOnEach()
    {
        try (EthPort port = rxDevice.openPort(); Arena arena = Arena.ofConfined())
        {
            port.configure(2, 2, EthPort.RSS_IP_TCP_UDP);
            for (int queue = 0; queue < 2; queue++)
            {
                port.setupRxQueue(queue, 512, pool);
                port.setupTxQueue(queue, 512);
            }
            port.start();

            assertEquals(EthPort.RSS_IP_TCP_UDP, port.rssHashFunctions(), "rss_hf reached the driver");
            assertEquals(2, port.info().configuredRxQueues());
            assertEquals(2, port.info().configuredTxQueues());
            final MemorySegment mbufs = DpdkTestSupport.pointers(arena, BURST);
            for (int queue = 0; queue < 2; queue++)
            {
                assertEquals(BURST, port.rxBurst(queue, mbufs, BURST), "queue " + queue);
                for (int i = 0; i < BURST; i++)
                {
                    final long mbuf = mbufs.getAtIndex(ValueLayout.JAVA_LONG, i);
                    assertEquals(NULL_PACKET_LENGTH, Mbuf.packetLength(mbuf));
                    assertEquals(1, Mbuf.segments(mbuf));
                    assertEquals(port.id(), Mbuf.port(mbuf));
                }
                Mempool.freeBulk(mbufs, BURST);
            }
            assertEquals(0, pool.inUseCount(), "every mbuf came back");
            // net_null counts packets only; byte counters are checked on net_pcap (PcapPortTest).
            assertEquals(2 * BURST, port.stats().rxPackets());
            final Map<String, Long> xstats = port.xstats();
            assertEquals(2L * BURST, xstats.get("rx_good_packets"), xstats.toString());
            assertEquals((long)BURST, xstats.get("rx_q0_packets"), xstats.toString());
            assertEquals((long)BURST, xstats.get("rx_q1_packets"), xstats.toString());
            port.resetStats();
            assertEquals(0, port.stats().rxPackets());
        }
    }

    @Test
    void shouldRefuseHashFunctionsTheDeviceLacksAndSayWhich()
    {
        try (EthPort port = rxDevice.openPort())
        {
            final DpdkException failure = assertThrows(DpdkException.class, () -> port.configure(1, 1, 1L << 63));

            assertEquals(Errno.EINVAL, failure.errno());
            assertTrue(failure.getMessage().contains("invalid rss_hf"), failure.getMessage());
            assertTrue(failure.getMessage().contains("RSS hash functions within 0x" +
                Long.toHexString(opensase_dpdk_h.RTE_ETH_RSS_PROTO_MASK)), failure.getMessage());
        }
    }

    @Test
    void shouldTransmitAndReportLinkMacAndPromiscuousMode()
    {
        try (EthPort rx = rxDevice.openPort(); EthPort tx = txDevice.openPort(); Arena arena = Arena.ofConfined())
        {
            for (final EthPort port : new EthPort[] {rx, tx})
            {
                port.configure(1, 1, 0);
                port.setupRxQueue(0, EthPort.DEFAULT_DESCRIPTORS, pool);
                port.setupTxQueue(0, EthPort.DEFAULT_DESCRIPTORS);
            }
            assertFalse(tx.link().up(), "down before start");
            tx.start();
            rx.start();
            final MemorySegment mbufs = DpdkTestSupport.pointers(arena, BURST);

            assertEquals(BURST, rx.rxBurst(0, mbufs, BURST));
            final int sent = tx.txBurst(0, mbufs, BURST);
            assertEquals(BURST, sent, "net_null takes every packet");
            assertEquals(0, pool.inUseCount(), "the driver freed what it sent");
            assertEquals(BURST, tx.stats().txPackets());
            final LinkStatus link = tx.link();
            assertTrue(link.up(), link.toString());
            assertEquals(NULL_SPEED_MBPS, link.speedMbps());
            assertTrue(link.fullDuplex(), link.toString());
            final MacAddress mac = tx.macAddress();
            assertTrue(mac.isLocallyAdministered() && !mac.isMulticast(), "net_null's random address " + mac);
            tx.enablePromiscuous();
            assertTrue(tx.isPromiscuous());
            tx.stop();
            assertFalse(tx.link().up(), "down after stop");
        }
    }

    @Test
    void shouldReceiveTransmitAndFreeThroughJavaArrays()
    {
        try (EthPort rx = rxDevice.openPort(); EthPort tx = txDevice.openPort())
        {
            for (final EthPort port : new EthPort[] {rx, tx})
            {
                port.configure(1, 1, 0);
                port.setupRxQueue(0, 512, pool);
                port.setupTxQueue(0, 512);
                port.start();
            }
            final long[] burst = new long[32];
            final MemorySegment heap = MemorySegment.ofArray(burst);

            final int received = rx.rxBurst(0, heap, 32);

            assertEquals(32, received, "net_null fills every burst");
            for (final long mbuf : burst)
            {
                assertTrue(mbuf != 0 && Mbuf.segments(mbuf) == 1, "an mbuf address in the Java array");
            }
            assertEquals(32, pool.inUseCount());
            final int sent = tx.txBurst(0, heap, 16);
            Mempool.freeBulk(heap.asSlice(sent * 8L), 32 - sent);
            assertEquals(16, sent);
            assertEquals(0, pool.inUseCount(), "net_null frees what it sends; the rest were freed from the array");
        }
    }

    @Test
    void shouldEnablePromiscuousModeWhereTheDriverHasIt()
    {
        try (EthPort port = rxDevice.openPort())
        {
            port.configure(1, 1, 0);
            port.setupRxQueue(0, 512, pool);
            port.setupTxQueue(0, 512);
            port.start();

            assertTrue(port.enablePromiscuousIfSupported(), "net_null has promiscuous mode");
            assertTrue(port.isPromiscuous());
        }
    }

    @Test
    void shouldFailToOpenAPortThatDoesNotExist()
    {
        final DpdkException failure = assertThrows(DpdkException.class, () -> EthPort.open("net_null_absent9"));

        assertTrue(failure.getMessage().contains("no ethdev port has that name"), failure.getMessage());
        assertThrows(DpdkException.class, () -> EthPort.open(opensase_dpdk_h.RTE_MAX_ETHPORTS + 1));
    }
}
