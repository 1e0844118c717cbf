package io.opensase.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opensase.classifiers.testing.CaptureFiles;
import io.opensase.classifiers.testing.CaptureFiles.Record;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * net_pcap devices added per test: what DPDK receives from a shared capture, compared byte for byte with the file
 * as the project's plain pcap reader reads it; what it transmits, compared with the file it writes.
 */
@RequiresDpdk
class PcapPortTest
{
    private static final int BURST = 32;
    /** capinfos -c: packets in the mixed capture; tshark frame.cap_len summed: their bytes. */
    private static final int MIXED_PACKETS = 179;
    private static final long MIXED_BYTES = 69_000;
    /** Frame 8 of the VXLAN capture (tshark frame.cap_len). */
    private static final int JUMBO_INDEX = 7;
    private static final int JUMBO_LENGTH = 9100;

    @BeforeAll
    static void initialiseEal()
    {
        DpdkTestSupport.eal();
    }

    @Test
    void shouldReceiveEveryPacketOfTheCaptureByteForByte() throws IOException
    {
        final List<Record> expected = records(DpdkTestSupport.MIXED_CAPTURE);
        assertEquals(MIXED_PACKETS, expected.size(), "the capture as capinfos counts it");

        try (Mempool pool = Mempool.create(DpdkTestSupport.uniqueName("pcap_rx_"), 1024, 32,
                Mempool.DEFAULT_FRAME_CAPACITY);
            HotplugDevice device = HotplugDevice.probe(devargs(DpdkTestSupport.MIXED_CAPTURE, "rx-only"));
            EthPort port = start(device, pool);
            Arena arena = Arena.ofConfined())
        {
            final long[] received = receiveAll(port, arena, expected.size());

            assertEquals(expected.size(), received.length, "every packet of the capture, then nothing");
            for (int i = 0; i < received.length; i++)
            {
                assertEquals(1, Mbuf.segments(received[i]), "packet " + (i + 1) + " in one mbuf");
                assertArrayEquals(expected.get(i).data(), DpdkTestSupport.packetBytes(received[i]),
                    "packet " + (i + 1));
            }
            final PortStats stats = port.stats();
            assertEquals(MIXED_PACKETS, stats.rxPackets());
            assertEquals(MIXED_BYTES, stats.rxBytes());
            assertEquals(MIXED_BYTES, port.xstats().get("rx_good_bytes"));
            free(arena, received);
            assertEquals(0, pool.inUseCount());
        }
    }

    @Test
    void shouldTransmitWhatItReceivedIntoAByteIdenticalCapture() throws IOException
    {
        final List<Record> expected = records(DpdkTestSupport.MIXED_CAPTURE);
        final Path written = DpdkTestSupport.scratch().resolve(DpdkTestSupport.uniqueName("tx-") + ".pcap");

        try (Mempool pool = Mempool.create(DpdkTestSupport.uniqueName("pcap_tx_"), 1024, 32,
                Mempool.DEFAULT_FRAME_CAPACITY);
            Arena arena = Arena.ofConfined())
        {
            try (HotplugDevice device = HotplugDevice.probe(devargs(DpdkTestSupport.MIXED_CAPTURE, written));
                EthPort port = start(device, pool))
            {
                final long[] received = receiveAll(port, arena, expected.size());
                final MemorySegment mbufs = DpdkTestSupport.pointers(arena, received.length);
                MemorySegment.copy(received, 0, mbufs, ValueLayout.JAVA_LONG, 0, received.length);
                int sent = 0;
                for (int attempt = 0; sent < received.length && attempt < 1000; attempt++)
                {
                    final int count = Math.min(BURST, received.length - sent);
                    sent += port.txBurst(0, mbufs.asSlice((long)sent * Long.BYTES), count);
                }

                assertEquals(received.length, sent, "net_pcap writes every packet it is given");
                assertEquals(MIXED_PACKETS, port.stats().txPackets());
                assertEquals(MIXED_BYTES, port.stats().txBytes());
                assertEquals(0, pool.inUseCount(), "the driver freed what it wrote");
            }
            // Removing the device closed the dumper: the file is complete.
            final List<Record> records = CaptureFiles.readPcap(Files.readAllBytes(written));
            assertEquals(expected.size(), records.size());
            for (int i = 0; i < records.size(); i++)
            {
                assertArrayEquals(expected.get(i).data(), records.get(i).data(), "packet " + (i + 1));
                assertEquals(expected.get(i).wireLength(), records.get(i).wireLength(), "packet " + (i + 1));
            }
        }
    }

    @Test
    void shouldReceiveTheJumboFrameWholeWithAJumboDataRoom() throws IOException
    {
        final List<Record> expected = records(DpdkTestSupport.JUMBO_CAPTURE);
        assertEquals(JUMBO_LENGTH, expected.get(JUMBO_INDEX).data().length);

        try (Mempool pool = Mempool.create(DpdkTestSupport.uniqueName("pcap_jumbo_"), 512, 0,
                Mempool.JUMBO_FRAME_CAPACITY);
            HotplugDevice device = HotplugDevice.probe(devargs(DpdkTestSupport.JUMBO_CAPTURE, "jumbo"));
            EthPort port = start(device, pool);
            Arena arena = Arena.ofConfined())
        {
            final long[] received = receiveAll(port, arena, expected.size());

            assertEquals(expected.size(), received.length);
            for (int i = 0; i < received.length; i++)
            {
                assertEquals(1, Mbuf.segments(received[i]), "packet " + (i + 1) + " in one mbuf");
                assertArrayEquals(expected.get(i).data(), DpdkTestSupport.packetBytes(received[i]));
            }
            assertEquals(JUMBO_LENGTH, Mbuf.dataLength(received[JUMBO_INDEX]));
            assertEquals(Mbuf.HEADROOM + Mempool.JUMBO_FRAME_CAPACITY, Mbuf.bufferLength(received[JUMBO_INDEX]));
            free(arena, received);
            assertEquals(0, pool.inUseCount());
        }
    }

    @Test
    void shouldChainTheJumboFrameWithTheDefaultDataRoom() throws IOException
    {
        final List<Record> expected = records(DpdkTestSupport.JUMBO_CAPTURE);

        try (Mempool pool = Mempool.create(DpdkTestSupport.uniqueName("pcap_chain_"), 512, 0,
                Mempool.DEFAULT_FRAME_CAPACITY);
            HotplugDevice device = HotplugDevice.probe(devargs(DpdkTestSupport.JUMBO_CAPTURE, "chain"));
            EthPort port = start(device, pool);
            Arena arena = Arena.ofConfined())
        {
            final long[] received = receiveAll(port, arena, expected.size());

            assertEquals(expected.size(), received.length);
            final long jumbo = received[JUMBO_INDEX];
            final int segments = (JUMBO_LENGTH + Mempool.DEFAULT_FRAME_CAPACITY - 1) / Mempool.DEFAULT_FRAME_CAPACITY;
            assertEquals(segments, Mbuf.segments(jumbo), "9,100 bytes in 2,048-byte data rooms");
            assertEquals(JUMBO_LENGTH, Mbuf.packetLength(jumbo));
            assertEquals(Mempool.DEFAULT_FRAME_CAPACITY, Mbuf.dataLength(jumbo), "the first segment is full");
            assertArrayEquals(expected.get(JUMBO_INDEX).data(), DpdkTestSupport.packetBytes(jumbo), "whole chain");
            assertEquals(received.length - 1 + segments, pool.inUseCount(), "one mbuf per segment");
            free(arena, received);
            assertEquals(0, pool.inUseCount(), "freeing the head freed the whole chain");
        }
    }

    private static List<Record> records(final String capture) throws IOException
    {
        return CaptureFiles.readPcap(Files.readAllBytes(DpdkTestSupport.data(capture)));
    }

    private static String devargs(final String capture, final Object txFile)
    {
        final Path tx = txFile instanceof Path path ? path :
            DpdkTestSupport.scratch().resolve(DpdkTestSupport.uniqueName(txFile + "-") + ".pcap");
        return DpdkTestSupport.uniqueName("net_pcap") + ",rx_pcap=" + DpdkTestSupport.data(capture) + ",tx_pcap=" + tx;
    }

    private static EthPort start(final HotplugDevice device, final Mempool pool)
    {
        final EthPort port = device.openPort();
        port.configure(1, 1, 0);
        port.setupRxQueue(0, EthPort.DEFAULT_DESCRIPTORS, pool);
        port.setupTxQueue(0, EthPort.DEFAULT_DESCRIPTORS);
        port.start();
        return port;
    }

    /** Bursts until {@code expected} packets came and then a hundred bursts more bring nothing. */
    private static long[] receiveAll(final EthPort port, final Arena arena, final int expected)
    {
        final MemorySegment mbufs = DpdkTestSupport.pointers(arena, BURST);
        long[] received = new long[0];
        for (int idle = 0; idle < 100; idle++)
        {
            final int count = port.rxBurst(0, mbufs, BURST);
            if (count > 0)
            {
                idle = 0;
                received = Arrays.copyOf(received, received.length + count);
                MemorySegment.copy(mbufs, ValueLayout.JAVA_LONG, 0, received, received.length - count, count);
            }
            if (received.length > expected)
            {
                break;
            }
        }
        return received;
    }

    private static void free(final Arena arena, final long[] mbufs)
    {
        final MemorySegment array = DpdkTestSupport.pointers(arena, mbufs.length);
        MemorySegment.copy(mbufs, 0, array, ValueLayout.JAVA_LONG, 0, mbufs.length);
        Mempool.freeBulk(array, mbufs.length);
    }
}
