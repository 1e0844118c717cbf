package io.opensase.classifiers.frag;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.parse.Protocol;
import io.opensase.classifiers.testing.CaptureFiles;
import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.opensase.classifiers.frag.FragmentReassembler.COMPLETE;
import static io.opensase.classifiers.frag.Fragments.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reassembler against tshark's own IP reassembly ({@code ip.defragment}, {@code ipv6.defragment}), byte for
 * byte: every fragment of the shared fragment captures and of {@code tcpreplay-test_fragroute.pcap}, and random
 * overlapping fragment sets. Wireshark resolves overlaps as {@link OverlapPolicy#BSD} does (lowest start wins,
 * then the earliest), so that is the policy compared. tshark exports the reassembled payload
 * ({@code ip.reassembled.data}, {@code ipv6.reassembled.data}); the headers the reassembler writes are checked
 * by tshark too, by dissecting the reassembled datagrams with checksum validation on.
 * <p>
 * Where tshark itself flags its reassembly as broken (a fragment reaching past the end the last fragment set:
 * {@code ip.fragment.toolongfragment}), it still delivers a datagram cut at that end; the reassembler drops
 * such a datagram as {@link FragmentDrop#INCONSISTENT_END} (as Linux does) and the test checks that it does.
 */
class TsharkReassemblyTest
{
    /** Named by the issue; it holds no fragment at all (tshark finds none either), and is compared all the same. */
    private static final String FRAGROUTE = "pcap/mixed/tcpreplay-test_fragroute.pcap";

    /** What tshark makes of one frame: the payload it reassembled there, and whether it flagged an error. */
    private record Reassembled(byte[] payload, boolean flagged, String transportChecksum)
    {
    }

    /** One completed datagram of ours: the frame that completed it and its bytes. */
    private record Datagram(String capture, int frame, byte[] bytes)
    {
    }

    /**
     * Every shared capture in which the parser finds a fragment (an IPv4 MF flag or offset, an IPv6 fragment
     * header), so that a capture added later is compared too, and the fragroute capture.
     */
    private static List<String> capturesWithFragments()
    {
        final List<String> names = new ArrayList<>();
        final PacketParser parser = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(1);
        for (final Path capture : SharedData.captures())
        {
            boolean fragments = SharedData.name(capture).equals(FRAGROUTE);
            try (CaptureReader reader = Captures.open(capture))
            {
                while (!fragments && reader.next())
                {
                    parser.parse(PacketMemory.ALL, reader.dataAddress(), reader.capturedLength(), reader.wireLength(),
                        reader.linkType(), parsed, 0);
                    fragments = Protocol.FRAGMENT.isIn(parsed.protocols(0));
                }
            }
            catch (final IOException ex)
            {
                // A capture the readers refuse (the shared data has some on purpose) is read as far as it goes.
            }
            if (fragments)
            {
                names.add(SharedData.name(capture));
            }
        }
        return names;
    }

    @Test
    void shouldMatchTsharkOnEveryFragmentOfTheSharedCaptures(@TempDir final Path dir)
    {
        final List<String> captures = capturesWithFragments();
        assertTrue(captures.containsAll(List.of("pcap/fragments/zeek-ipv4-fragmented-1.pcap",
            "pcap/fragments/zeek-ipv4-fragmented-2.pcap", "pcap/fragments/zeek-ipv4-fragmented-3.pcap",
            "pcap/fragments/zeek-ipv4-fragmented-4.pcap", "pcap/fragments/zeek-ipv4-fragmented-syn.pcap",
            "pcap/fragments/zeek-ipv6-fragmented-dns.pcap", FRAGROUTE)), captures.toString());
        int compared = 0;
        int flaggedByTshark = 0;
        int fragments = 0;
        final List<Datagram> ours = new ArrayList<>();
        final Map<String, String> transportChecksums = new LinkedHashMap<>();
        final StringBuilder summary = new StringBuilder();
        for (final String name : captures)
        {
            final Path capture = SharedData.resolve(name);
            final Map<Integer, Reassembled> theirs = tsharkReassembly(capture);
            try (FragmentReassembler reassembler = new FragmentReassembler(
                ReassemblyConfig.defaults().withOverlap(OverlapPolicy.BSD)))
            {
                final Map<Integer, byte[]> completed = reassemble(capture, reassembler);
                for (final Map.Entry<Integer, Reassembled> entry : theirs.entrySet())
                {
                    final int frame = entry.getKey();
                    if (entry.getValue().flagged())
                    {
                        assertFalse(completed.containsKey(frame), name + " frame " + frame + ": tshark flags it");
                        flaggedByTshark++;
                        continue;
                    }
                    assertTrue(completed.containsKey(frame), name + " frame " + frame + ": tshark reassembled it");
                    final byte[] datagram = completed.get(frame);
                    final int header = headerLength(datagram);
                    assertEquals(HexFormat.of().formatHex(entry.getValue().payload()),
                        HexFormat.of().formatHex(slice(datagram, header, datagram.length)), name + " frame " + frame);
                    transportChecksums.put(name + "#" + frame, entry.getValue().transportChecksum());
                    compared++;
                }
                for (final Map.Entry<Integer, byte[]> entry : completed.entrySet())
                {
                    final Reassembled tshark = theirs.get(entry.getKey());
                    assertTrue(null != tshark && !tshark.flagged(), name + " frame " + entry.getKey()
                        + ": reassembled here, not by tshark");
                    ours.add(new Datagram(name, entry.getKey(), entry.getValue()));
                }
                fragments += (int)reassembler.fragments();
                reassembler.expire(Long.MAX_VALUE, Integer.MAX_VALUE);
                summary.append(String.format("%n  %-45s fragments %d, atomic %d, reassembled %d, dropped %s",
                    name, reassembler.fragments(), reassembler.atomicFragments(), reassembler.reassembled(),
                    drops(reassembler)));
            }
        }
        System.out.println("tshark reassembly: " + compared + " datagrams compared byte for byte, 0 differences; "
            + flaggedByTshark + " flagged by tshark and dropped here; " + fragments + " fragments" + summary);
        assertTrue(compared >= 3, "zeek-ipv4-fragmented-4, -syn and zeek-ipv6-fragmented-dns each complete one");
        assertTrue(flaggedByTshark >= 1, "zeek-ipv4-fragmented-1: its first fragment reaches past the last's end");

        checkHeadersWithTshark(dir, ours, transportChecksums);
    }

    @Test
    void shouldExplainEachSharedCaptureFragmentByFragment()
    {
        // zeek-ipv4-fragmented-1: an 18-byte first fragment with MF (not a multiple of 8), the last fragment,
        // then a 304-byte first fragment reaching past the last fragment's end.
        assertOutcomes("pcap/fragments/zeek-ipv4-fragmented-1.pcap", "DROPPED:unaligned", "HELD",
            "DROPPED:inconsistent_end");
        // -2: the unaligned first fragment twice around the last fragment; bytes 18-48 never arrive.
        assertOutcomes("pcap/fragments/zeek-ipv4-fragmented-2.pcap", "DROPPED:unaligned", "HELD",
            "DROPPED:unaligned");
        // -3: five fragments with MF set, the rest of the datagram cut off by the capture.
        assertOutcomes("pcap/fragments/zeek-ipv4-fragmented-3.pcap", "HELD", "HELD", "HELD", "HELD", "HELD");
        // -4: a TCP handshake around four fragments, the last-received one overlapping the second with other bytes.
        assertOutcomes("pcap/fragments/zeek-ipv4-fragmented-4.pcap", "NOT_FRAGMENT", "HELD", "HELD", "HELD",
            "COMPLETE", "NOT_FRAGMENT");
        // -syn: a first fragment with 24 of the SYN's 40 header bytes (tiny), then the rest.
        assertOutcomes("pcap/fragments/zeek-ipv4-fragmented-syn.pcap", "HELD", "COMPLETE");
        // ipv6 DNS: a last fragment whose first ones were never captured, then a datagram in three fragments.
        assertOutcomes("pcap/fragments/zeek-ipv6-fragmented-dns.pcap", "NOT_FRAGMENT", "NOT_FRAGMENT",
            "NOT_FRAGMENT", "HELD", "NOT_FRAGMENT", "HELD", "HELD", "COMPLETE");
        // fragroute: no fragments.
        assertTrue(outcomes(FRAGROUTE).stream().allMatch("NOT_FRAGMENT"::equals));
    }

    @Test
    void shouldMatchTsharkOnRandomOverlappingFragmentsUnderTheBsdPolicy(@TempDir final Path dir)
    {
        final Random random = new Random(0x75A4L);
        final List<CaptureFiles.Record> records = new ArrayList<>();
        final Map<Integer, byte[]> ours = new TreeMap<>();
        try (Harness harness = new Harness(OverlapPolicy.BSD))
        {
            for (int set = 0; set < 300; set++)
            {
                final boolean v6 = set % 2 == 1;
                for (final RandomFragments.Piece piece : RandomFragments.overlapping(random))
                {
                    final byte[] fragment = v6
                        ? Fragments.ipv6(set, 253, piece.offset(), piece.more(), piece.bytes())
                        : Fragments.ipv4(set, 253, piece.offset(), piece.more(), piece.bytes());
                    records.add(CaptureFiles.Record.of(fragment));
                    if (COMPLETE == harness.offer(fragment))
                    {
                        ours.put(records.size(), harness.lastDatagram);
                        break;
                    }
                }
            }
            assertEquals(300, ours.size());
        }
        final Path capture = CaptureFiles.writePcap(dir.resolve("overlaps.pcap"), ByteOrder.LITTLE_ENDIAN, false,
            LinkType.RAW.number(), records);
        final Map<Integer, Reassembled> theirs = tsharkReassembly(capture);
        assertEquals(ours.keySet(), theirs.keySet(), "frames where a datagram completes");
        int conflicting = 0;
        for (final Map.Entry<Integer, byte[]> entry : ours.entrySet())
        {
            final byte[] datagram = entry.getValue();
            assertEquals(HexFormat.of().formatHex(theirs.get(entry.getKey()).payload()),
                HexFormat.of().formatHex(slice(datagram, headerLength(datagram), datagram.length)),
                "frame " + entry.getKey());
            conflicting++;
        }
        System.out.println("tshark overlaps: " + conflicting + " datagrams of overlapping fragments, 0 differences");
    }

    private static void assertOutcomes(final String name, final String... expected)
    {
        assertEquals(List.of(expected), outcomes(name), name);
    }

    private static List<String> outcomes(final String name)
    {
        final Path capture = SharedData.resolve(name);
        final List<String> outcomes = new ArrayList<>();
        try (FragmentReassembler reassembler = new FragmentReassembler(
            ReassemblyConfig.defaults().withOverlap(OverlapPolicy.BSD)))
        {
            forEachPacket(capture, reassembler, (frame, status) -> outcomes.add(switch (status)
            {
                case FragmentReassembler.NOT_FRAGMENT -> "NOT_FRAGMENT";
                case FragmentReassembler.HELD -> "HELD";
                case COMPLETE -> "COMPLETE";
                default -> "DROPPED:" + reassembler.dropReason().reportName();
            }));
        }
        return outcomes;
    }

    private interface Outcome
    {
        void accept(int frame, int status);
    }

    /** Offers every packet, parsed from a segment of exactly its size; time never goes back. */
    private static void forEachPacket(final Path capture, final FragmentReassembler reassembler, final Outcome outcome)
    {
        final PacketParser parser = new PacketParser();
        final ParsedPackets parsed = new ParsedPackets(1);
        long nowNs = 0;
        try (CaptureReader reader = Captures.open(capture))
        {
            int frame = 0;
            while (reader.next())
            {
                frame++;
                final int length = reader.capturedLength();
                nowNs = Math.max(nowNs, reader.timestampNs());
                try (Arena arena = Arena.ofConfined())
                {
                    final MemorySegment segment = arena.allocate(Math.max(1, length), 1).asSlice(0, length);
                    MemorySegment.copy(MemorySegment.ofAddress(reader.dataAddress()).reinterpret(length), 0,
                        segment, 0, length);
                    parser.parse(segment, 0, length, reader.wireLength(), reader.linkType(), parsed, 0);
                    outcome.accept(frame, reassembler.offer(parsed, 0, segment, 0, length, 0, nowNs));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Map<Integer, byte[]> reassemble(final Path capture, final FragmentReassembler reassembler)
    {
        final Map<Integer, byte[]> completed = new TreeMap<>();
        forEachPacket(capture, reassembler, (frame, status) ->
        {
            if (COMPLETE == status)
            {
                completed.put(frame, reassembler.datagram().asSlice(0, reassembler.datagramLength())
                    .toArray(ValueLayout.JAVA_BYTE));
            }
        });
        return completed;
    }

    /** Frames where tshark, with IP defragmentation on, reassembled a datagram. */
    private static Map<Integer, Reassembled> tsharkReassembly(final Path capture)
    {
        final String output = Tools.run("tshark", "-n", "-r", capture.toString(),
            "-o", "ip.defragment:TRUE", "-o", "ipv6.defragment:TRUE",
            "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-T", "fields", "-E", "occurrence=l", "-e", "frame.number",
            "-e", "ip.reassembled.data", "-e", "ipv6.reassembled.data",
            "-e", "ip.fragment.toolongfragment", "-e", "ipv6.fragment.toolongfragment",
            "-e", "ip.fragment.multipletails", "-e", "ipv6.fragment.multipletails",
            "-e", "udp.checksum.status", "-e", "tcp.checksum.status");
        final Map<Integer, Reassembled> frames = new TreeMap<>();
        for (final String line : output.split("\n"))
        {
            final String[] columns = line.split("\t", -1);
            if (columns.length < 9)
            {
                continue;
            }
            final String data = columns[1].isEmpty() ? columns[2] : columns[1];
            if (data.isEmpty())
            {
                continue;
            }
            final boolean flagged = !(columns[3] + columns[4] + columns[5] + columns[6]).isEmpty();
            frames.put(Integer.parseInt(columns[0]), new Reassembled(HexFormat.of().parseHex(data.replace(":", "")),
                flagged, columns[7] + columns[8]));
        }
        return frames;
    }

    /**
     * Our datagrams, dissected by tshark as raw IP with checksum validation: the IPv4 header checksum is good,
     * the length fields match the bytes, and the transport checksum (which covers the addresses and the whole
     * payload) has the status tshark found on its own reassembly.
     */
    private static void checkHeadersWithTshark(
        final Path dir, final List<Datagram> datagrams, final Map<String, String> transportChecksums)
    {
        final List<CaptureFiles.Record> records = new ArrayList<>();
        for (final Datagram datagram : datagrams)
        {
            records.add(CaptureFiles.Record.of(datagram.bytes()));
        }
        final Path capture = CaptureFiles.writePcap(dir.resolve("ours.pcap"), ByteOrder.LITTLE_ENDIAN, false,
            LinkType.RAW.number(), records);
        final String output = Tools.run("tshark", "-n", "-r", capture.toString(),
            "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-T", "fields", "-E", "occurrence=f", "-e", "frame.number", "-e", "ip.checksum.status",
            "-e", "ip.len", "-e", "ipv6.plen", "-e", "ip.flags.mf", "-e", "ip.frag_offset", "-e", "ipv6.fraghdr.nxt",
            "-e", "udp.checksum.status", "-e", "tcp.checksum.status");
        final String[] lines = output.replaceAll("\n+$", "").split("\n");
        assertEquals(datagrams.size(), lines.length);
        for (int d = 0; d < datagrams.size(); d++)
        {
            final Datagram datagram = datagrams.get(d);
            final String where = datagram.capture() + " frame " + datagram.frame();
            final String[] columns = lines[d].split("\t", -1);
            if (4 == datagram.bytes()[0] >>> 4)
            {
                assertEquals("1", columns[1], where + ": IPv4 header checksum good");
                assertEquals(String.valueOf(datagram.bytes().length), columns[2], where + ": total length");
                assertEquals("0", columns[4], where + ": MF");
                assertEquals("0", columns[5], where + ": offset");
            }
            else
            {
                assertEquals(String.valueOf(datagram.bytes().length - 40), columns[3], where + ": payload length");
                assertEquals("", columns[6], where + ": no fragment header left");
            }
            assertEquals(transportChecksums.get(datagram.capture() + "#" + datagram.frame()), columns[7] + columns[8],
                where + ": transport checksum status as on tshark's own reassembly");
        }
    }

    /** IPv4 header length, or 40: no IPv6 datagram compared here has extension headers left. */
    private static int headerLength(final byte[] datagram)
    {
        if (4 == (datagram[0] & 0xFF) >>> 4)
        {
            return (datagram[0] & 0x0F) * 4;
        }
        final int next = datagram[6] & 0xFF;
        assertTrue(17 == next || 6 == next || 253 == next, "IPv6 next header " + next);
        return 40;
    }

    private static String drops(final FragmentReassembler reassembler)
    {
        final StringBuilder text = new StringBuilder();
        for (final FragmentDrop reason : FragmentDrop.values())
        {
            if (reassembler.dropped(reason) > 0)
            {
                text.append(text.isEmpty() ? "" : ", ").append(reason.reportName()).append(' ')
                    .append(reassembler.dropped(reason));
            }
        }
        return text.isEmpty() ? "none" : text.toString();
    }
}
