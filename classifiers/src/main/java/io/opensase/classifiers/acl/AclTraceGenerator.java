package io.opensase.classifiers.acl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded header traces for a rule list, for tests and benchmarks of rule sets that come without a trace.
 * Each header is drawn from a rule picked at random: inside every one of its ranges, or, in the
 * {@link Mode#EDGES} mode, also at the ranges' first and last values and just outside them (one field at a
 * time), and with random protocol, flags, ICMP fields and direction. IPv6 rules give IPv6 headers.
 * Stateless; control thread.
 */
public final class AclTraceGenerator
{
    /** How headers relate to the rule they are drawn from. */
    public enum Mode
    {
        /** Uniformly inside every field of the rule, as ClassBench's trace generator draws them. */
        INSIDE,
        /** Inside, on the edges and just outside the rule's ranges, for differential tests. */
        EDGES
    }

    private static final int[] PROTOCOLS = {AclRule.PROTO_TCP, AclRule.PROTO_UDP, AclRule.PROTO_ICMP,
        AclRule.PROTO_ICMPV6, 0, 47, 132, 255};

    private AclTraceGenerator()
    {
    }

    /** {@code count} headers drawn from {@code rules} (at least one) with the given seed. */
    public static AclTuples generate(final List<AclRule> rules, final int count, final long seed, final Mode mode)
    {
        if (rules.isEmpty())
        {
            throw new IllegalArgumentException("no rules to draw headers from");
        }
        final SplittableRandom random = new SplittableRandom(seed);
        final AclTuples tuples = new AclTuples(count);
        final boolean edges = Mode.EDGES == mode;
        for (int i = 0; i < count; i++)
        {
            final AclRule rule = rules.get(random.nextInt(rules.size()));
            final IpPrefix src = rule.source();
            final IpPrefix dst = rule.destination();
            final long[] s = address(random, src, edges);
            final long[] d = address(random, dst, edges);
            final int sport = port(random, rule.sourcePorts(), edges);
            final int dport = port(random, rule.destinationPorts(), edges);
            int protocol;
            if (0xFF == rule.protocolMask() && (!edges || random.nextInt(8) > 0))
            {
                protocol = rule.protocol();
            }
            else if (0 == rule.protocolMask())
            {
                protocol = edges && random.nextBoolean() ? random.nextInt(256)
                    : PROTOCOLS[random.nextInt(edges ? PROTOCOLS.length : 2)];
            }
            else
            {
                protocol = rule.protocol() | (random.nextInt(256) & ~rule.protocolMask());
                if (edges && random.nextInt(8) == 0)
                {
                    protocol = random.nextInt(256);
                }
            }
            int flags = 0;
            int type = 0;
            int code = 0;
            int direction = 0;
            if (edges)
            {
                flags = random.nextBoolean() ? random.nextInt(256)
                    : rule.tcpFlags() | (random.nextInt(256) & ~rule.tcpFlagsMask());
                type = AclRule.ANY_ICMP != rule.icmpType() && random.nextInt(4) > 0 ? rule.icmpType()
                    : random.nextInt(256);
                code = AclRule.ANY_ICMP != rule.icmpCode() && random.nextInt(4) > 0 ? rule.icmpCode()
                    : random.nextInt(4) == 0 ? random.nextInt(256) : 0;
                direction = Direction.ANY != rule.direction() && random.nextInt(4) > 0 ? rule.direction().code()
                    : random.nextInt(3);
            }
            tuples.set(i, src.ipv6(), s[0], s[1], d[0], d[1], sport, dport, protocol, flags, type, code, direction);
        }
        return tuples;
    }

    /**
     * Writes IPv4 headers {@code 0..count-1} as a ClassBench trace ({@code src dst sport dport proto 0 0},
     * tab-separated decimal), which {@code dpdk-test-acl} and {@link ClassBenchFormat#readTrace} read.
     */
    public static void writeClassBench(final AclTuples tuples, final int count, final Path file) throws IOException
    {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII))
        {
            for (int i = 0; i < count; i++)
            {
                if (tuples.ipv6[i])
                {
                    throw new IllegalArgumentException("header " + i + " is IPv6; ClassBench traces are IPv4");
                }
                out.write(tuples.srcLo[i] + "\t" + tuples.dstLo[i] + "\t" + tuples.srcPort[i] + "\t"
                    + tuples.dstPort[i] + "\t" + tuples.protocol[i] + "\t0\t0\n");
            }
        }
    }

    /** An address as {hi, lo} for the prefix: inside, or on or just past an edge. */
    private static long[] address(final SplittableRandom random, final IpPrefix prefix, final boolean edges)
    {
        final int bits = prefix.ipv6() ? 128 : 32;
        final int host = bits - prefix.length();
        long hi;
        long lo;
        if (prefix.ipv6())
        {
            hi = prefix.hi() | (random.nextLong() & ~IpPrefix.maskHi(prefix.length()));
            lo = prefix.lo() | (random.nextLong() & ~IpPrefix.maskLo(prefix.length()));
        }
        else
        {
            hi = 0;
            lo = prefix.lo() | (random.nextLong() & (host >= 32 ? 0xFFFF_FFFFL : (1L << host) - 1));
        }
        if (!edges)
        {
            return new long[] {hi, lo};
        }
        final int pick = random.nextInt(10);
        final long firstHi = prefix.hi();
        final long firstLo = prefix.lo();
        final long lastHi = prefix.ipv6() ? prefix.hi() | ~IpPrefix.maskHi(prefix.length()) : 0;
        final long lastLo = prefix.ipv6() ? prefix.lo() | ~IpPrefix.maskLo(prefix.length())
            : prefix.lo() | (host >= 32 ? 0xFFFF_FFFFL : (1L << host) - 1);
        final long maxLo = prefix.ipv6() ? -1L : 0xFFFF_FFFFL;
        switch (pick)
        {
            case 0 -> {
                hi = firstHi;
                lo = firstLo;
            }
            case 1 -> {
                hi = lastHi;
                lo = lastLo;
            }
            case 2 -> {
                // just below the first address, when there is one
                if (0 != firstLo)
                {
                    hi = firstHi;
                    lo = firstLo - 1;
                }
                else if (prefix.ipv6() && 0 != firstHi)
                {
                    hi = firstHi - 1;
                    lo = -1L;
                }
            }
            case 3 -> {
                // just past the last address, when there is one
                if (maxLo != lastLo)
                {
                    hi = lastHi;
                    lo = lastLo + 1;
                }
                else if (prefix.ipv6() && -1L != lastHi)
                {
                    hi = lastHi + 1;
                    lo = 0;
                }
            }
            case 4 -> {
                hi = prefix.ipv6() ? random.nextLong() : 0;
                lo = random.nextLong() & maxLo;
            }
            default -> {
                // inside, as drawn above
            }
        }
        return new long[] {hi, lo};
    }

    private static int port(final SplittableRandom random, final PortRange range, final boolean edges)
    {
        final int inside = range.lo() + random.nextInt(range.hi() - range.lo() + 1);
        if (!edges)
        {
            return inside;
        }
        return switch (random.nextInt(10))
        {
            case 0 -> range.lo();
            case 1 -> range.hi();
            case 2 -> range.lo() > 0 ? range.lo() - 1 : inside;
            case 3 -> range.hi() < 65535 ? range.hi() + 1 : inside;
            case 4 -> random.nextInt(65536);
            default -> inside;
        };
    }
}
