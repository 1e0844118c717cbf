package io.opensase.classifiers.flow;

import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.ParsedPackets;

/**
 * A reusable, direction-free flow key: both directions of a flow build the same words, and {@link #isReverse()}
 * says which direction the packet went. One instance per thread; {@link #set} overwrites it.
 * <p>
 * The key holds the tenant, the outermost VLAN ids, the outermost tunnel id, and the innermost IP
 * addresses, protocol and ports (the echo identifier for ICMP echo; zero for other ICMP and non-first
 * fragments). The endpoint that sorts lower, by address then port, is stored first.
 */
public final class FlowKey
{
    /** Longs per key. */
    public static final int WORDS = 7;

    final long[] words = new long[WORDS];
    private boolean reverse;
    private int hash;
    private byte kind;
    private int ipProtocol;

    /**
     * Builds the key of packet {@code i}.
     *
     * @return false when the packet is not tracked: no IP header, or malformed.
     */
    public boolean set(final ParsedPackets parsed, final int i, final int tenantId)
    {
        kind = parsed.keyKind(i);
        if (FlowKeyKind.NONE == kind || parsed.isMalformed(i))
        {
            return false;
        }
        ipProtocol = parsed.ipProtocol(i);
        final long srcHi = parsed.srcHi(i);
        final long srcLo = parsed.srcLo(i);
        final long dstHi = parsed.dstHi(i);
        final long dstLo = parsed.dstLo(i);
        final int srcPort = parsed.srcPort(i);
        final int dstPort = parsed.dstPort(i);
        reverse = compareEndpoints(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort) > 0;

        final long tunnel = parsed.tunnelId(i);
        words[0] = (long)tenantId << 32
            | (ParsedPackets.NO_TUNNEL == tunnel ? 0L : 1L << 31)
            | (6 == parsed.ipVersion(i) ? 1L << 30 : 0L)
            | (long)kind << 24
            | (long)ipProtocol << 16;
        words[1] = (tunnel & 0xFFFF_FFFFL) << 32
            | (long)(parsed.vlanOuter(i) + 1) << 16
            | (parsed.vlanInner(i) + 1);
        if (reverse)
        {
            words[2] = (long)dstPort << 16 | srcPort;
            words[3] = dstHi;
            words[4] = dstLo;
            words[5] = srcHi;
            words[6] = srcLo;
        }
        else
        {
            words[2] = (long)srcPort << 16 | dstPort;
            words[3] = srcHi;
            words[4] = srcLo;
            words[5] = dstHi;
            words[6] = dstLo;
        }
        hash = mix(words);
        return true;
    }

    /** Same for both directions of a flow; spread well in both its low and its high bits. */
    public int hash()
    {
        return hash;
    }

    /** True when the packet went from the endpoint stored second to the one stored first. */
    public boolean isReverse()
    {
        return reverse;
    }

    /** One of {@link FlowKeyKind}. */
    public byte kind()
    {
        return kind;
    }

    public int ipProtocol()
    {
        return ipProtocol;
    }

    /**
     * A hash of the packet's innermost IP address pair, with its tenant, VLAN ids and tunnel id, that is the
     * same in both directions. Ports and protocol are left out on purpose: every fragment of a datagram,
     * and packets malformed past the IP header, hash like the rest of their flow. Used to steer packets to
     * workers; a packet without an IP header hashes to 0.
     */
    public static int hostPairHash(final ParsedPackets parsed, final int i, final int tenantId)
    {
        if (0 == parsed.ipVersion(i))
        {
            return 0;
        }
        final long srcHi = parsed.srcHi(i);
        final long srcLo = parsed.srcLo(i);
        final long dstHi = parsed.dstHi(i);
        final long dstLo = parsed.dstLo(i);
        final boolean swap = compareEndpoints(srcHi, srcLo, 0, dstHi, dstLo, 0) > 0;
        long h = 0x9E37_79B9_7F4A_7C15L;
        h = step(h, (long)tenantId << 32 | (parsed.tunnelId(i) & 0xFFFF_FFFFL));
        h = step(h, (long)(parsed.vlanOuter(i) + 1) << 16 | (parsed.vlanInner(i) + 1));
        h = step(h, swap ? dstHi : srcHi);
        h = step(h, swap ? dstLo : srcLo);
        h = step(h, swap ? srcHi : dstHi);
        h = step(h, swap ? srcLo : dstLo);
        return finish(h);
    }

    private static int compareEndpoints(
        final long aHi, final long aLo, final int aPort, final long bHi, final long bLo, final int bPort)
    {
        int order = Long.compareUnsigned(aHi, bHi);
        if (0 == order)
        {
            order = Long.compareUnsigned(aLo, bLo);
        }
        return 0 == order ? Integer.compare(aPort, bPort) : order;
    }

    static int mix(final long[] words)
    {
        long h = 0x9E37_79B9_7F4A_7C15L;
        for (int w = 0; w < WORDS; w++)
        {
            h = step(h, words[w]);
        }
        return finish(h);
    }

    private static long step(final long h, final long word)
    {
        return Long.rotateLeft((h ^ word) * 0xBF58_476D_1CE4_E5B9L, 29);
    }

    private static int finish(final long state)
    {
        long h = state;
        h ^= h >>> 32;
        h *= 0x94D0_49BB_1331_11EBL;
        h ^= h >>> 29;
        return (int)(h ^ (h >>> 32));
    }
}
