package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.testing.Frames;
import io.opensase.core.events.EveRenderer;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.MbufArray;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.dpdk.Mbuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Once warm, the IPS stage allocates nothing for packets that raise no alert and carry no application the EVE
 * lines report: a TCP flow's handshake, data both ways through the stream (inspected when acknowledged and at
 * its end), FINs; a UDP exchange; an IPv6 UDP packet. Rules hit in the prefilter and are verified (contents,
 * pcre, byte_test, flowbits with noalert) without matching an alert. Each pass of the packets is new flows
 * (the client port moves on), as in IpsPathBenchmark. Before the matcher took buffers in place, the stage
 * allocated about 290 bytes per packet (BENCHMARKS §19). Nor for HTTP and TLS messages whose values the
 * application lines carry, with DLP masking them or not: before their records kept the values as bytes, 2,560
 * and 3,072 bytes per pass of 20 packets.
 */
class IpsStageAllocationTest
{
    private static final String CLIENT = "10.0.0.1";
    private static final String SERVER = "10.0.0.2";
    private static final int ACK = 0x10;
    private static final int SYN = 0x02;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;

    @TempDir
    Path dir;

    @Test
    void shouldAllocateNothingPerPacketWithoutAlerts() throws Exception
    {
        final Path rules = dir.resolve("quiet.rules");
        Files.writeString(rules, String.join("\n",
            "alert tcp any any -> any any (flow:established,to_server; content:\"hello\"; content:\"never\"; "
                + "distance:0; sid:1;)",
            "alert tcp any any -> any any (dsize:>5000; content:\"hello\"; sid:2;)",
            "alert tcp any any -> any any (content:\"hello\"; pcre:\"/hello\\s+never/\"; sid:3;)",
            "alert tcp any any -> any any (content:\"world\"; byte_test:1,>,200,0,relative; sid:4;)",
            "alert tcp any any -> any any (content:\"hello\"; flowbits:set,seen; flowbits:noalert; sid:5;)",
            "alert tcp any any -> any any (flowbits:isset,seen; content:\"welcome\"; content:\"never\"; sid:6;)",
            "alert udp any any -> any any (content:\"ping\"; content:\"nope\"; within:10; sid:7;)",
            "alert udp any any -> any any (ipv6.hdr; content:\"|ff ff|\"; sid:8;)", ""));
        final long[] lines = new long[1];
        final long allocated = allocatedOnceWarm(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            true, null, null, null), pass(), record -> lines[0]++, 3_000, 1_000);

        assertEquals(0, lines[0], "no alert and no application line");
        // Slack for the measuring itself; 290 bytes per packet would be over 4 MB here.
        assertTrue(allocated < 4096, allocated + " bytes for 1,000 passes of " + pass().size() + " packets");
    }

    /**
     * A rule with {@code tag:session,4,packets} alerting on each pass's SYN: the alert, then the packet lines of
     * the SYN/ACK, the ACK and the first data packet; the tag's entry goes back when the next packet ends it.
     */
    @Test
    void shouldAllocateNothingPerPacketForTaggedPackets() throws Exception
    {
        final Path rules = dir.resolve("tag.rules");
        Files.writeString(rules, "alert tcp any any -> any any (flags:S; tag:session,4,packets; sid:9;)\n");
        final List<String> firstLines = new ArrayList<>();
        final long[] lines = new long[1];
        final EveRenderer renderer = new EveRenderer();
        final IpsEventSink sink = record ->
        {
            if (lines[0]++ < 4)
            {
                renderer.render(record);
                firstLines.add(renderer.text());
            }
        };
        final long allocated = allocatedOnceWarm(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            true, null, null, null), pass(), sink, 3_000, 1_000);

        assertEquals(4 * 4_000, lines[0], "an alert and three packet lines, every pass");
        assertTrue(firstLines.get(0).contains("\"event_type\":\"alert\""), firstLines.get(0));
        for (int i = 1; i < 4; i++)
        {
            assertTrue(firstLines.get(i).contains("\"event_type\":\"packet\""), firstLines.get(i));
        }
        assertTrue(firstLines.get(1).contains("\"src_ip\":\"10.0.0.2\",\"src_port\":80"), firstLines.get(1));
        assertTrue(allocated < 4096, allocated + " bytes for 1,000 passes of " + pass().size() + " packets");
    }

    /**
     * A rule with a host tag for each end ({@code tag:host,4,packets,src} and {@code tag:host,6,packets,dst})
     * alerting on each pass's SYN: the alert, then the packet lines of the next 5 packets, which are all between
     * the two hosts (the source's tag ends at the 5th packet of the pass, the destination's at the 7th); both
     * hosts' tags go back to their pools before the next pass's SYN tags them again.
     */
    @Test
    void shouldAllocateNothingPerPacketForHostTags() throws Exception
    {
        final Path rules = dir.resolve("host.rules");
        Files.writeString(rules, "alert tcp any any -> any any (flags:S; tag:host,4,packets,src; "
            + "tag:host,6,packets,dst; sid:9;)\n");
        final long[] lines = new long[1];
        final long[] packetLines = new long[1];
        final EveRenderer renderer = new EveRenderer();
        final IpsEventSink sink = record ->
        {
            lines[0]++;
            if (lines[0] <= 6)
            {
                renderer.render(record);
                packetLines[0] += renderer.text().contains("\"event_type\":\"packet\"") ? 1 : 0;
            }
        };
        final long allocated = allocatedOnceWarm(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            true, null, null, null), pass(), sink, 3_000, 1_000);

        assertEquals(6 * 4_000, lines[0], "an alert and five packet lines, every pass");
        assertEquals(5, packetLines[0]);
        assertTrue(allocated < 4096, allocated + " bytes for 1,000 passes of " + pass().size() + " packets");
    }

    /**
     * An HTTP POST and its response (Host, User-Agent, Content-Type, bodies both ways) and a TLS 1.3 handshake
     * (ClientHello with SNI and two ALPN names, ServerHello selecting one) and a DNS query and answer, each pass
     * on new flows: each pass writes an {@code http}, a {@code fileinfo}, a {@code tls} and two {@code dns}
     * lines. Once warm, nothing is allocated for
     * them. Before the records kept values as bytes, every message copied its fields into new strings.
     */
    @Test
    void shouldAllocateNothingPerPacketForHttpAndTlsApplicationLines() throws Exception
    {
        final Path rules = dir.resolve("app.rules");
        // Prefilter hits that verification turns down: the application buffers are inspected, nothing alerts.
        Files.writeString(rules, String.join("\n",
            "alert http any any -> any any (http.host; content:\"shop\"; content:\"never\"; sid:11;)",
            "alert http any any -> any any (http.user_agent; content:\"TestAgent\"; content:\"never\"; sid:12;)",
            "alert tls any any -> any any (tls.sni; content:\"example\"; content:\"never\"; sid:13;)", ""));
        final List<String> firstLines = new ArrayList<>();
        final long[] lines = new long[1];
        final EveRenderer renderer = new EveRenderer();
        final IpsEventSink sink = record ->
        {
            // The first pass's lines are rendered for the checks below; later ones only counted, as a queue
            // would copy them.
            if (lines[0]++ < 5)
            {
                renderer.render(record);
                firstLines.add(renderer.text());
            }
        };
        final List<byte[]> frames = appPass();
        final long allocated = allocatedOnceWarm(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            true, null, null, null), frames, sink, 3_000, 1_000);

        assertEquals(5 * 4_000, lines[0], "http, fileinfo, tls and two dns lines, every pass");
        final String http = firstLines.get(0);
        assertTrue(http.contains("\"event_type\":\"http\""), http);
        assertTrue(http.contains("\"http\":{\"hostname\":\"shop.example\",\"url\":\"/upload/form.php\","
            + "\"http_user_agent\":\"TestAgent/1.0\",\"http_content_type\":\"text/plain\","
            + "\"http_method\":\"POST\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"length\":5}"), http);
        assertTrue(firstLines.get(1).contains("\"fileinfo\":{\"filename\":\"form.php\""), firstLines.get(1));
        final String tls = firstLines.get(2);
        assertTrue(tls.contains("\"sni\":\"www.example.com\",\"version\":\"TLS 1.3\""), tls);
        assertTrue(tls.contains("\"client_alpns\":[\"h2\",\"http/1.1\"],\"server_alpns\":[\"h2\"]"), tls);
        assertTrue(firstLines.get(3).contains("\"dns\":{\"type\":\"query\",\"id\":4660,\"opcode\":0,"
            + "\"rrname\":\"example.com\",\"rrtype\":\"A\"}"), firstLines.get(3));
        assertTrue(firstLines.get(4).contains("\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":4660,"
            + "\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,\"rrname\":\"example.com\","
            + "\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":[{\"rrname\":\"example.com\",\"rrtype\":\"A\","
            + "\"ttl\":300,\"rdata\":\"93.184.216.34\"}]}"), firstLines.get(4));
        assertTrue(allocated < 4096, allocated + " bytes for 1,000 passes of " + frames.size() + " packets");
    }

    /**
     * As above with a DLP profile on and a card number in the request's URL: the URL is probed both ways and
     * masked in place in its buffer, and every value copied into a line is probed, without allocating.
     */
    @Test
    void shouldAllocateNothingPerPacketWhenDlpMasksApplicationValues() throws Exception
    {
        final Path rules = dir.resolve("app.rules");
        Files.writeString(rules, "alert http any any -> any any (http.host; content:\"shop\"; content:\"never\"; "
            + "sid:11;)\n");
        final Path profiles = dir.resolve("profiles.yaml");
        Files.writeString(profiles, """
            profiles:
              - name: pci
                action: alert
                detectors:
                  - type: payment_card
            """);
        final List<String> firstLines = new ArrayList<>();
        final long[] lines = new long[1];
        final EveRenderer renderer = new EveRenderer();
        final IpsEventSink sink = record ->
        {
            if (lines[0]++ < 1)
            {
                renderer.render(record);
                firstLines.add(renderer.text());
            }
        };
        final List<byte[]> frames = appPass("/pay?card=4111111111111111");
        final long allocated = allocatedOnceWarm(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            true, null, null, profiles), frames, sink, 3_000, 1_000);

        // Letters and digits of the whole URL masked (hand-written), the card number in no line.
        assertTrue(firstLines.get(0).contains("\"url\":\"/***?****=****************\""), firstLines.get(0));
        assertTrue(allocated < 4096, allocated + " bytes for 1,000 passes of " + frames.size() + " packets");
    }

    /**
     * Runs {@code warm} passes of {@code frames} through a stage of the policy, then {@code measured} more;
     * returns the bytes this thread allocated during the measured ones.
     */
    private long allocatedOnceWarm(final IpsSettings settings, final List<byte[]> frames, final IpsEventSink sink,
        final int warm, final int measured) throws Exception
    {
        final int[] clientPortAt = new int[frames.size()];
        try (IpsPolicy policy = IpsPolicy.load(settings); JavaPacketPool pool = new JavaPacketPool(frames.size()))
        {
            final MbufArray mbufs = new MbufArray(frames.size());
            assertEquals(frames.size(), pool.allocate(mbufs, frames.size()));
            for (int i = 0; i < frames.size(); i++)
            {
                final byte[] frame = frames.get(i);
                final long mbuf = mbufs.addresses()[i];
                MemorySegment.copy(MemorySegment.ofArray(frame), 0, PacketMemory.ALL, Mbuf.dataAddress(mbuf),
                    frame.length);
                Mbuf.setLength(mbuf, frame.length);
                Mbuf.setWireLength(mbuf, frame.length);
                // The client's port: the source of what the client sends, the destination of the answers.
                final boolean ipv6 = 0x86 == (frame[12] & 0xFF);
                final int transport = 14 + (ipv6 ? 40 : 20);
                clientPortAt[i] = transport + (fromServer(frame, transport) ? 2 : 0);
            }
            final WorkerCounters counters = new WorkerCounters();
            final ParseStage parse = new ParseStage(new PacketParser(), LinkType.ETHERNET, counters);
            final FlowStage flows = new FlowStage(new FlowTable(1 << 10, FlowTimeouts.DEFAULT,
                FullTablePolicy.EVICT_OLDEST));
            final IpsStage stage = new IpsStage(new IpsPolicyRef(policy), flows.table(), 0,
                LinkType.ETHERNET.number(), sink, false);
            final PacketBurst burst = new PacketBurst(frames.size());
            for (int p = 0; p < warm; p++)
            {
                runPass(p, mbufs, clientPortAt, burst, parse, flows, stage);
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().threadId();
            final long packetsBefore = stage.counters().packets();
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int p = warm; p < warm + measured; p++)
            {
                runPass(p, mbufs, clientPortAt, burst, parse, flows, stage);
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertEquals((long)measured * frames.size(), stage.counters().packets() - packetsBefore);
            return allocated;
        }
    }

    private static boolean fromServer(final byte[] frame, final int transport)
    {
        return isServerPort((frame[transport] & 0xFF) << 8 | (frame[transport + 1] & 0xFF));
    }

    private static boolean isServerPort(final int port)
    {
        return 80 == port || 443 == port || 53 == port || 7777 == port;
    }

    /** One pass: the client port is 20000 + the pass number, and the packets are a second later each pass. */
    private static void runPass(final int pass, final MbufArray mbufs, final int[] clientPortAt,
        final PacketBurst burst, final ParseStage parse, final FlowStage flows, final IpsStage stage)
    {
        final long[] into = burst.mbufs().addresses();
        for (int i = 0; i < clientPortAt.length; i++)
        {
            final long mbuf = mbufs.addresses()[i];
            final long at = Mbuf.dataAddress(mbuf) + clientPortAt[i];
            PacketMemory.ALL.set(PacketMemory.U16, at, (short)(20_000 + pass % 40_000));
            Mbuf.setTimestampNs(mbuf, 1_700_000_000_000_000_000L + pass * 1_000_000_000L + i * 1_000L);
            into[i] = mbuf;
        }
        burst.loadCaptured(clientPortAt.length);
        parse.process(burst);
        flows.process(burst);
        stage.process(burst);
    }

    /** The packets of one pass, client port 20000 (rewritten per pass). */
    private static List<byte[]> pass()
    {
        final List<byte[]> frames = new ArrayList<>();
        final int c = 20_000;
        frames.add(tcp(c, 80, 1000, 0, SYN, ""));
        frames.add(tcp(80, c, 5000, 1001, SYN | ACK, ""));
        frames.add(tcp(c, 80, 1001, 5001, ACK, ""));
        long client = 1001;
        for (final String data : new String[] {"hello world, this is ", "a stream of words ", "hello again"})
        {
            frames.add(tcp(c, 80, client, 5001, PSH | ACK, data));
            client += data.length();
            frames.add(tcp(80, c, 5001, client, ACK, ""));
        }
        final String welcome = "welcome, words back";
        frames.add(tcp(80, c, 5001, client, PSH | ACK, welcome));
        final long server = 5001 + welcome.length();
        frames.add(tcp(c, 80, client, server, ACK, ""));
        frames.add(tcp(c, 80, client, server, FIN | ACK, ""));
        frames.add(tcp(80, c, server, client + 1, FIN | ACK, ""));
        frames.add(tcp(c, 80, client + 1, server + 1, ACK, ""));
        frames.add(udp4(c, 7777, "ping ping pong"));
        frames.add(udp4(7777, c, "pong"));
        final byte[] payload = "ff?".getBytes(StandardCharsets.ISO_8859_1);
        frames.add(Frames.concat(Frames.ethernet(0x86DD), Frames.ipv6(17, "2001:db8::1", "2001:db8::2",
            8 + payload.length), Frames.udp(c, 9999, 8 + payload.length), payload));
        return frames;
    }

    private static byte[] tcp(final int src, final int dst, final long seq, final long ack, final int flags,
        final String data)
    {
        return tcp(src, dst, seq, ack, flags, data.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] tcp(final int src, final int dst, final long seq, final long ack, final int flags,
        final byte[] payload)
    {
        final byte[] header = Frames.concat(Frames.u16(src), Frames.u16(dst), Frames.u32((int)seq),
            Frames.u32((int)ack), new byte[] {0x50, (byte)flags}, Frames.u16(0xFFFF), Frames.u16(0), Frames.u16(0));
        final boolean toServer = isServerPort(dst);
        return Frames.concat(Frames.ethernet(0x0800), Frames.ipv4(6, toServer ? CLIENT : SERVER,
            toServer ? SERVER : CLIENT, 20 + payload.length), header, payload);
    }

    /** An HTTP exchange on port 80 and a TLS 1.3 handshake on port 443, client port 20000. */
    private static List<byte[]> appPass()
    {
        return appPass("/upload/form.php");
    }

    private static List<byte[]> appPass(final String uri)
    {
        final List<byte[]> frames = new ArrayList<>();
        exchange(frames, 80, ("POST " + uri + " HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: TestAgent/1.0\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Length: 11\r\n\r\nhello there")
            .getBytes(StandardCharsets.ISO_8859_1),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nfine!"
                .getBytes(StandardCharsets.ISO_8859_1));
        exchange(frames, 443, tlsRecord(handshake(1, clientHello())), tlsRecord(handshake(2, serverHello())));
        // DNS (RFC 1035 4.1): id 0x1234, recursion desired; the answer: example.com A 93.184.216.34, TTL 300.
        final byte[] question = Frames.concat(new byte[] {7}, "example".getBytes(StandardCharsets.US_ASCII),
            new byte[] {3}, "com".getBytes(StandardCharsets.US_ASCII), new byte[] {0}, Frames.u16(1), Frames.u16(1));
        frames.add(udp4(20_000, 53, Frames.concat(Frames.u16(0x1234), Frames.u16(0x0100), Frames.u16(1),
            Frames.u16(0), Frames.u16(0), Frames.u16(0), question)));
        frames.add(udp4(53, 20_000, Frames.concat(Frames.u16(0x1234), Frames.u16(0x8180), Frames.u16(1),
            Frames.u16(1), Frames.u16(0), Frames.u16(0), question, Frames.u16(0xC00C), Frames.u16(1), Frames.u16(1),
            Frames.u16(0), Frames.u16(300), Frames.u16(4), new byte[] {93, (byte)184, (byte)216, 34})));
        return frames;
    }

    /** A TCP connection carrying one message each way, each acknowledged, then closed. */
    private static void exchange(final List<byte[]> frames, final int port, final byte[] request,
        final byte[] response)
    {
        final int c = 20_000;
        frames.add(tcp(c, port, 1000, 0, SYN, ""));
        frames.add(tcp(port, c, 5000, 1001, SYN | ACK, ""));
        frames.add(tcp(c, port, 1001, 5001, ACK, ""));
        final long client = 1001 + request.length;
        final long server = 5001 + response.length;
        frames.add(tcp(c, port, 1001, 5001, PSH | ACK, request));
        frames.add(tcp(port, c, 5001, client, ACK, ""));
        frames.add(tcp(port, c, 5001, client, PSH | ACK, response));
        frames.add(tcp(c, port, client, server, ACK, ""));
        frames.add(tcp(c, port, client, server, FIN | ACK, ""));
        frames.add(tcp(port, c, server, client + 1, FIN | ACK, ""));
        frames.add(tcp(c, port, client + 1, server + 1, ACK, ""));
    }

    /**
     * ClientHello (RFC 8446 4.1.2): version 0x0303, a zero random, no session id, TLS_AES_128_GCM_SHA256, null
     * compression; server_name www.example.com, ALPN h2 and http/1.1, supported_versions TLS 1.3.
     */
    private static byte[] clientHello()
    {
        final byte[] host = "www.example.com".getBytes(StandardCharsets.US_ASCII);
        final byte[] sni = extension(0, Frames.concat(Frames.u16(host.length + 3), new byte[] {0},
            Frames.u16(host.length), host));
        final byte[] alpn = extension(16, Frames.concat(Frames.u16(12), new byte[] {2, 'h', '2', 8},
            "http/1.1".getBytes(StandardCharsets.US_ASCII)));
        final byte[] versions = extension(43, new byte[] {2, 3, 4});
        final byte[] extensions = Frames.concat(sni, alpn, versions);
        return Frames.concat(Frames.u16(0x0303), new byte[32], new byte[] {0}, Frames.u16(2), Frames.u16(0x1301),
            new byte[] {1, 0}, Frames.u16(extensions.length), extensions);
    }

    /** ServerHello: TLS_AES_128_GCM_SHA256, supported_versions TLS 1.3, ALPN h2. */
    private static byte[] serverHello()
    {
        final byte[] extensions = Frames.concat(extension(43, new byte[] {3, 4}),
            extension(16, Frames.concat(Frames.u16(3), new byte[] {2, 'h', '2'})));
        final byte[] random = new byte[32];
        random[0] = 1;
        return Frames.concat(Frames.u16(0x0303), random, new byte[] {0}, Frames.u16(0x1301), new byte[] {0},
            Frames.u16(extensions.length), extensions);
    }

    private static byte[] extension(final int type, final byte[] data)
    {
        return Frames.concat(Frames.u16(type), Frames.u16(data.length), data);
    }

    private static byte[] handshake(final int type, final byte[] body)
    {
        return Frames.concat(new byte[] {(byte)type, 0, (byte)(body.length >>> 8), (byte)body.length}, body);
    }

    private static byte[] tlsRecord(final byte[] fragment)
    {
        return Frames.concat(new byte[] {22, 3, 1}, Frames.u16(fragment.length), fragment);
    }

    private static byte[] udp4(final int src, final int dst, final String data)
    {
        return udp4(src, dst, data.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] udp4(final int src, final int dst, final byte[] payload)
    {
        final boolean toServer = isServerPort(dst);
        return Frames.concat(Frames.ethernet(0x0800), Frames.ipv4(17, toServer ? CLIENT : SERVER,
            toServer ? SERVER : CLIENT, 8 + payload.length), Frames.udp(src, dst, 8 + payload.length), payload);
    }
}
