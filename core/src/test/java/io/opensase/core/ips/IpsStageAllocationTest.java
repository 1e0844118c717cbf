package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.testing.Frames;
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
 * allocated about 290 bytes per packet (BENCHMARKS §19).
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
        final List<byte[]> frames = pass();
        final int[] clientPortAt = new int[frames.size()];
        final long[] lines = new long[1];
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            true, null, null, null)); JavaPacketPool pool = new JavaPacketPool(frames.size()))
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
                LinkType.ETHERNET.number(), line -> lines[0]++, false);
            final PacketBurst burst = new PacketBurst(frames.size());
            for (int p = 0; p < 3_000; p++)
            {
                runPass(p, mbufs, clientPortAt, burst, parse, flows, stage);
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().threadId();
            final long packetsBefore = stage.counters().packets();
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int p = 3_000; p < 4_000; p++)
            {
                runPass(p, mbufs, clientPortAt, burst, parse, flows, stage);
            }
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            final long packets = stage.counters().packets() - packetsBefore;

            assertEquals(0, lines[0], "no alert and no application line");
            assertEquals(1_000L * frames.size(), packets);
            // Slack for the measuring itself; 290 bytes per packet would be over 4 MB here.
            assertTrue(allocated < 4096, allocated + " bytes for " + packets + " packets");
        }
    }

    private static boolean fromServer(final byte[] frame, final int transport)
    {
        return 80 == ((frame[transport] & 0xFF) << 8 | (frame[transport + 1] & 0xFF))
            || 7777 == ((frame[transport] & 0xFF) << 8 | (frame[transport + 1] & 0xFF));
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
        final byte[] payload = data.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] header = Frames.concat(Frames.u16(src), Frames.u16(dst), Frames.u32((int)seq),
            Frames.u32((int)ack), new byte[] {0x50, (byte)flags}, Frames.u16(0xFFFF), Frames.u16(0), Frames.u16(0));
        final boolean toServer = 80 == dst;
        return Frames.concat(Frames.ethernet(0x0800), Frames.ipv4(6, toServer ? CLIENT : SERVER,
            toServer ? SERVER : CLIENT, 20 + payload.length), header, payload);
    }

    private static byte[] udp4(final int src, final int dst, final String data)
    {
        final byte[] payload = data.getBytes(StandardCharsets.ISO_8859_1);
        final boolean toServer = 7777 == dst;
        return Frames.concat(Frames.ethernet(0x0800), Frames.ipv4(17, toServer ? CLIENT : SERVER,
            toServer ? SERVER : CLIENT, 8 + payload.length), Frames.udp(src, dst, 8 + payload.length), payload);
    }
}
