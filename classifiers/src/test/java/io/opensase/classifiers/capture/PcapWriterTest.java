package io.opensase.classifiers.capture;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.testing.CapturedPacket;
import io.opensase.classifiers.testing.CapturedPacket.Facts;
import io.opensase.classifiers.testing.CapturedPacket.Reading;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Files written by {@link PcapWriter}, read back by the readers and judged by tshark and capinfos.
 */
class PcapWriterTest
{
    /** capinfos' name for each link type's encapsulation. */
    private static final Map<LinkType, String> ENCAPSULATIONS = Map.of(
        LinkType.ETHERNET, "Ethernet", LinkType.RAW, "Raw IP", LinkType.IPV4, "Raw IPv4", LinkType.IPV6, "Raw IPv6",
        LinkType.LINUX_SLL, "Linux cooked-mode capture v1", LinkType.LINUX_SLL2, "Linux cooked-mode capture v2",
        LinkType.NULL, "NULL/Loopback");

    @Test
    void shouldWriteBackTheSharedSampleUnchanged(@TempDir final Path dir) throws IOException
    {
        final Path original = SharedData.resolve("pcap/mixed/tcpreplay-test.pcap");
        final Path written = dir.resolve("copy.pcap");
        final long packets;
        try (CaptureReader reader = Captures.open(original); PcapWriter writer = new PcapWriter(written,
            reader.linkType()))
        {
            while (reader.next())
            {
                writer.write(reader.dataAddress(), reader.capturedLength(), reader.wireLength(), reader.timestampNs());
            }
            packets = writer.packets();
        }

        final List<Facts> expected = CapturedPacket.tshark(original);
        assertEquals(expected.size(), packets);
        assertEquals(expected, CapturedPacket.tshark(written));
        final Reading reading = CapturedPacket.readAll(written);
        assertNull(reading.error());
        assertEquals(expected, reading.facts());
        final String info = Tools.run("capinfos", written.toString());
        assertEquals("Ethernet", field(info, "File encapsulation"));
        assertEquals("nanoseconds (9)", field(info, "File timestamp precision"));
        assertEquals(Integer.toString(expected.size()), field(info, "Number of packets"));
    }

    @ParameterizedTest
    @EnumSource(LinkType.class)
    void shouldKeepTheLinkType(final LinkType link, @TempDir final Path dir) throws IOException
    {
        final Path written = dir.resolve(link + ".pcap");
        final byte[] data = new byte[64];
        new Random(link.ordinal()).nextBytes(data);

        write(written, link, List.of(data), data.length);

        assertEquals(ENCAPSULATIONS.get(link), field(Tools.run("capinfos", written.toString()), "File encapsulation"));
        final Reading reading = CapturedPacket.readAll(written);
        assertEquals(link, reading.packets().getFirst().link());
        assertArrayEquals(data, reading.packets().getFirst().data());
    }

    @Test
    void shouldKeepAWireLengthLongerThanTheCapturedBytes(@TempDir final Path dir) throws IOException
    {
        final Path written = dir.resolve("snapped.pcap");
        final byte[] data = new byte[60];
        new Random(5).nextBytes(data);

        write(written, LinkType.ETHERNET, List.of(data), 1500);

        final List<Facts> expected = List.of(new Facts(1500, 60, 1_700_000_000_000_000_001L, CapturedPacket.md5(data)));
        assertEquals(expected, CapturedPacket.tshark(written));
        assertEquals(expected, CapturedPacket.readAll(written).facts());
    }

    @Test
    void shouldWriteMoreThanItsBufferHolds(@TempDir final Path dir) throws IOException
    {
        final Path written = dir.resolve("many.pcap");
        final Random random = new Random(9);
        final List<byte[]> packets = new ArrayList<>();
        for (int p = 0; p < 300; p++)
        {
            final byte[] data = new byte[9000 + random.nextInt(217)];
            random.nextBytes(data);
            packets.add(data);
        }

        write(written, LinkType.ETHERNET, packets, 0);

        final List<Facts> tshark = CapturedPacket.tshark(written);
        assertEquals(300, tshark.size());
        for (int p = 0; p < packets.size(); p++)
        {
            assertEquals(CapturedPacket.md5(packets.get(p)), tshark.get(p).md5(), "packet " + p);
            assertEquals(1_700_000_000_000_000_001L + p, tshark.get(p).timestampNs());
        }
        assertEquals(tshark, CapturedPacket.readAll(written).facts());
    }

    /**
     * The file header promises a snap length of 262144 bytes; a larger packet is kept as a capture with that
     * snap length keeps it, cut, with its wire length, so that the file stays readable by tshark and by the
     * reader.
     */
    @Test
    void shouldCutAPacketLongerThanTheSnapLengthItDeclares(@TempDir final Path dir) throws IOException
    {
        final Path written = dir.resolve("huge.pcap");
        final byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);

        write(written, LinkType.ETHERNET, List.of(data), data.length);

        final List<Facts> expected = List.of(new Facts(300_000, 262_144, 1_700_000_000_000_000_001L,
            CapturedPacket.md5(Arrays.copyOf(data, 262_144))));
        assertEquals("262144", field(Tools.run("capinfos", written.toString()), "Packet size limit").split(" ")[2]);
        assertEquals(expected, CapturedPacket.tshark(written));
        final Reading reading = CapturedPacket.readAll(written);
        assertNull(reading.error());
        assertEquals(expected, reading.facts());
    }

    /** Writes {@code packets} from native memory, nanosecond timestamps 1700000000.000000001 onwards. */
    private static void write(final Path file, final LinkType link, final List<byte[]> packets, final int wireLength)
        throws IOException
    {
        try (Arena arena = Arena.ofConfined(); PcapWriter writer = new PcapWriter(file, link))
        {
            long timestampNs = 1_700_000_000_000_000_001L;
            for (final byte[] data : packets)
            {
                final MemorySegment segment = arena.allocate(data.length, 1);
                MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_BYTE, 0, data.length);
                writer.write(segment.address(), data.length, wireLength, timestampNs++);
            }
        }
    }

    /** The value of one {@code Name: value} line of capinfos output. */
    private static String field(final String capinfos, final String name)
    {
        for (final String line : capinfos.split("\n"))
        {
            if (line.startsWith(name + ":"))
            {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("capinfos printed no " + name + ":\n" + capinfos);
    }
}
