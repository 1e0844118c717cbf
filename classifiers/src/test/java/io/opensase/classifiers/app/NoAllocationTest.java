package io.opensase.classifiers.app;

import io.opensase.classifiers.app.dns.DnsMessage;
import io.opensase.classifiers.app.dns.DnsParser;
import io.opensase.classifiers.app.dns.DnsTcpFramer;
import io.opensase.classifiers.app.ssh.SshParser;
import io.opensase.classifiers.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once warm, identification, DNS messages (UDP, and TCP through the framer in pieces) and SSH banners from
 * native memory allocate nothing on the heap (the TLS parser has its own test).
 */
class NoAllocationTest
{
    private static final class Bytes
    {
        final MemorySegment memory;
        final long[] at;
        final int[] length;
        final int[] direction;

        Bytes(final Arena arena, final List<byte[]> pieces, final List<Integer> directions)
        {
            long total = 0;
            for (final byte[] piece : pieces)
            {
                total += piece.length;
            }
            memory = arena.allocate(Math.max(1, total));
            at = new long[pieces.size()];
            length = new int[pieces.size()];
            direction = new int[pieces.size()];
            long offset = 0;
            for (int i = 0; i < pieces.size(); i++)
            {
                MemorySegment.copy(MemorySegment.ofArray(pieces.get(i)), 0, memory, offset, pieces.get(i).length);
                at[i] = offset;
                length[i] = pieces.get(i).length;
                direction[i] = directions.get(i);
                offset += pieces.get(i).length;
            }
        }
    }

    private long sink;
    private final io.opensase.classifiers.app.dns.DnsListener dnsListener = (f, d, m) -> sink += m.answerCount();
    private final io.opensase.classifiers.app.ssh.SshListener sshListener = (f, d, b) -> sink++;

    @Test
    void shouldNotAllocateOnceWarm()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final List<byte[]> datagrams = new ArrayList<>();
        final List<Integer> zeros = new ArrayList<>();
        for (final List<String> row : Streams.fields(SharedData.resolve("pcap/mixed/zeek-wikipedia.pcap"), "udp",
            "udp.payload"))
        {
            datagrams.add(HexFormat.of().parseHex(row.getFirst().split("\\|")[0]));
            zeros.add(0);
        }
        final List<byte[]> tcp = new ArrayList<>();
        final List<Integer> tcpDirections = new ArrayList<>();
        for (final Streams.Chunk chunk : Streams.follow(SharedData.resolve("pcap/dns/tcpdump-dns_tcp.pcap"), 0))
        {
            for (int at = 0; at < chunk.bytes().length; at += 9)
            {
                tcp.add(java.util.Arrays.copyOfRange(chunk.bytes(), at, Math.min(chunk.bytes().length, at + 9)));
                tcpDirections.add(chunk.direction());
            }
        }
        final List<byte[]> ssh = new ArrayList<>();
        final List<Integer> sshDirections = new ArrayList<>();
        final var sshCapture = SharedData.resolve("ids-verify/bug-5633-gre-02/gre-sample.pcap");
        for (final Streams.Chunk chunk : Streams.follow(sshCapture, 0))
        {
            ssh.add(chunk.bytes());
            sshDirections.add(chunk.direction());
        }

        try (Arena arena = Arena.ofConfined(); DnsTcpFramer framer = new DnsTcpFramer(4, 2))
        {
            final Bytes udp = new Bytes(arena, datagrams, zeros);
            final Bytes dnsTcp = new Bytes(arena, tcp, tcpDirections);
            final Bytes sshBytes = new Bytes(arena, ssh, sshDirections);
            final AppDetector detector = new AppDetector();
            final DnsParser parser = new DnsParser();
            final DnsMessage message = new DnsMessage();
            final SshParser sshParser = new SshParser(4);

            run(udp, dnsTcp, sshBytes, detector, parser, message, framer, sshParser, 2_000);
            final long before = threads.getCurrentThreadAllocatedBytes();
            run(udp, dnsTcp, sshBytes, detector, parser, message, framer, sshParser, 500);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertTrue(detector.count(AppProto.DNS) > 2_500 * 10, "DNS identified: " + detector.count(AppProto.DNS));
            assertTrue(sink > 0);
            assertEquals(0, allocated, "bytes allocated over 500 rounds");
        }
    }

    private void run(
        final Bytes udp,
        final Bytes dnsTcp,
        final Bytes ssh,
        final AppDetector detector,
        final DnsParser parser,
        final DnsMessage message,
        final DnsTcpFramer framer,
        final SshParser sshParser,
        final int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < udp.at.length; i++)
            {
                detector.detect(false, 0, udp.memory, udp.at[i], udp.length[i]);
                if (parser.parse(udp.memory, udp.at[i], udp.length[i], message))
                {
                    sink += message.questionCount() + message.answerCount();
                }
            }
            final int flow = framer.open();
            for (int i = 0; i < dnsTcp.at.length; i++)
            {
                detector.detect(true, dnsTcp.direction[i], dnsTcp.memory, dnsTcp.at[i], dnsTcp.length[i]);
                framer.feed(flow, dnsTcp.direction[i], dnsTcp.memory, dnsTcp.at[i], dnsTcp.length[i], dnsListener);
            }
            framer.close(flow);
            final int sshFlow = sshParser.open();
            for (int i = 0; i < ssh.at.length; i++)
            {
                detector.detect(true, ssh.direction[i], ssh.memory, ssh.at[i], ssh.length[i]);
                sshParser.feed(sshFlow, ssh.direction[i], ssh.memory, ssh.at[i], ssh.length[i], sshListener);
            }
            sshParser.close(sshFlow);
        }
    }
}
