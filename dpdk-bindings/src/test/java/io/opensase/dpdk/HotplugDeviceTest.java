package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Adding and removing devices in the one EAL of the process, and what a bad devargs string says. */
@RequiresDpdk
class HotplugDeviceTest
{
    @BeforeAll
    static void initialiseEal()
    {
        DpdkTestSupport.eal();
    }

    @Test
    void shouldAddAndRemoveADeviceSoThatItsNameCanBeUsedAgain()
    {
        final String name = DpdkTestSupport.uniqueName("net_null");
        final int ports = EthPort.countAvailable();
        try (HotplugDevice device = HotplugDevice.probe(name))
        {
            assertEquals(ports + 1, EthPort.countAvailable());
            assertEquals(name, device.name());
        }
        assertEquals(ports, EthPort.countAvailable(), "removed");
        try (HotplugDevice again = HotplugDevice.probe(name + ",size=128"); EthPort port = again.openPort())
        {
            assertEquals("net_null", port.info().driverName());
        }
    }

    @Test
    void shouldSayWhichCaptureFileIsMissing()
    {
        final String devargs = DpdkTestSupport.uniqueName("net_pcap") + ",rx_pcap=/nonexistent/capture.pcap";

        final DpdkException failure = assertThrows(DpdkException.class, () -> HotplugDevice.probe(devargs));

        assertTrue(failure.getMessage().startsWith("rte_dev_probe(\"" + devargs + "\") failed"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Couldn't open /nonexistent/capture.pcap"),
            "DPDK's reason: " + failure.getMessage());
        assertTrue(failure.getMessage().contains("rx_pcap= must name a readable capture file"), failure.getMessage());
    }

    @Test
    void shouldSayWhenTheDriverDoesNotExist()
    {
        final DpdkException failure = assertThrows(DpdkException.class,
            () -> HotplugDevice.probe("net_nosuchdriver0,foo=bar"));

        assertTrue(failure.getMessage().contains("check the driver name"), failure.getMessage());
    }

    @Test
    void shouldSayWhenTheNameIsTaken()
    {
        final String name = DpdkTestSupport.uniqueName("net_null");
        try (HotplugDevice device = HotplugDevice.probe(name))
        {
            final IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> HotplugDevice.probe(name + ",size=128"));

            assertTrue(failure.getMessage().contains("a device named " + name + " is already probed"),
                failure.getMessage());
            assertTrue(EthPort.idOf(device.name()) >= 0, "the first one is untouched");
        }
    }
}
