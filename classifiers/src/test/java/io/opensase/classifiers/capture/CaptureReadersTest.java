package io.opensase.classifiers.capture;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.testing.CaptureFiles;
import io.opensase.classifiers.testing.CapturedPacket;
import io.opensase.classifiers.testing.CapturedPacket.Facts;
import io.opensase.classifiers.testing.CapturedPacket.Reading;
import io.opensase.classifiers.testing.ExactParse;
import io.opensase.classifiers.testing.Frames;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.opensase.classifiers.testing.Frames.concat;
import static io.opensase.classifiers.testing.Frames.ethernet;
import static io.opensase.classifiers.testing.Frames.ipv4;
import static io.opensase.classifiers.testing.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capture readers against files written by other tools (editcap, scapy) or by hand from the format
 * specifications, with tshark as the judge of what each file holds.
 */
class CaptureReadersTest
{
    private static final String SAMPLE = "pcap/mixed/tcpreplay-test.pcap";
    private static final int SAMPLE_PACKETS = 179;

    private static final String V4_SRC = "198.51.100.7";
    private static final String V4_DST = "203.0.113.9";
    private static final String V6_SRC = "2001:db8::7";
    private static final String V6_DST = "2001:db8::9";

    /** Writes one-packet captures for each link type with scapy; the family word of link type 0 as named. */
    private static final String LINK_TYPE_SCRIPT = """
        import struct, sys
        from scapy.all import IP, IPv6, UDP, TCP, Raw, wrpcap
        from scapy.layers.l2 import CookedLinux, CookedLinuxV2
        d = sys.argv[1]
        v4 = IP(src="198.51.100.7", dst="203.0.113.9")/UDP(sport=1234, dport=5678)/Raw(b"hello")
        v6 = IPv6(src="2001:db8::7", dst="2001:db8::9")/TCP(sport=4321, dport=443)
        mac = b"\\x02\\x00\\x00\\x00\\x00\\x01\\x00\\x00"
        wrpcap(d + "/raw-v4.pcap", [v4], linktype=101)
        wrpcap(d + "/raw-v6.pcap", [v6], linktype=101)
        wrpcap(d + "/ipv4.pcap", [v4], linktype=228)
        wrpcap(d + "/ipv6.pcap", [v6], linktype=229)
        wrpcap(d + "/sll.pcap", [CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=mac, proto=0x0800)/v4],
            linktype=113)
        wrpcap(d + "/sll2.pcap", [CookedLinuxV2(proto=0x86dd, ifindex=2, lladdrtype=1, pkttype=0, lladdrlen=6,
            src=mac)/v6], linktype=276)
        for name, order, family, packet in [("null-le-inet", "<", 2, v4), ("null-be-inet", ">", 2, v4),
                ("null-le-inet6-linux", "<", 10, v6), ("null-be-inet6-linux", ">", 10, v6),
                ("null-be-inet6-netbsd", ">", 24, v6), ("null-le-inet6-freebsd", "<", 28, v6),
                ("null-le-inet6-macos", "<", 30, v6), ("null-be-inet6-macos", ">", 30, v6)]:
            wrpcap(d + "/" + name + ".pcap", [struct.pack(order + "I", family) + bytes(packet)], linktype=0)
        """;

    @TempDir
    static Path linkTypeDir;

    /** A one-packet capture of a link type, and the layers the parser must find in it. */
    record LinkCase(String file, LinkType link, List<String> layers)
    {
        @Override
        public String toString()
        {
            return file;
        }

        boolean isIpv4()
        {
            return layers.stream().anyMatch(layer -> layer.startsWith("IPV4@"));
        }
    }

    @BeforeAll
    static void writeLinkTypeCaptures()
    {
        Tools.python(LINK_TYPE_SCRIPT, linkTypeDir.toString());
    }

    static List<LinkCase> linkCases()
    {
        final List<String> v4 = List.of("IPV4@0", "UDP@20");
        final List<String> v6 = List.of("IPV6@0", "TCP@40");
        final List<String> loop4 = List.of("LOOPBACK@0", "IPV4@4", "UDP@24");
        final List<String> loop6 = List.of("LOOPBACK@0", "IPV6@4", "TCP@44");
        return List.of(
            new LinkCase("raw-v4.pcap", LinkType.RAW, v4),
            new LinkCase("raw-v6.pcap", LinkType.RAW, v6),
            new LinkCase("ipv4.pcap", LinkType.IPV4, v4),
            new LinkCase("ipv6.pcap", LinkType.IPV6, v6),
            new LinkCase("sll.pcap", LinkType.LINUX_SLL, List.of("LINUX_SLL@0", "IPV4@16", "UDP@36")),
            new LinkCase("sll2.pcap", LinkType.LINUX_SLL2, List.of("LINUX_SLL2@0", "IPV6@20", "TCP@60")),
            new LinkCase("null-le-inet.pcap", LinkType.NULL, loop4),
            new LinkCase("null-be-inet.pcap", LinkType.NULL, loop4),
            new LinkCase("null-le-inet6-linux.pcap", LinkType.NULL, loop6),
            new LinkCase("null-be-inet6-linux.pcap", LinkType.NULL, loop6),
            new LinkCase("null-be-inet6-netbsd.pcap", LinkType.NULL, loop6),
            new LinkCase("null-le-inet6-freebsd.pcap", LinkType.NULL, loop6),
            new LinkCase("null-le-inet6-macos.pcap", LinkType.NULL, loop6),
            new LinkCase("null-be-inet6-macos.pcap", LinkType.NULL, loop6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkCases")
    void shouldFindTheIpLayerAndAddressesBehindEachLinkType(final LinkCase linkCase) throws IOException
    {
        final Reading reading = CapturedPacket.readAll(linkTypeDir.resolve(linkCase.file()));

        assertNull(reading.error());
        assertEquals(1, reading.packets().size());
        final CapturedPacket packet = reading.packets().getFirst();
        assertEquals(linkCase.link(), packet.link());
        final ParsedPackets parsed = ExactParse.parse(new PacketParser(), packet.data(), packet.wireLength(),
            packet.link());
        assertEquals(linkCase.layers(), ExactParse.layers(parsed, 0));
        if (linkCase.isIpv4())
        {
            assertEquals(Frames.ipv4Word(V4_SRC), parsed.srcLo(0));
            assertEquals(Frames.ipv4Word(V4_DST), parsed.dstLo(0));
            assertEquals(1234, parsed.srcPort(0));
            assertEquals(5678, parsed.dstPort(0));
        }
        else
        {
            assertEquals(Frames.ipv6Word(V6_SRC, 0), parsed.srcHi(0));
            assertEquals(Frames.ipv6Word(V6_SRC, 1), parsed.srcLo(0));
            assertEquals(Frames.ipv6Word(V6_DST, 1), parsed.dstLo(0));
            assertEquals(4321, parsed.srcPort(0));
            assertEquals(443, parsed.dstPort(0));
        }
    }

    @Test
    void shouldReadEveryEncodingOfTheSameCaptureAlike(@TempDir final Path dir) throws IOException
    {
        final Path original = SharedData.resolve(SAMPLE);
        final Path pcapng = dir.resolve("editcap.pcapng");
        final Path nanos = dir.resolve("editcap-ns.pcap");
        Tools.run("editcap", "-F", "pcapng", original.toString(), pcapng.toString());
        Tools.run("editcap", "-F", "nsecpcap", original.toString(), nanos.toString());
        final Path swapped = CaptureFiles.write(dir.resolve("big-endian.pcap"),
            CaptureFiles.swapPcapByteOrder(Files.readAllBytes(original)));
        final Path swappedNanos = CaptureFiles.write(dir.resolve("big-endian-ns.pcap"),
            CaptureFiles.swapPcapByteOrder(Files.readAllBytes(nanos)));
        final Path bigEndianNg = CaptureFiles.write(dir.resolve("big-endian.pcapng"),
            pcapngOf(Files.readAllBytes(original), ByteOrder.BIG_ENDIAN));

        final List<Facts> expected = CapturedPacket.tshark(original);

        assertEquals(SAMPLE_PACKETS, expected.size());
        assertArrayEquals(new byte[] {(byte)0xA1, (byte)0xB2, (byte)0xC3, (byte)0xD4},
            Arrays.copyOf(Files.readAllBytes(swapped), 4), "the swapped file is big-endian");
        for (final Path file : List.of(original, pcapng, nanos, swapped, swappedNanos, bigEndianNg))
        {
            assertEquals(expected, CapturedPacket.tshark(file), "tshark on " + file.getFileName());
            final Reading reading = CapturedPacket.readAll(file);
            assertNull(reading.error(), file.getFileName().toString());
            assertEquals(expected, reading.facts(), file.getFileName().toString());
            assertTrue(reading.packets().stream().allMatch(p -> LinkType.ETHERNET == p.link()));
        }
    }

    /**
     * One pcapng file, two sections of opposite byte orders, interfaces with timestamps in 10^-9, 2^-20,
     * 10^-3 seconds and in default microseconds shifted by if_tsoffset, blocks the reader must skip, and
     * enhanced, obsolete and simple packet blocks. Expected times are worked out by hand and must also be
     * tshark's.
     */
    @Test
    void shouldHonourEachInterfaceTimestampResolutionAndOffset(@TempDir final Path dir) throws IOException
    {
        final byte[] frame = concat(ethernet(0x0800), ipv4(17, "10.0.0.1", "10.0.0.2", 12), udp(1, 2, 12),
            Frames.hex("01020304"));
        final byte[] rawIp = Arrays.copyOfRange(frame, 14, frame.length);
        final byte[] hundred = new byte[100];
        new Random(7).nextBytes(hundred);
        final byte[] little = new CaptureFiles.PcapNg()
            .section(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(1, 0, 9, 0)
            .interfaceDescription(101, 0, 0x80 | 20, 0)
            .interfaceDescription(1, 0, -1, 1000)
            .interfaceDescription(1, 0, 3, 0)
            .block(0x8000_0001, new byte[8])
            .block(4, new byte[4])
            .enhancedPacket(0, 1_700_000_000_123_456_789L, frame.length, frame)
            .enhancedPacket(1, (1_700_000_000L << 20) + 262_144, rawIp.length, rawIp)
            .enhancedPacket(1, (1_700_000_001L << 20) + 1, rawIp.length, rawIp)
            .enhancedPacket(2, 1_700_000_000_654_321L, 1514, frame)
            .enhancedPacket(3, 1_700_000_000_500L, frame.length, frame)
            .obsoletePacket(0, 1_700_000_002_000_000_001L, frame.length, frame)
            .simplePacket(hundred.length, hundred)
            .bytes();
        final byte[] big = new CaptureFiles.PcapNg()
            .section(ByteOrder.BIG_ENDIAN)
            .interfaceDescription(1, 64, 6, 0)
            .block(5, new byte[12])
            .enhancedPacket(0, 1_700_000_003_000_007L, frame.length, frame)
            .simplePacket(hundred.length, Arrays.copyOf(hundred, 64))
            .bytes();
        final Path file = CaptureFiles.write(dir.resolve("resolutions.pcapng"), concat(little, big));

        final Reading reading = CapturedPacket.readAll(file);

        assertNull(reading.error());
        final List<Facts> expected = List.of(
            new Facts(frame.length, frame.length, 1_700_000_000_123_456_789L, CapturedPacket.md5(frame)),
            new Facts(rawIp.length, rawIp.length, 1_700_000_000_250_000_000L, CapturedPacket.md5(rawIp)),
            // One tick of 2^-20 s is 953.67431640625 ns.
            new Facts(rawIp.length, rawIp.length, 1_700_000_001_000_000_953L, CapturedPacket.md5(rawIp)),
            new Facts(1514, frame.length, 1_700_001_000_654_321_000L, CapturedPacket.md5(frame)),
            new Facts(frame.length, frame.length, 1_700_000_000_500_000_000L, CapturedPacket.md5(frame)),
            new Facts(frame.length, frame.length, 1_700_000_002_000_000_001L, CapturedPacket.md5(frame)),
            // A simple packet block has no timestamp: 0 from the reader, none from tshark.
            new Facts(100, 100, 0, CapturedPacket.md5(hundred)),
            new Facts(frame.length, frame.length, 1_700_000_003_000_007_000L, CapturedPacket.md5(frame)),
            new Facts(100, 64, 0, CapturedPacket.md5(Arrays.copyOf(hundred, 64))));
        assertEquals(expected, reading.facts());
        assertEquals(expected, CapturedPacket.tshark(file));
        assertEquals(List.of(LinkType.ETHERNET, LinkType.RAW, LinkType.RAW, LinkType.ETHERNET, LinkType.ETHERNET,
            LinkType.ETHERNET, LinkType.ETHERNET, LinkType.ETHERNET, LinkType.ETHERNET),
            reading.packets().stream().map(CapturedPacket::link).toList());
    }

    @Test
    void shouldRefuseAnEmptyFileAtOffsetZero(@TempDir final Path dir)
    {
        final Path empty = CaptureFiles.write(dir.resolve("empty.pcap"), new byte[0]);

        final CaptureFormatException error = assertThrows(CaptureFormatException.class, () -> Captures.open(empty));

        assertEquals(0, error.offset());
        assertEquals(empty, error.file());
    }

    @Test
    void shouldRefuseAFileThatIsNoCaptureAtOffsetZero(@TempDir final Path dir)
    {
        final byte[] noise = new byte[4096];
        new Random(11).nextBytes(noise);
        noise[0] = 'G';
        final Path random = CaptureFiles.write(dir.resolve("random.bin"), noise);
        final Path text = CaptureFiles.write(dir.resolve("notes.txt"), "not a capture\n".getBytes());

        assertEquals(0, assertThrows(CaptureFormatException.class, () -> Captures.open(random)).offset());
        assertEquals(0, assertThrows(CaptureFormatException.class, () -> Captures.open(text)).offset());
    }

    /** The file header is the thing that could not be read, and it starts at byte 0. */
    @Test
    void shouldReportAPcapFileHeaderCutShortAtItsStart(@TempDir final Path dir) throws IOException
    {
        final byte[] original = Files.readAllBytes(SharedData.resolve(SAMPLE));
        final Path cut = CaptureFiles.write(dir.resolve("header-cut.pcap"), Arrays.copyOf(original, 10));

        final CaptureFormatException error = assertThrows(CaptureFormatException.class, () -> Captures.open(cut));

        assertEquals(0, error.offset());
    }

    @Test
    void shouldRefuseAnUnsupportedPcapLinkTypeAtItsField(@TempDir final Path dir)
    {
        final Path wifi = CaptureFiles.writePcap(dir.resolve("wifi.pcap"), ByteOrder.LITTLE_ENDIAN, false, 105,
            List.of(CaptureFiles.Record.of(new byte[24])));

        assertEquals(20, assertThrows(CaptureFormatException.class, () -> Captures.open(wifi)).offset());
    }

    @Test
    void shouldDeliverThePacketsBeforeAPcapCutInARecordHeader(@TempDir final Path dir) throws IOException
    {
        final long recordSix = firstPacketsSize(dir, "-F", "pcap");
        final byte[] original = Files.readAllBytes(SharedData.resolve(SAMPLE));
        final Path cut = CaptureFiles.write(dir.resolve("cut-header.pcap"), Arrays.copyOf(original,
            (int)recordSix + 10));

        final Reading reading = CapturedPacket.readAll(cut);

        assertCutAfterFivePackets(reading, recordSix);
    }

    @Test
    void shouldDeliverThePacketsBeforeAPcapCutInRecordData(@TempDir final Path dir) throws IOException
    {
        final long recordSix = firstPacketsSize(dir, "-F", "pcap");
        final byte[] original = Files.readAllBytes(SharedData.resolve(SAMPLE));
        final Path cut = CaptureFiles.write(dir.resolve("cut-data.pcap"), Arrays.copyOf(original,
            (int)recordSix + 16 + 3));

        final Reading reading = CapturedPacket.readAll(cut);

        assertCutAfterFivePackets(reading, recordSix);
    }

    @Test
    void shouldDeliverThePacketsBeforeAPcapngCutMidBlockOrInABlockHeader(@TempDir final Path dir) throws IOException
    {
        final long blockSix = firstPacketsSize(dir, "-F", "pcapng");
        final Path full = dir.resolve("full.pcapng");
        Tools.run("editcap", "-F", "pcapng", SharedData.resolve(SAMPLE).toString(), full.toString());
        final byte[] original = Files.readAllBytes(full);

        final Reading midBlock = CapturedPacket.readAll(CaptureFiles.write(dir.resolve("cut-mid.pcapng"),
            Arrays.copyOf(original, (int)blockSix + 40)));
        final Reading inHeader = CapturedPacket.readAll(CaptureFiles.write(dir.resolve("cut-header.pcapng"),
            Arrays.copyOf(original, (int)blockSix + 6)));

        assertCutAfterFivePackets(midBlock, blockSix);
        assertCutAfterFivePackets(inHeader, blockSix);
    }

    @Test
    void shouldReportAPcapngCutInsideItsSectionHeaderAtOffsetZero(@TempDir final Path dir) throws IOException
    {
        final Path full = dir.resolve("full.pcapng");
        Tools.run("editcap", "-F", "pcapng", SharedData.resolve(SAMPLE).toString(), full.toString());

        final Reading reading = CapturedPacket.readAll(CaptureFiles.write(dir.resolve("cut-shb.pcapng"),
            Arrays.copyOf(Files.readAllBytes(full), 50)));

        assertNotNull(reading.error());
        assertEquals(0, reading.error().offset());
        assertEquals(List.of(), reading.packets());
    }

    @Test
    void shouldReadPacketsBesideAnUnusedInterfaceOfAnUnsupportedLinkTypeAndRefuseOneOnIt(@TempDir final Path dir)
        throws IOException
    {
        final byte[] frame = concat(ethernet(0x0800), ipv4(17, "10.0.0.1", "10.0.0.2", 8), udp(1, 2, 8));
        // Interface 0 is USER0 (147), which the parser does not decode; interface 1 is Ethernet.
        final CaptureFiles.PcapNg pcapng = new CaptureFiles.PcapNg().section(ByteOrder.LITTLE_ENDIAN)
            .interfaceDescription(147, 0, -1, 0)
            .interfaceDescription(1, 0, -1, 0)
            .enhancedPacket(1, 1_000_000, frame.length, frame)
            .enhancedPacket(1, 2_000_000, frame.length, frame);
        final int onUnsupported = pcapng.bytes().length;
        pcapng.enhancedPacket(0, 3_000_000, frame.length, frame);

        final Reading reading = CapturedPacket.readAll(CaptureFiles.write(dir.resolve("mixed.pcapng"), pcapng.bytes()));

        assertEquals(2, reading.packets().size());
        assertNotNull(reading.error());
        assertEquals(onUnsupported, reading.error().offset());
        assertTrue(reading.error().getMessage().contains("packet on interface 0 with unsupported link type 147"),
            reading.error().getMessage());
        try (CaptureReader reader = Captures.open(dir.resolve("mixed.pcapng")))
        {
            assertEquals(LinkType.ETHERNET, reader.linkType(), "the first packet's link type, known at open");
        }
    }

    @Test
    void shouldRefuseAPcapRecordLargerThanAnyCapture(@TempDir final Path dir)
    {
        final byte[] ok = concat(ethernet(0x0800), ipv4(17, "10.0.0.1", "10.0.0.2", 8), udp(1, 2, 8));
        final Path file = CaptureFiles.writePcap(dir.resolve("huge.pcap"), ByteOrder.LITTLE_ENDIAN, false, 1,
            List.of(CaptureFiles.Record.of(ok), CaptureFiles.Record.of(new byte[300_000])));

        final Reading reading = assertDoesNotThrowIo(file);

        assertEquals(1, reading.packets().size());
        assertNotNull(reading.error());
        assertEquals(24 + 16 + ok.length, reading.error().offset());
    }

    private static Reading assertDoesNotThrowIo(final Path file)
    {
        try
        {
            return CapturedPacket.readAll(file);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * The size editcap gives the sample's first five packets in {@code format}: the offset of the sixth
     * record, provided the full conversion starts with the same bytes (checked).
     */
    private static long firstPacketsSize(final Path dir, final String... format) throws IOException
    {
        final Path original = SharedData.resolve(SAMPLE);
        final Path five = dir.resolve("five");
        final Path full = dir.resolve("all");
        final List<String> command = new ArrayList<>(List.of("editcap"));
        command.addAll(List.of(format));
        Tools.run(concatArgs(command, "-r", original.toString(), five.toString(), "1-5"));
        Tools.run(concatArgs(command, original.toString(), full.toString()));
        final byte[] fiveBytes = Files.readAllBytes(five);
        final byte[] fullBytes = Files.readAllBytes(full);
        final byte[] sourceBytes = Files.readAllBytes(original);
        assertArrayEquals(fiveBytes, Arrays.copyOf(fullBytes, fiveBytes.length), "editcap output is a prefix");
        if ("pcap".equals(format[1]))
        {
            assertArrayEquals(fullBytes, sourceBytes, "editcap -F pcap rewrites the sample unchanged");
        }
        return fiveBytes.length;
    }

    private static String[] concatArgs(final List<String> prefix, final String... rest)
    {
        final List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static void assertCutAfterFivePackets(final Reading reading, final long offset)
    {
        assertNotNull(reading.error(), "a cut file must end in a CaptureFormatException");
        assertEquals(offset, reading.error().offset());
        final List<Facts> firstFive = CapturedPacket.tshark(SharedData.resolve(SAMPLE)).subList(0, 5);
        assertEquals(firstFive, reading.facts(), "the packets before the cut are delivered intact");
    }

    /** The records of a classic pcap file as one pcapng section of {@code order}, microsecond interface. */
    private static byte[] pcapngOf(final byte[] pcap, final ByteOrder order)
    {
        final CaptureFiles.PcapNg ng = new CaptureFiles.PcapNg().section(order).interfaceDescription(1, 262_144, -1, 0);
        for (final CaptureFiles.Record record : CaptureFiles.readPcap(pcap))
        {
            ng.enhancedPacket(0, record.seconds() * 1_000_000 + record.fraction(), record.wireLength(), record.data());
        }
        return ng.bytes();
    }
}
