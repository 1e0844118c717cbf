package io.opensase.classifiers.acl;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The test oracle: a linear scan of the rules, written from the rule semantics in {@link AclRule}'s Javadoc
 * and sharing no code with the classifier. The rules are copied into flat arrays so that 100k rules scan
 * fast enough for a test. Immutable; any thread.
 */
public final class ReferenceAcl
{
    private final int size;
    private final boolean[] ipv6;
    private final long[] srcHi;
    private final long[] srcLo;
    private final long[] srcMaskHi;
    private final long[] srcMaskLo;
    private final long[] dstHi;
    private final long[] dstLo;
    private final long[] dstMaskHi;
    private final long[] dstMaskLo;
    private final int[] sportLo;
    private final int[] sportHi;
    private final int[] dportLo;
    private final int[] dportHi;
    private final int[] proto;
    private final int[] protoMask;
    private final int[] icmpType;
    private final int[] icmpCode;
    private final int[] flags;
    private final int[] flagsMask;
    private final int[] direction;

    public ReferenceAcl(final List<AclRule> rules)
    {
        size = rules.size();
        ipv6 = new boolean[size];
        srcHi = new long[size];
        srcLo = new long[size];
        srcMaskHi = new long[size];
        srcMaskLo = new long[size];
        dstHi = new long[size];
        dstLo = new long[size];
        dstMaskHi = new long[size];
        dstMaskLo = new long[size];
        sportLo = new int[size];
        sportHi = new int[size];
        dportLo = new int[size];
        dportHi = new int[size];
        proto = new int[size];
        protoMask = new int[size];
        icmpType = new int[size];
        icmpCode = new int[size];
        flags = new int[size];
        flagsMask = new int[size];
        direction = new int[size];
        for (int r = 0; r < size; r++)
        {
            final AclRule rule = rules.get(r);
            ipv6[r] = rule.ipv6();
            srcHi[r] = rule.source().hi();
            srcLo[r] = rule.source().lo();
            srcMaskHi[r] = maskHi(rule.source());
            srcMaskLo[r] = maskLo(rule.source());
            dstHi[r] = rule.destination().hi();
            dstLo[r] = rule.destination().lo();
            dstMaskHi[r] = maskHi(rule.destination());
            dstMaskLo[r] = maskLo(rule.destination());
            sportLo[r] = rule.sourcePorts().lo();
            sportHi[r] = rule.sourcePorts().hi();
            dportLo[r] = rule.destinationPorts().lo();
            dportHi[r] = rule.destinationPorts().hi();
            proto[r] = rule.protocol();
            protoMask[r] = rule.protocolMask();
            icmpType[r] = rule.icmpType();
            icmpCode[r] = rule.icmpCode();
            flags[r] = rule.tcpFlags();
            flagsMask[r] = rule.tcpFlagsMask();
            direction[r] = rule.direction().code();
        }
    }

    /** Bits of the first 64 address bits that the prefix fixes; for IPv4 none (hi is 0 in every packet). */
    private static long maskHi(final IpPrefix prefix)
    {
        if (!prefix.ipv6())
        {
            return 0;
        }
        final int length = prefix.length();
        long mask = 0;
        for (int bit = 0; bit < Math.min(64, length); bit++)
        {
            mask |= 1L << (63 - bit);
        }
        return mask;
    }

    private static long maskLo(final IpPrefix prefix)
    {
        final int length = prefix.length();
        long mask = 0;
        if (prefix.ipv6())
        {
            for (int bit = 64; bit < length; bit++)
            {
                mask |= 1L << (127 - bit);
            }
        }
        else
        {
            for (int bit = 0; bit < length; bit++)
            {
                mask |= 1L << (31 - bit);
            }
        }
        return mask;
    }

    /** The first rule matching entry {@code i} of {@code t}, or -1. */
    public int classify(final AclTuples t, final int i)
    {
        for (int r = 0; r < size; r++)
        {
            if (ipv6[r] == t.ipv6[i]
                && ((t.srcHi[i] ^ srcHi[r]) & srcMaskHi[r]) == 0
                && ((t.srcLo[i] ^ srcLo[r]) & srcMaskLo[r]) == 0
                && ((t.dstHi[i] ^ dstHi[r]) & dstMaskHi[r]) == 0
                && ((t.dstLo[i] ^ dstLo[r]) & dstMaskLo[r]) == 0
                && t.srcPort[i] >= sportLo[r] && t.srcPort[i] <= sportHi[r]
                && t.dstPort[i] >= dportLo[r] && t.dstPort[i] <= dportHi[r]
                && (t.protocol[i] & protoMask[r]) == proto[r]
                && (AclRule.ANY_ICMP == icmpType[r] || t.icmpType[i] == icmpType[r])
                && (AclRule.ANY_ICMP == icmpCode[r] || t.icmpCode[i] == icmpCode[r])
                && (t.tcpFlags[i] & flagsMask[r]) == flags[r]
                && (0 == direction[r] || t.direction[i] == direction[r]))
            {
                return r;
            }
        }
        return -1;
    }

    /** Results for entries {@code 0..count-1}, computed on all cores. */
    public int[] classifyAll(final AclTuples t, final int count)
    {
        return IntStream.range(0, count).parallel().map(i -> classify(t, i)).toArray();
    }
}
