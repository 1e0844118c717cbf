package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.lang.foreign.Arena;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared EAL: initialised once with a net_null and a net_pcap device, two lcores, the project's fields. */
@RequiresDpdk
class EalTest
{
    private static Eal eal;

    @BeforeAll
    static void initialise()
    {
        eal = DpdkTestSupport.eal();
    }

    @Test
    void shouldRunTheLcoresGivenWithDashL()
    {
        assertEquals(2, eal.lcoreCount());
        assertEquals(0, eal.mainLcore());
        assertArrayEquals(new int[] {1}, eal.workerLcores());
    }

    @Test
    void shouldCreateThePortsOfTheVdevOptions()
    {
        assertTrue(EthPort.countAvailable() >= 2, "ports: " + EthPort.countAvailable());
        try (EthPort nullPort = EthPort.open(DpdkTestSupport.NULL_AT_INIT);
            EthPort pcapPort = EthPort.open(EthPort.idOf(DpdkTestSupport.PCAP_AT_INIT)))
        {
            assertEquals("net_null", nullPort.info().driverName());
            assertEquals("net_pcap", pcapPort.info().driverName());
            assertEquals(DpdkTestSupport.PCAP_AT_INIT, pcapPort.name(), "opened by id, named by DPDK");
        }
    }

    @Test
    void shouldRefuseASecondInitialisationAndSaySo()
    {
        final IllegalStateException failure = assertThrows(IllegalStateException.class,
            () -> Eal.init("--in-memory", "--no-pci"));
        assertTrue(failure.getMessage().contains("once per process"), failure.getMessage());
        assertSame(eal, Eal.current());
    }

    @Test
    void shouldHaveRegisteredTheProjectMbufFieldsAtTheirOffsets()
    {
        // The same name and parameters again return the offset already held; other fields there are refused.
        assertEquals(Mbuf.TIMESTAMP_NS, register(Eal.TIMESTAMP_DYNFIELD, Long.BYTES, Mbuf.TIMESTAMP_NS));
        assertEquals(Mbuf.WIRE_LEN, register(Eal.WIRE_LEN_DYNFIELD, Integer.BYTES, Mbuf.WIRE_LEN));
        assertEquals(-Errno.EBUSY, register("opensase_test_other", Long.BYTES, Mbuf.TIMESTAMP_NS));
        assertEquals(-Errno.EBUSY, register("opensase_test_other", Integer.BYTES, Mbuf.WIRE_LEN));
    }

    @Test
    void shouldReportTheLoadedRelease()
    {
        assertTrue(Dpdk.version().startsWith("DPDK 22.11"), Dpdk.version());
        assertTrue(Dpdk.shimLocation().endsWith("libopensase_dpdk.so"), Dpdk.shimLocation());
    }

    private static int register(final String name, final int size, final int offset)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return opensase_dpdk_h.opensase_dynfield_register(arena.allocateFrom(name), size, size, offset);
        }
    }
}
