package io.opensase.core.bench;

import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.AclTraceGenerator;
import io.opensase.classifiers.acl.AclTuples;
import io.opensase.classifiers.capture.PcapWriter;
import io.opensase.classifiers.parse.LinkType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Benchmark traffic for a rule set: one minimal Ethernet/IPv4 frame per distinct header drawn from the rules
 * by {@link AclTraceGenerator} (as ClassBench's trace generator draws them), so that every frame of the capture
 * is a flow of its own. TCP frames carry only ACK (connections picked up midstream), ICMP frames are echo
 * requests whose identifier is the drawn source port, other protocols carry 8 zero bytes.
 */
public final class TraceCapture
{
    private static final int FRAME = 60;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private TraceCapture()
    {
    }

    /**
     * Writes {@code frames} frames with distinct IPv4 5-tuples drawn from the IPv4 rules of {@code rules}.
     *
     * @throws IllegalArgumentException when the rules hold no IPv4 rule or too few distinct headers.
     */
    public static void write(final List<AclRule> rules, final int frames, final long seed, final Path file) throws IOException
    {
        final List<AclRule> ipv4 = rules.stream().filter(r -> !r.source().ipv6()).toList();
        if (ipv4.isEmpty())
        {
            throw new IllegalArgumentException("the rule set holds no IPv4 rule to draw benchmark traffic from");
        }
        final int draws = frames * 4;
        final AclTuples tuples = AclTraceGenerator.generate(ipv4, draws, seed, AclTraceGenerator.Mode.INSIDE);
        final Set<String> seen = new HashSet<>();
        try (Arena arena = Arena.ofConfined(); PcapWriter out = new PcapWriter(file, LinkType.ETHERNET))
        {
            final MemorySegment frame = arena.allocate(FRAME, 8);
            for (int i = 0; i < draws && seen.size() < frames; i++)
            {
                final int protocol = tuples.protocol[i];
                final boolean ported = AclRule.PROTO_TCP == protocol || AclRule.PROTO_UDP == protocol;
                final int sport = ported || AclRule.PROTO_ICMP == protocol ? tuples.srcPort[i] : 0;
                final int dport = ported ? tuples.dstPort[i] : 0;
                if (!seen.add(tuples.srcLo[i] + " " + tuples.dstLo[i] + " " + sport + " " + dport + " " + protocol))
                {
                    continue;
                }
                fill(frame, (int)tuples.srcLo[i], (int)tuples.dstLo[i], sport, dport, protocol);
                out.write(frame.address(), FRAME, FRAME, seen.size() * 1_000L);
            }
        }
        if (seen.size() < frames)
        {
            throw new IllegalArgumentException("the rule set yields only " + seen.size() + " distinct headers in "
                + draws + " draws; " + frames + " are needed");
        }
    }

    private static void fill(final MemorySegment frame, final int src, final int dst, final int sport,
        final int dport, final int protocol)
    {
        frame.fill((byte)0);
        frame.set(U32, 0, 0x0200_0000);          // destination MAC 02:00:00:00:00:01
        frame.set(U16, 4, (short)0x0001);
        frame.set(U32, 6, 0x0200_0000);          // source MAC 02:00:00:00:00:02
        frame.set(U16, 10, (short)0x0002);
        frame.set(U16, 12, (short)0x0800);
        frame.set(ValueLayout.JAVA_BYTE, 14, (byte)0x45);
        frame.set(U16, 16, (short)(FRAME - 14));
        frame.set(ValueLayout.JAVA_BYTE, 22, (byte)64);
        frame.set(ValueLayout.JAVA_BYTE, 23, (byte)protocol);
        frame.set(U32, 26, src);
        frame.set(U32, 30, dst);
        frame.set(U16, 24, (short)checksum(frame, 14, 20, 0));
        final int l4 = 34;
        final int l4Length = FRAME - l4;
        switch (protocol)
        {
            case AclRule.PROTO_TCP ->
            {
                frame.set(U16, l4, (short)sport);
                frame.set(U16, l4 + 2, (short)dport);
                frame.set(U32, l4 + 4, 1000);
                frame.set(U32, l4 + 8, 2000);
                frame.set(ValueLayout.JAVA_BYTE, l4 + 12, (byte)0x50);
                frame.set(ValueLayout.JAVA_BYTE, l4 + 13, (byte)0x10);
                frame.set(U16, l4 + 14, (short)65535);
                frame.set(U16, l4 + 16, (short)checksum(frame, l4, l4Length, pseudoHeader(src, dst, protocol, l4Length)));
            }
            case AclRule.PROTO_UDP ->
            {
                frame.set(U16, l4, (short)sport);
                frame.set(U16, l4 + 2, (short)dport);
                frame.set(U16, l4 + 4, (short)l4Length);
                frame.set(U16, l4 + 6, (short)checksum(frame, l4, l4Length, pseudoHeader(src, dst, protocol, l4Length)));
            }
            case AclRule.PROTO_ICMP ->
            {
                frame.set(ValueLayout.JAVA_BYTE, l4, (byte)8);
                frame.set(U16, l4 + 4, (short)sport);
                frame.set(U16, l4 + 2, (short)checksum(frame, l4, l4Length, 0));
            }
            default ->
            {
                // the 8 zero bytes are the payload
            }
        }
    }

    private static long pseudoHeader(final int src, final int dst, final int protocol, final int length)
    {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + length;
    }

    /** The Internet checksum of {@code length} bytes at {@code offset} (even), starting from {@code sum}. */
    private static int checksum(final MemorySegment frame, final int offset, final int length, final long sum)
    {
        long total = sum;
        for (int at = offset; at < offset + length; at += 2)
        {
            total += frame.get(U16, at) & 0xFFFF;
        }
        while (total > 0xFFFF)
        {
            total = (total & 0xFFFF) + (total >>> 16);
        }
        final int result = (int)(~total & 0xFFFF);
        return 0 == result && sum != 0 ? 0xFFFF : result;
    }
}
